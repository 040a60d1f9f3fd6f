"""Build and execute ``notebooks/quickstart.ipynb`` (the worked example, committed with outputs).

    python notebooks/build_quickstart.py      # needs: pip install nbclient ipykernel

Run from the repository root; the notebook itself runs from ``notebooks/``.
"""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

CELLS = [
    ("md", "# hvpscore quickstart / 快速上手\n\nThe synthetic sample stock (`data/sample/patents.csv`, "
           "cn-export layout) through the whole pipeline: read and validate, the five official "
           "criteria with evidence, the score table with reasons, and one claims check.\n\n"
           "样例数据为合成数据（非真实专利）。"),
    ("code", "import pandas as pd\n\nimport hvpscore\n\n"
             "res = hvpscore.read_records('../data/sample/patents.csv', profile='cn-export')\n"
             "print(res.summary.text('zh'))\nres.records[['patent_id', 'patent_type', 'filing_date', "
             "'legal_status', 'ipc']].head()"),
    ("md", "## The five official criteria as of a date / 五类高价值发明专利标准"),
    ("code", "flags = hvpscore.evaluate_criteria(res.records, as_of='2025-12-31')\n"
             "valid = flags[flags['in_force'] & (res.records['patent_type'] == 'invention')]\n"
             "print(f'{len(valid)} valid invention patents, high-value share '\n"
             "      f\"{valid['is_high_value'].mean():.1%}\")\n"
             "valid[['hv_sei', 'hv_overseas', 'hv_maintained_10y', 'hv_pledge', 'hv_award']].mean()"
             ".round(3)"),
    ("code", "pd.set_option('display.max_colwidth', 120)\n"
             "flags.loc[flags['is_high_value'], ['hv_evidence_zh']].head(3)"),
    ("md", "## The score table / 评分表\n\nThe shipped `models/default` is a demonstration trained on "
           "synthetic data; train your own with `hvpscore train`."),
    ("code", "scores = hvpscore.score_records(res.records, as_of='2025-12-31', reasons=3)\n"
             "scores.sort_values('score', ascending=False)[['patent_id', 'is_high_value', "
             "'p_high_value', 'score', 'percentile', 'reasons']].head(5)"),
    ("md", "## A claims check before filing / 申请前权利要求检查"),
    ("code", "cs = hvpscore.parse_claims('1. 一种电池管理方法，其特征在于，包括：采集电压约3.7V左右的单体电压；\\n'\n"
             "                          '2. 根据权利要求3所述的方法，其中，所述温度较高时降低电流。\\n'\n"
             "                          '3. 根据权利要求1或2所述的方法，其特征在于，还包括均衡步骤。')\n"
             "for f in cs.findings:\n    print(f.claim, f.code, f.message_zh, '|', f.message_en)"),
]


def main() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else
                nbformat.v4.new_code_cell(src) for kind, src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, HERE / "quickstart.ipynb")
    print(f"wrote {HERE / 'quickstart.ipynb'}")


if __name__ == "__main__":
    main()
