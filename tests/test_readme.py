"""The README is a contract: its first lines are the two commands, and it documents the record."""

from hvpscore.schema import COLUMNS


def test_readme_opens_with_two_commands(repo_dir):
    text = (repo_dir / "README.md").read_text("utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert "hvpscore" in block[0] and "pytest" in block[1]
    ci = (repo_dir / ".ci" / "run").read_text("utf-8")
    assert "pytest" in ci and "ruff check ." in ci


def test_readme_documents_every_column(repo_dir):
    text = (repo_dir / "README.md").read_text("utf-8")
    missing = [c.name for c in COLUMNS if f"`{c.name}`" not in text]
    assert not missing, f"README lacks columns {missing}"
