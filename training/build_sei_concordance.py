"""Build the shipped SEI concordance from its transcription of the official CNIPA table.

The official table is 《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》, issued by the
General Office of CNIPA with 国知办函规字〔2021〕121号 (2021-02-07). hvpscore ships it as
``hvpscore/rules/sei/concordance.csv`` (one line per IPC entry), built in two steps:

1. ``--upstream DIR`` (optional): read the published machine-readable transcription
   (vvangpc/pr-re ``data/zhanlue_1.js`` … ``zhanlue_4.js``, pinned by sha256 in
   ``hvpscore/rules/sei/source/repairs.yaml``), apply the documented corrections of that file and
   write ``hvpscore/rules/sei/source/cnipa-2021-rows.tsv`` (one line per table row);
2. always: derive the entries, their exclusions and search terms (rules in
   ``hvpscore/rules/sei/source/terms.yaml``) from the rows file and write ``concordance.csv`` and
   ``SHA256SUMS``.

Both steps are deterministic: running the script again gives byte-identical files
(``--check`` compares instead of writing and exits 1 on a difference). Nothing here is needed at
run time; the package reads only ``concordance.csv``.

    python training/build_sei_concordance.py                 # rows.tsv -> concordance.csv
    python training/build_sei_concordance.py --upstream DIR  # JS files -> rows.tsv -> ...
    python training/build_sei_concordance.py --check
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

import yaml

from hvpscore.rules._sei import _parse_pattern, load_industries

ROOT = Path(__file__).resolve().parents[1]
SEI = ROOT / "hvpscore" / "rules" / "sei"
SOURCE = SEI / "source"
ROWS = SOURCE / "cnipa-2021-rows.tsv"
REPAIRS = SOURCE / "repairs.yaml"
TERMS = SOURCE / "terms.yaml"
OUT = SEI / "concordance.csv"
SUMS = SEI / "SHA256SUMS"

ROW_COLUMNS = ["row", "field_code", "page", "ipc", "exclude", "keywords_text", "origin"]
ENTRY_COLUMNS = ["entry", "row", "field_code", "ipc", "level", "exclude", "partial", "terms",
                 "keywords_text", "note"]
_LEVEL_NAME = {"section": "section", "class": "class", "subclass": "subclass", "main": "main_group",
               "prefix": "subgroup_prefix", "exact": "subgroup"}


# ------------------------------------------------------------------ step 1: upstream -> rows
_Z = re.compile(r"z\('([\d.]+)','([^']*)',(\d+),\[(.*?)\n  \]\)", re.S)
_ROW = re.compile(r"\{p:\[(.*?)\](?:,x:\[(.*?)\])?,k:\[(.*?)\]\}")
_STR = re.compile(r"'([^']*)'")


def parse_upstream(directory: Path, pinned: dict) -> list[dict]:
    """The rows of the pr-re transcription, checking each file against its pinned sha256."""
    rows: list[dict] = []
    for name, meta in pinned.items():
        raw = (directory / name).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != meta["sha256"]:
            raise SystemExit(f"{directory / name}: sha256 {digest} is not the pinned "
                             f"{meta['sha256']} (commit {meta['commit']}); fetch that version")
        for m in _Z.finditer(raw.decode("utf-8")):
            field, _name, page, body = m.groups()
            for r in _ROW.finditer(body):
                kw = _STR.findall(r.group(3))
                rows.append({"field_code": field, "page": int(page),
                             "ipc": _STR.findall(r.group(1)),
                             "exclude": _STR.findall(r.group(2) or ""),
                             "keywords_text": kw[0] if kw else "", "origin": "pr-re"})
    return rows


def _inside(inner: str, outer: str) -> bool:
    """True when every code of pattern ``inner`` is also covered by pattern ``outer``."""
    a, b = _parse_pattern(inner), _parse_pattern(outer)
    order = ["section", "class", "subclass", "main", "prefix", "exact"]
    if order.index(a.level) < order.index(b.level):
        return False
    if b.level in ("section", "class", "subclass"):
        return a.key.startswith(b.key)
    main_a = a.key.partition("/")[0]
    if b.level == "main":
        return main_a == b.key
    if b.level == "prefix":
        sub = a.sub if a.level == "prefix" else a.key.partition("/")[2]
        return main_a == b.key and sub.startswith(b.sub)
    return a.level == "exact" and a.key == b.key


def apply_repairs(rows: list[dict], repairs: list[dict]) -> list[dict]:
    """Apply the documented corrections (see repairs.yaml) and return the rows in table order."""
    by_field: dict[str, list[dict]] = {}
    for r in rows:
        by_field.setdefault(r["field_code"], []).append(r)
    inserted: dict[int, list[dict]] = {}
    before: dict[int, list[dict]] = {}
    for rep in repairs:
        field_rows = by_field[rep["field"]]
        target = field_rows[rep["row"] - 1]
        tag = rep["evidence"].split(" ", 1)[0]
        if "keywords" in rep and "split" not in rep:
            target["keywords_text"] = rep["keywords"]
            target["origin"] = f"pr-re; keywords corrected ({tag})"
        if "pattern" in rep:
            old, new = rep["pattern"]["old"], rep["pattern"]["new"]
            target["ipc"] = [new if p == old else p for p in target["ipc"]]
            target["origin"] = f"pr-re; {old} read as {new}"
        if "split" in rep:
            sp = rep["split"]
            moved = [p for p in target["ipc"] if p in sp["patterns"]]
            missing = sorted(set(sp["patterns"]) - set(moved))
            if missing:
                raise SystemExit(f"repair {rep['field']} row {rep['row']}: {missing} not in the row")
            target["ipc"] = [p for p in target["ipc"] if p not in sp["patterns"]]
            new = {"field_code": target["field_code"], "page": target["page"], "ipc": moved,
                   "exclude": [x for x in target["exclude"] if x not in moved
                               and any(_inside(x, p) for p in moved)],
                   "keywords_text": sp["keywords"], "origin": f"pr-re; split from a merged row ({tag})"}
            target["exclude"] = [x for x in target["exclude"]
                                 if any(_inside(x, p) for p in target["ipc"])]
            target["origin"] = f"pr-re; merged row split ({tag})"
            (before if sp["position"] == "before" else inserted).setdefault(
                id(target), []).append(new)
    out = []
    for field in by_field:
        for r in by_field[field]:
            out.extend(before.get(id(r), []))
            out.append(r)
            out.extend(inserted.get(id(r), []))
    return out


def rows_tsv(rows: list[dict]) -> str:
    """The rows file: one line per table row, tab-separated, patterns space-separated."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(ROW_COLUMNS)
    for i, r in enumerate(rows, start=1):
        w.writerow([f"T{i:03d}", r["field_code"], r["page"], " ".join(r["ipc"]),
                    " ".join(r["exclude"]), r["keywords_text"], r["origin"]])
    return buf.getvalue()


# ------------------------------------------------------------------ step 2: rows -> entries
def read_rows(text: str) -> list[dict]:
    """Parse the rows file written by :func:`rows_tsv`."""
    rd = csv.DictReader(io.StringIO(text), delimiter="\t")
    if rd.fieldnames != ROW_COLUMNS:
        raise SystemExit(f"{ROWS}: columns {rd.fieldnames} are not {ROW_COLUMNS}")
    return [{**r, "ipc": r["ipc"].split(), "exclude": r["exclude"].split()} for r in rd]


def derive_terms(text: str, cfg: dict) -> tuple[bool, list[str], str]:
    """(partial, terms, note) of one keyword text under the rules of terms.yaml."""
    t = text.strip()
    if not t:
        return False, [], ""
    if any(t.startswith(p) for p in cfg["exclusion_prefixes"]):
        return False, [], t
    for suf in cfg["meta_suffixes"]:
        if t.endswith(suf):
            t = t[: -len(suf)]
            break
    terms: list[str] = []
    suffixes = sorted(cfg["strip_suffixes"], key=len, reverse=True)
    for piece in re.split(cfg["split_on"], t):
        s = piece.strip(" 。.")
        changed = True
        while changed and s:
            changed = False
            for suf in suffixes:
                if s.endswith(suf) and len(s) > len(suf):
                    s, changed = s[: -len(suf)].strip(), True
                    break
            for pre in cfg["strip_prefixes"]:
                if s.startswith(pre) and len(s) > len(pre):
                    s, changed = s[len(pre):].strip(), True
        if len(s) >= cfg["min_chars"] and s not in cfg["stop_terms"] and s not in terms:
            terms.append(s)
    return True, terms, ""


def build_entries(rows: list[dict], cfg: dict) -> list[dict]:
    """One entry per IPC pattern of every row, with the row's exclusions inside its scope."""
    fields = set(load_industries().query("level == 2")["code"])
    entries = []
    for r in rows:
        if r["field_code"] not in fields:
            raise SystemExit(f"{ROWS} {r['row']}: field {r['field_code']!r} is not a second-level "
                             "field of 《战略性新兴产业分类（2018）》")
        partial, terms, note = derive_terms(r["keywords_text"], cfg)
        for p in r["ipc"]:
            pat = _parse_pattern(p)
            exc = [x for x in r["exclude"] if _inside(x, p) and x != p]
            entries.append({"entry": f"E{len(entries) + 1:04d}", "row": r["row"],
                            "field_code": r["field_code"], "ipc": pat.text,
                            "level": _LEVEL_NAME[pat.level], "exclude": ";".join(exc),
                            "partial": int(partial), "terms": ";".join(terms),
                            "keywords_text": r["keywords_text"], "note": note})
    return entries


def entries_csv(entries: list[dict]) -> str:
    """The shipped concordance.csv text."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ENTRY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(entries)
    return buf.getvalue()


def sums(files: dict[str, str]) -> str:
    """SHA256SUMS text (``sha256sum -c`` format, paths relative to hvpscore/rules/sei)."""
    return "".join(f"{hashlib.sha256(t.encode('utf-8')).hexdigest()}  {name}\n"
                   for name, t in files.items())


def build(upstream: Path | None = None) -> dict[Path, str]:
    """Every generated file and its text, without writing anything."""
    meta = yaml.safe_load(REPAIRS.read_text(encoding="utf-8"))
    cfg = yaml.safe_load(TERMS.read_text(encoding="utf-8"))
    if upstream is not None:
        rows_text = rows_tsv(apply_repairs(parse_upstream(upstream, meta["source"]["files"]),
                                           meta["repairs"]))
    else:
        rows_text = ROWS.read_text(encoding="utf-8")
    conc = entries_csv(build_entries(read_rows(rows_text), cfg))
    files = {"concordance.csv": conc, "source/cnipa-2021-rows.tsv": rows_text,
             "source/repairs.yaml": REPAIRS.read_text(encoding="utf-8"),
             "source/terms.yaml": TERMS.read_text(encoding="utf-8")}
    return {OUT: conc, ROWS: rows_text, SUMS: sums(files)}


def main(argv: list[str] | None = None) -> int:
    """Command line: build (default), ``--upstream DIR``, ``--check``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", type=Path, help="directory holding pr-re's zhanlue_*.js")
    ap.add_argument("--check", action="store_true", help="compare with the files, write nothing")
    a = ap.parse_args(argv)
    out = build(a.upstream)
    bad = [p for p, t in out.items() if not p.exists() or p.read_text(encoding="utf-8") != t]
    if a.check:
        for p in bad:
            print(f"differs: {p.relative_to(ROOT)}")
        return 1 if bad else 0
    for p, t in out.items():
        p.write_text(t, encoding="utf-8", newline="")
    print(f"{OUT.relative_to(ROOT)}: {out[OUT].count(chr(10)) - 1} entries; "
          f"{ROWS.relative_to(ROOT)}: {out[ROWS].count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
