"""Chunked runs over a source: validated records chunk by chunk, rejects kept, one summary.

Shared by :func:`hvpscore.scoring.score_file` and :func:`hvpscore.rules.criteria_file` so that
every batch job reads, counts and writes its rejected rows the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["BatchRun", "RecordBatches"]


@dataclass
class BatchRun:
    """What a batch job did: the read summary, where its output and rejects went, how long."""

    output: Path
    summary: object | None  # hvpscore.io.ReadSummary (None when the source had no rows)
    rejects_path: Path | None
    rows_out: int
    seconds: float
    extra: dict = field(default_factory=dict)

    @property
    def read(self) -> int:
        return self.summary.read if self.summary is not None else 0

    @property
    def rejected(self) -> int:
        return self.summary.rejected if self.summary is not None else 0

    def to_dict(self) -> dict:
        """A JSON-ready summary (``--log-json``)."""
        return {"output": str(self.output), "read": self.read,
                "accepted": self.summary.accepted if self.summary is not None else 0,
                "rejected": self.rejected,
                "rejects": str(self.rejects_path) if self.rejects_path else None,
                "rows_out": self.rows_out, "seconds": round(self.seconds, 3), **self.extra}


class RecordBatches:
    """Iterate ``source``'s validated records chunk by chunk (bounded memory).

    ``strict=True`` fails on the first chunk with a problem; otherwise rejected rows are kept and
    :meth:`write_rejects` writes them, with their reasons, beside the output.
    """

    def __init__(self, source, profile="canonical", *, encoding=None, strict=False,
                 chunksize: int = 100_000):
        self.source = source
        self.profile = profile
        self.encoding = encoding
        self.strict = strict
        self.chunksize = chunksize
        self.summary = None
        self._rejected: list[pd.DataFrame] = []

    def __iter__(self) -> Iterator[pd.DataFrame]:
        from hvpscore.io import iter_records

        for res in iter_records(self.source, self.profile, encoding=self.encoding,
                                chunksize=self.chunksize):
            if self.strict:
                res.raise_if_rejected()
            self.summary = res.summary if self.summary is None else self.summary.merge(res.summary)
            if len(res.rejects):
                self._rejected.append(res.rejects)
            yield res.records

    def write_rejects(self, output, rejects=None) -> Path | None:
        """Write the rejected rows (raw columns, ``row``, ``reasons``) to ``rejects`` or beside
        ``output``; return the path, or None when no row was rejected."""
        from hvpscore.io import rejects_path_for, write_table

        if not self._rejected:
            return None
        target = Path(rejects) if rejects else rejects_path_for(output)
        write_table(pd.concat(self._rejected, ignore_index=True), target)
        return target
