"""What the service does, without HTTP: the model, draft model and policy loaded once, and one
method per endpoint calling the same library functions as the CLI (``score_records``,
``read_records``, ``check_draft``). Runs in the worker threads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from hvpscore.service._errors import ServiceError
from hvpscore.service._settings import ServiceSettings

__all__ = ["Engine", "reject_code"]

_LABEL = re.compile(r"\(([a-z_0-9]+)\)$")


def reject_code(column: str, message: str) -> str:
    """A stable code for one validation problem: ``unreadable_line``, ``duplicate_id``,
    ``not_an_object`` or ``invalid_<canonical column>``."""
    if column == "<line>":
        return "unreadable_line"
    if column == "<record>":
        return "not_an_object"
    m = _LABEL.search(column)
    target = m.group(1) if m else column
    if target == "patent_id" and message.startswith("duplicates row"):
        return "duplicate_id"
    return f"invalid_{target}"


class Engine:
    """The loaded model(s) and policy, and the work behind ``/check`` and ``/score``."""

    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self.policy = None
        self.model = None
        self.draft_model = None
        self.index = None

    # -- start-up ------------------------------------------------------------------------------
    def load(self) -> Engine:
        """Load the policy, the scoring model and the draft model (once, at start-up)."""
        from hvpscore.rules import load_policy
        from hvpscore.scoring import resolve_model

        s = self.settings
        self.policy = load_policy(s.policy)
        self.model = resolve_model(s.model)
        self.draft_model = self._load_draft_model(s.draft_model)
        if s.index is not None:
            from hvpscore.screening import load_index

            self.index = load_index(s.index)
        return self

    @staticmethod
    def _load_draft_model(path):
        from hvpscore.model import load_model
        from hvpscore.prefiling import default_draft_model_path

        return load_model(path or default_draft_model_path())

    def warm_up(self) -> None:
        """One small check and one score, so the first real request is not slow."""
        self.check({"title": "一种电池", "claims_text": "1. 一种电池，包括正极和负极。\n"
                    "2. 根据权利要求1所述的电池，其中所述正极为锂。"}, None, "zh", None, "json")
        self.score_rows([{"patent_id": "CN201910561574.9", "patent_type": "invention"}],
                        profile="canonical", as_of=None, reasons=1)

    def version(self) -> dict[str, Any]:
        """hvpscore version, model versions and the policy id."""
        from hvpscore import __version__
        from hvpscore.prefiling import SCHEMA_ID, SCHEMA_VERSION

        def about(m):
            meta = m.metadata
            return {"name": meta.get("name"), "version": m.version, "stage": m.stage,
                    "targets": list(m.targets)}

        return {"hvpscore": __version__, "model": about(self.model),
                "draft_model": about(self.draft_model), "policy_id": self.policy.id,
                "index_records": None if self.index is None else len(self.index),
                "check_report_schema": {"id": SCHEMA_ID, "version": SCHEMA_VERSION}}

    # -- /check --------------------------------------------------------------------------------
    def check(self, draft, name: str | None, lang: str, as_of, fmt: str) -> tuple[str, str]:
        """Review one draft (a dict of fields, pasted text, or the bytes of an upload named
        ``name``); return ``(body, media type)`` of the report as JSON, HTML or Markdown."""
        from hvpscore.prefiling import check_draft, read_draft

        d = read_draft(draft, name=name)
        n = len(d.text("claims"))
        if n > self.settings.max_claims_chars:
            raise ServiceError("claims_too_long", length=n, limit=self.settings.max_claims_chars)
        report = check_draft(d, lang=lang, model=self.draft_model, policy=self.policy,
                             as_of=as_of, index=self.index)
        if fmt == "html":
            return report.render("html", lang=lang), "text/html; charset=utf-8"
        if fmt == "md":
            return report.render("md", lang=lang), "text/markdown; charset=utf-8"
        return json.dumps(report.to_dict(), ensure_ascii=False), "application/json"

    # -- /score --------------------------------------------------------------------------------
    def _check_rows(self, n: int) -> None:
        if n > self.settings.max_batch_rows:
            raise ServiceError("batch_too_large", rows=n, limit=self.settings.max_batch_rows)

    def score_rows(self, rows: list, *, profile: str, as_of, reasons: int) -> str:
        """Score a JSON array of records (1-based ``row`` = position in the array); items that
        are not objects are rejected with their row, never dropped."""
        from hvpscore._errors import Problem

        self._check_rows(len(rows))
        keep = [i for i, r in enumerate(rows, start=1) if isinstance(r, dict)]
        extra = [Problem(i, "<record>", json.dumps(r, ensure_ascii=False)[:80],
                         "is not a JSON object; send each record as {\"patent_id\": ...}")
                 for i, r in enumerate(rows, start=1) if not isinstance(r, dict)]
        frame = pd.DataFrame.from_records([rows[i - 1] for i in keep]) if keep else None
        return self._score(frame, keep, extra, len(rows), profile=profile, as_of=as_of,
                           reasons=reasons)

    def score_path(self, path: Path, name: str, *, profile: str, as_of, reasons: int) -> str:
        """Score an uploaded file (CSV/TSV/JSONL/Parquet/XLSX, read through ``profile``) kept
        at ``path``; messages name the upload (``name``), not the temporary file."""
        from hvpscore._errors import HvpscoreError
        from hvpscore.io import read_records

        try:
            result = read_records(path, profile)
        except HvpscoreError as e:
            raise type(e)(str(e).replace(str(path), name)) from None
        self._check_rows(result.summary.read)
        return self._finish(result, None, [], result.summary.read, as_of=as_of, reasons=reasons)

    def _score(self, frame, keep, extra, n_rows, *, profile, as_of, reasons) -> str:
        from hvpscore.io import read_records

        if frame is None:
            return self._finish(None, keep, extra, n_rows, as_of=as_of, reasons=reasons,
                                profile=profile)
        result = read_records(frame, profile)
        return self._finish(result, keep, extra, n_rows, as_of=as_of, reasons=reasons)

    def _finish(self, result, keep, extra, n_rows, *, as_of, reasons, profile=None) -> str:
        from hvpscore.scoring import score_records

        def orig(row: int) -> int:  # 1-based row of the frame -> row of the request
            return keep[row - 1] if keep is not None else int(row)

        if result is not None:
            records = result.records
            problems = list(result.problems)
            raw_ids = _raw_ids(result)
        else:
            records = pd.DataFrame({"patent_id": pd.Series([], dtype=object)})
            problems, raw_ids = [], {}
        table = score_records(records, model=self.model, policy=self.policy, as_of=as_of,
                              reasons=reasons)
        table.insert(0, "row", [orig(int(r)) for r in records.index])
        rejects: dict[int, dict[str, Any]] = {}
        for p in problems:
            r = orig(int(p.row))
            item = rejects.setdefault(r, {"row": r, "patent_id": raw_ids.get(int(p.row)),
                                          "reasons": [], "codes": [], "problems": []})
            code = reject_code(p.column, p.message)
            item["reasons"].append(f"{p.column}: {p.value!r} {p.message}")
            item["problems"].append({"column": p.column, "value": p.value,
                                     "message": p.message, "code": code})
            if code not in item["codes"]:
                item["codes"].append(code)
        for p in extra:
            code = reject_code(p.column, p.message)
            rejects[p.row] = {"row": p.row, "patent_id": None,
                              "reasons": [f"{p.column}: {p.value!r} {p.message}"],
                              "codes": [code],
                              "problems": [{"column": p.column, "value": p.value,
                                            "message": p.message, "code": code}]}
        as_of_out = str(table["as_of"].iloc[0]) if len(table) else _as_of_text(as_of)
        summary = {
            "read": n_rows, "accepted": len(table), "rejected": len(rejects),
            "high_value": int(table["is_high_value"].sum()) if len(table) else 0,
            "model_version": self.model.version, "policy_id": self.policy.id,
            "as_of": as_of_out,
            "profile": result.summary.profile if result is not None else profile,
        }
        assert summary["read"] == summary["accepted"] + summary["rejected"], summary
        scores = table.to_json(orient="records", force_ascii=False, double_precision=6)
        head = json.dumps({"summary": summary}, ensure_ascii=False)[:-1]
        tail = json.dumps([rejects[k] for k in sorted(rejects)], ensure_ascii=False)
        return f'{head}, "scores": {scores}, "rejects": {tail}}}'


def _raw_ids(result) -> dict[int, Any]:
    from hvpscore.io import load_profile

    rj = result.rejects
    if not len(rj):
        return {}
    row_col = "row" if "row" in rj.columns else "hvpscore_row"
    spec = next(f for f in load_profile(result.summary.profile).fields
                if f.target == "patent_id")
    id_col = next((c for c in spec.sources if c in rj.columns), None)
    if id_col is None:
        return {}
    return {int(r): (None if pd.isna(v) else str(v))
            for r, v in zip(rj[row_col], rj[id_col], strict=True)}


def _as_of_text(as_of) -> str:
    from hvpscore._dates import parse_as_of

    return parse_as_of(as_of).date().isoformat()
