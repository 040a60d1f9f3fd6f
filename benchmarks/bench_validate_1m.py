"""``hvpscore validate`` on a 1,000,000-row cn-export CSV with 1 % bad rows: nothing lost.

The clean stock is realistic cn-export rows from ``hvpscore.datasets`` (a base of 20,000 patents
tiled with fresh, valid application numbers, see ``_stock.py``). Into it, at seeded random lines,
go 1 % planted rows of the kinds a bureau's export holds (issue 8):

* structure: extra fields, missing trailing fields, a bare quote inside a value, text after a
  closing quote, an unterminated quote (the rows after it must survive);
* encoding: a line in GBK inside the UTF-8 file (decoded: accepted, with its text intact) and a
  line of bytes valid in no encoding (rejected);
* values: an impossible date, the placeholder 0000-00-00, the number 1e21 in a count, a value
  that is no IPC code, a wrong check digit, an unknown legal status, a second row with an id
  already seen (the later copy is rejected).

The real CLI runs in a subprocess (``python -m hvpscore validate FILE -p cn-export -o OUT
--rejects REJ``); then the script checks, from the files it wrote:

* read = accepted + rejected = clean rows + planted rows;
* every planted bad row is in the rejects file once, at its line, with the expected code;
* every clean row and every GBK row is in the output once (by application number), with the GBK
  row's title decoded correctly; no bad row is in the output.

Prints rows/s (wall and the child's CPU), the child's peak RSS, the counts, the per-kind table.
Files are cached under ``~/.cache/hvpscore-bench/validate-v1/``.
Run: ``python benchmarks/bench_validate_1m.py [N]`` (default 1,000,000; exit 1 if anything lost).
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _stock  # noqa: E402

from hvpscore.numbers import cn_check_digits  # noqa: E402

CACHE = Path.home() / ".cache" / "hvpscore-bench" / "validate-v1"
BAD_SHARE = 0.01
SEED = 8

# kind -> expected reject code (None: the row is recovered and accepted)
KINDS: dict[str, str | None] = {
    "extra_fields": "extra_fields",
    "missing_trailing_fields": "missing_fields",
    "bare_quote": "malformed_line",
    "text_after_quote": "malformed_line",
    "unterminated_quote": "malformed_line",
    "gbk_line": None,
    "undecodable_bytes": "undecodable",
    "impossible_date": "not_a_date",
    "placeholder_date": "not_a_date",
    "number_1e21": "too_large",
    "not_an_ipc": "not_ipc",
    "bad_check_digit": "bad_check_digit",
    "unknown_legal_status": "unknown_value",
    "duplicate_id": "duplicate_id",
}


def fresh_id(template: str, k: int) -> str:
    """An application number no clean row has: the template's year and type, serial
    5,000,000 + k (clean rows use serials below the row count), its check digit."""
    body = template.replace("ZL", "").split(".")[0]
    head = body[:5] if len(body) == 12 else ("19" if int(body[:2]) >= 85 else "20") + body[:3]
    digits = head + f"{5_000_000 + k:07d}"
    return digits + "." + cn_check_digits([digits])[0]


def _line(fields: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(fields)
    return buf.getvalue().encode("utf-8")


def plant(kind: str, fields: list[str], col: dict[str, int], k: int) -> tuple[bytes, str]:
    """The planted line (with its newline) made from a clean row's ``fields``, and its id."""
    f = list(fields)
    pid = fresh_id(f[col["申请号"]], k)
    f[col["申请号"]] = pid
    t = col["名称"]
    if kind == "duplicate_id":
        return _line(fields), fields[col["申请号"]]  # an exact copy of an earlier clean row
    if kind == "extra_fields":
        return _line(f)[:-1] + ",多余的一列\n".encode(), pid
    if kind == "missing_trailing_fields":
        return _line(f[:-3]), pid
    if kind in ("bare_quote", "text_after_quote", "unterminated_quote"):
        f[t] = "@@TITLE@@"
        raw = _line(f).decode("utf-8")
        title = {"bare_quote": '一种"智能"装置', "text_after_quote": '"一种"装置',
                 "unterminated_quote": '"一种装置'}[kind]
        return raw.replace("@@TITLE@@", title).encode("utf-8"), pid
    if kind == "gbk_line":
        f[t] = f"一种用于检测的装置{k}"
        text = _line(f).decode("utf-8")
        try:
            return text.encode("gbk"), pid
        except UnicodeEncodeError:  # a rare character outside GBK: its superset GB18030
            return text.encode("gb18030"), pid
    if kind == "undecodable_bytes":
        f[t] = "@@TITLE@@"
        return _line(f).replace(b"@@TITLE@@", b"\xff\xfe\xfd"), pid
    if kind == "impossible_date":
        f[col["申请日"]] = "2018-02-30"
    elif kind == "placeholder_date":
        f[col["申请日"]] = "0000-00-00"
    elif kind == "number_1e21":
        f[col["权利要求数量"]] = "1e21"
    elif kind == "not_an_ipc":
        f[col["IPC分类号"]] = "不是分类号"
    elif kind == "bad_check_digit":
        d, c = pid.split(".")
        pid = f"{d}.{(int(c) + 1) % 10 if c != 'X' else 0}"
        f[col["申请号"]] = pid
    elif kind == "unknown_legal_status":
        f[col["法律状态"]] = "专利权的转移"
    return _line(f), pid


def build(n: int) -> tuple[Path, pd.DataFrame]:
    """The planted file and its manifest (line, kind, id, expected code) — cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"planted-{n}-s{SEED}.csv"
    manifest = CACHE / f"planted-{n}-s{SEED}.manifest.parquet"
    if path.exists() and manifest.exists():
        man = pd.read_parquet(manifest)
        return path, man.assign(code=man["kind"].map(KINDS))  # the codes of this script
    n_bad = round(n * BAD_SHARE)
    n_good = n - n_bad
    _stock.CACHE = CACHE  # the base export and clean stock go to this cache too
    clean = _stock.stock_csv(n_good, text=False, path=CACHE / f"clean-{n_good}.csv")
    rng = random.Random(SEED)
    kinds = [list(KINDS)[i % len(KINDS)] for i in range(n_bad)]
    rng.shuffle(kinds)
    # before which clean row each planted row goes (a duplicate goes after its original)
    at = sorted(rng.randrange(1, n_good + 1) for _ in range(n_bad))
    rows, line_no = [], 1  # line 1: the header
    tmp = path.with_suffix(".partial")
    with open(clean, "rb") as src, open(tmp, "wb") as out:
        header = src.readline()
        out.write(header)
        names = next(csv.reader([header.decode("utf-8")]))
        col = {c: i for i, c in enumerate(names)}
        j = 0
        recent: list[list[str]] = []
        for i, raw in enumerate(src, start=1):
            if raw.count(b'"') % 2:  # a quoted value across lines: the scan below is by line
                raise SystemExit(f"{clean}: line {i + 1} holds a line break in a value")
            fields = next(csv.reader([raw.decode("utf-8")]))
            while j < n_bad and at[j] == i:
                kind = kinds[j]
                base = rng.choice(recent) if kind == "duplicate_id" and recent else fields
                if kind == "duplicate_id" and not recent:
                    kind = "extra_fields"
                line, pid = plant(kind, base, col, j)
                line_no += 1
                out.write(line)
                rows.append((line_no, kind, pid, KINDS[kind]))
                j += 1
            line_no += 1
            out.write(raw)
            recent = (recent + [fields])[-50:]
    if j != n_bad:
        raise SystemExit(f"planted {j} of {n_bad} rows")
    os.replace(tmp, path)
    man = pd.DataFrame(rows, columns=["line", "kind", "patent_id", "code"])
    man.to_parquet(manifest, index=False)
    return path, man


def main(n: int = 1_000_000) -> int:
    t0 = time.perf_counter()
    path, man = build(n)
    print(f"file: {path} ({path.stat().st_size / 2**20:,.0f} MiB, {n:,} rows, "
          f"{len(man):,} planted; ready in {time.perf_counter() - t0:,.0f} s)", flush=True)
    with tempfile.TemporaryDirectory() as d:
        out, rej = Path(d) / "accepted.parquet", Path(d) / "rejects.csv"
        cmd = [sys.executable, "-m", "hvpscore", "validate", str(path), "-p", "cn-export",
               "-o", str(out), "--rejects", str(rej), "--lang", "en"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - w
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (ru.ru_utime - before.ru_utime) + (ru.ru_stime - before.ru_stime)
        print(f"$ {' '.join(cmd[1:])}\n  exit {proc.returncode}; "
              + " | ".join(x for x in (proc.stdout + proc.stderr).strip().splitlines()[:4]),
              flush=True)
        if "Traceback" in proc.stderr:
            print(proc.stderr)
            return 1
        print(f"validate: {n / wall:,.0f} rows/s wall, {n / cpu:,.0f} rows/s CPU "
              f"({wall:,.1f} s wall, {cpu:,.1f} s CPU); peak RSS {ru.ru_maxrss / 1024:,.0f} MiB; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        acc = pd.read_parquet(out, columns=["patent_id", "row", "title"])
        rejects = pd.read_csv(rej, dtype=str, keep_default_na=False)
    return check(n, man, acc, rejects, proc.stdout + proc.stderr)


def _norm(pid: str) -> str:
    return "CN" + pid.replace("ZL", "")


def check(n: int, man: pd.DataFrame, acc: pd.DataFrame, rejects: pd.DataFrame, text: str) -> int:
    import re

    m = re.search(r"read (\d+) rows, accepted (\d+), rejected (\d+)", text)
    read, n_acc, n_rej = (int(x) for x in m.groups())
    bad = man[man["code"].notna()]
    rec = man[man["code"].isna()]
    ok = True

    def claim(cond: bool, what: str) -> None:
        nonlocal ok
        ok &= bool(cond)
        print(f"  [{'ok' if cond else 'FAIL'}] {what}", flush=True)

    print(f"counts: read {read:,} = accepted {n_acc:,} + rejected {n_rej:,}; "
          f"planted bad {len(bad):,}, planted recoverable (GBK) {len(rec):,}")
    claim(read == n == n_acc + n_rej, f"read = accepted + rejected = {n:,} rows in the file")
    claim(len(acc) == n_acc, f"output rows {len(acc):,} = accepted")
    claim(len(rejects) == n_rej, f"rejects file rows {len(rejects):,} = rejected")
    claim(n_rej == len(bad), f"rejected = planted bad rows ({len(bad):,})")
    # every planted bad row in the rejects, at its line, with its code
    rj = rejects.assign(line=pd.to_numeric(rejects["line"], errors="coerce"))
    got = man.merge(rj[["line", "codes"]], on="line", how="left")
    got["hit"] = [isinstance(c, str) and isinstance(e, str) and e in c.split(";")
                  for c, e in zip(got["codes"], got["code"], strict=True)]
    table = got.groupby("kind", sort=False).agg(
        planted=("line", "size"), expected=("code", "first"),
        in_rejects_at_line=("codes", lambda s: int(s.notna().sum())),
        with_code=("hit", "sum"), codes_seen=("codes", lambda s: ";".join(sorted(
            {x for v in s.dropna() for x in v.split(";")}))))
    print(table.to_string())
    claim(bool(got.loc[got["code"].notna(), "hit"].all()),
          "every planted bad row is in the rejects at its line with the expected code")
    claim(int(rj["line"].isin(bad["line"]).sum()) == len(rj) and rj["line"].is_unique,
          "the rejects hold nothing else, each line once")
    # every clean row and every GBK row once in the output, no bad row
    ids = acc["patent_id"].astype(str)
    claim(ids.is_unique, "no row twice in the output")
    bad_ids = set(_norm(p) for p in bad.loc[bad["kind"] != "duplicate_id", "patent_id"])
    claim(not bad_ids & set(ids), "no planted bad row in the output")
    dup_ids = set(_norm(p) for p in bad.loc[bad["kind"] == "duplicate_id", "patent_id"])
    claim(dup_ids <= set(ids), "the first copy of each duplicated id is kept")
    rec_ids = [_norm(p) for p in rec["patent_id"]]
    got_rec = acc.set_index("patent_id").reindex(rec_ids)
    claim(got_rec["title"].notna().all() and got_rec["title"].str.startswith(
        "一种用于检测的装置").all(), f"all {len(rec):,} GBK lines accepted with the title decoded")
    claim(len(acc) == n - len(man) + len(rec), f"output = clean rows {n - len(man):,} + GBK rows")
    print("nothing lost" if ok else "SOMETHING LOST OR WRONG")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
