"""Result types of the claims analysis: :class:`Claim`, :class:`Finding`, :class:`ClaimSet`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Claim", "Finding", "ClaimSet"]


@dataclass(frozen=True)
class Claim:
    """One claim.

    ``depends_on`` lists every claim the text refers to (ranges expanded, sorted, duplicates
    removed; references to later or missing claims included so that findings can name them);
    ``cited`` the numbers as written (range end points). ``depth`` is 1 for an independent claim,
    1 + the deepest valid (earlier, existing) parent for a dependent one. ``length`` counts
    characters (without spaces) for Chinese, words for English.
    """

    number: int
    text: str
    independent: bool
    depends_on: tuple[int, ...]
    depth: int
    category: str | None
    transitional: str | None
    length: int
    subject: str = ""
    cited: tuple[int, ...] = ()
    multiple: bool = False
    dependent_form: bool = False
    transitional_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["depends_on"] = list(self.depends_on)
        d["cited"] = list(self.cited)
        return d


@dataclass(frozen=True)
class Finding:
    """One problem an examiner would raise: code, claim number, quote, zh/en message, severity."""

    code: str
    claim: int | None
    quote: str
    message_zh: str
    message_en: str
    severity: str
    term: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


_FRAME_COLUMNS = [
    "number",
    "independent",
    "depends_on",
    "depth",
    "category",
    "transitional",
    "length",
    "subject",
    "multiple",
    "text",
]


@dataclass(frozen=True)
class ClaimSet:
    """The claims of one text: claims in text order, language, findings, cancelled claims,
    numbering gaps (missing numbers) and duplicated numbers. ``spans`` holds, per claim (same
    order), the (start, end) of its body in the text as given (``Claim.text`` is that body with
    page numbers dropped and wrapped lines joined)."""

    claims: list[Claim]
    lang: str
    findings: list[Finding] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    unnumbered: bool = False
    gaps: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.claims)

    def __iter__(self):
        return iter(self.claims)

    def claim(self, number: int) -> Claim:
        """The claim numbered ``number`` (the first one when a number is used twice)."""
        for c in self.claims:
            if c.number == number:
                return c
        raise KeyError(number)

    @property
    def n_claims(self) -> int:
        return len(self.claims)

    @property
    def independent(self) -> list[int]:
        return [c.number for c in self.claims if c.independent]

    @property
    def n_independent(self) -> int:
        return sum(c.independent for c in self.claims)

    @property
    def n_dependent(self) -> int:
        return self.n_claims - self.n_independent

    @property
    def max_depth(self) -> int:
        return max((c.depth for c in self.claims), default=0)

    @property
    def categories(self) -> list[str]:
        """Categories of the independent claims, in order of first appearance."""
        out: list[str] = []
        for c in self.claims:
            if c.independent and c.category and c.category not in out:
                out.append(c.category)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per claim (columns: number, independent, depends_on, depth, category, ...)."""
        rows = [
            {
                "number": c.number,
                "independent": c.independent,
                "depends_on": list(c.depends_on),
                "depth": c.depth,
                "category": c.category,
                "transitional": c.transitional,
                "length": c.length,
                "subject": c.subject,
                "multiple": c.multiple,
                "text": c.text,
            }
            for c in self.claims
        ]
        df = pd.DataFrame(rows, columns=_FRAME_COLUMNS)
        return df.astype({"number": "int64", "depth": "int64", "length": "int64"})

    def findings_frame(self) -> pd.DataFrame:
        """One row per finding (code, claim, severity, quote, message_zh, message_en, term)."""
        cols = ["code", "claim", "severity", "quote", "message_zh", "message_en", "term"]
        df = pd.DataFrame([f.to_dict() for f in self.findings], columns=cols)
        df["claim"] = df["claim"].astype("Int64")
        return df

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "n_claims": self.n_claims,
            "n_independent": self.n_independent,
            "n_dependent": self.n_dependent,
            "independent": self.independent,
            "max_depth": self.max_depth,
            "categories": self.categories,
            "cancelled": list(self.cancelled),
            "gaps": list(self.gaps),
            "duplicates": list(self.duplicates),
            "unnumbered": self.unnumbered,
            "claims": [c.to_dict() for c in self.claims],
            "findings": [f.to_dict() for f in self.findings],
        }
