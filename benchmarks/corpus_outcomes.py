"""Run ``hvpscore validate`` (the real CLI, in a subprocess) on every file of the malformed-file
corpus and print a Markdown table of what happened: exit code, read / accepted / rejected, and a
verdict against what the file really holds (rows lost, phantom rows, bad rows accepted, good rows
rejected, whole file refused, traceback).

    python benchmarks/corpus_outcomes.py                  # this checkout
    python benchmarks/corpus_outcomes.py --src /path/old  # another checkout (e.g. git worktree
                                                          # add /tmp/old d7336e5), same corpus
    python benchmarks/corpus_outcomes.py --before /tmp/old  # one table: before | after

The corpus is ``tests/io/io_corpus.py`` of this checkout, so both runs read the same bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "io"))

from io_corpus import write_corpus  # noqa: E402

_COUNTS = re.compile(r"read (\d+) rows, accepted (\d+), rejected (\d+)")


def run_case(case, path: Path, src: Path | None, workdir: Path) -> dict:
    profile = str(path.parent / case.profile) if case.profile.endswith(".yaml") else case.profile
    cmd = [sys.executable, "-m", "hvpscore", "validate", str(path), "-p", profile, "--lang", "en",
           "--rejects", str(workdir / "rejects.csv")]
    if case.encoding:
        cmd += ["--encoding", case.encoding]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=workdir)
    text = out.stdout + out.stderr
    m = _COUNTS.search(text)
    counts = tuple(int(x) for x in m.groups()) if m else None
    return {"exit": out.returncode, "traceback": "Traceback" in text, "counts": counts,
            "first_error": next((x for x in text.splitlines() if x.startswith(("error:",
                                                                             "internal error"))),
                                "")}


def verdict(case, res: dict) -> str:
    if res["traceback"]:
        return "traceback"
    if res["exit"] not in (0, 1):
        return f"internal error (exit {res['exit']})"
    if case.error:
        if res["exit"] == 1:
            return "ok: one-line error"
        return "file that cannot be read was accepted"
    if res["exit"] != 0:
        return "whole file refused"
    if res["counts"] is None:
        return "no summary"
    read, acc, rej = res["counts"]
    notes = []
    if read < case.rows:
        notes.append(f"rows lost ({case.rows - read} of {case.rows})")
    if read > case.rows:
        notes.append(f"phantom rows (+{read - case.rows})")
    if acc > case.accepted:
        notes.append(f"bad rows accepted ({acc - case.accepted})")
    if acc < case.accepted:
        notes.append(f"good rows rejected ({case.accepted - acc})")
    return "; ".join(notes) or "ok"


def _kind(v: str) -> str:
    """The issue's four outcome kinds for a verdict."""
    if v == "traceback" or v.startswith("internal error"):
        return "traceback"
    if v == "whole file refused":
        return "whole-file failure"
    if v.startswith("ok"):
        return "correct"
    if "rows lost" in v:
        return "lost rows"
    if "phantom" in v:
        return "phantom rows"
    if "accepted" in v and "good rows" not in v:
        return "bad rows silently accepted"
    return "good rows rejected"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=None,
                    help="an hvpscore checkout to run instead of the installed one")
    ap.add_argument("--before", type=Path, default=None,
                    help="another checkout (the code before a change): one table, before | after")
    ap.add_argument("--label", default=None, help="column title (default: the checkout)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        pairs = write_corpus(d / "corpus")
        label = args.label or (str(args.src) if args.src else "this checkout")
        if args.before is None:
            print(f"| file kind | real rows | {label}: exit, read/accepted/rejected | verdict |")
            print("|---|---|---|---|")
        else:
            print(f"| file kind | real rows | before ({args.before.name}): exit, r/a/rej | "
                  f"before | after ({label}): exit, r/a/rej | after |")
            print("|---|---|---|---|---|---|")
        bad = 0
        tally: dict[str, dict[str, int]] = {"before": {}, "after": {}}
        for case, path in pairs:
            cells = []
            runs = ([("before", args.before)] if args.before is not None else []) + [
                ("after", args.src)]
            for which, src in runs:
                res = run_case(case, path, src, d)
                v = verdict(case, res)
                k = _kind(v)
                tally[which][k] = tally[which].get(k, 0) + 1
                if which == "after":
                    bad += not v.startswith("ok")
                counts = "/".join(map(str, res["counts"])) if res["counts"] else "—"
                cells += [f"{res['exit']}, {counts}", v]
            print(f"| {case.name} | {case.rows if not case.error else '(refuse)'} | "
                  + " | ".join(cells) + " |", flush=True)
        print(f"\n{len(pairs)} files, {bad} not ok")
        kinds = ("correct", "traceback", "lost rows", "whole-file failure", "phantom rows",
                 "bad rows silently accepted", "good rows rejected")
        print("\n| outcome | " + " | ".join(w for w in tally if tally[w]) + " |")
        print("|---|" + "---|" * sum(1 for w in tally if tally[w]))
        for k in kinds:
            print(f"| {k} | " + " | ".join(str(tally[w].get(k, 0)) for w in tally if tally[w])
                  + " |")


if __name__ == "__main__":
    main()
