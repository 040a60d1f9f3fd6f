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

    ``independent`` is the office-markup reading (a claim that refers to no other claim);
    :attr:`independent_cn` the Chinese practice, which also counts a claim of its own category that
    cites another claim without opening with the reference (一种制备权利要求1所述产品的方法,
    一种计算机可读存储介质，……实现权利要求1-5任一项所述方法的步骤).
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

    @property
    def independent_cn(self) -> bool:
        """Independent under Chinese practice: refers to no claim, or cites claims without the
        dependent form (根据权利要求N所述的X / The X of claim N), i.e. a claim of its own category."""
        return self.independent or not self.dependent_form

    def to_dict(self) -> dict[str, Any]:
        """Every field, lists for tuples, and ``independent_cn``."""
        d = asdict(self)
        d["depends_on"] = list(self.depends_on)
        d["cited"] = list(self.cited)
        d["independent_cn"] = self.independent_cn
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
    "independent_cn",
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
    def independent_cn(self) -> list[int]:
        """Numbers of the independent claims under Chinese practice (:attr:`Claim.independent_cn`):
        also the claims of their own category that cite another claim."""
        return [c.number for c in self.claims if c.independent_cn]

    @property
    def n_independent_cn(self) -> int:
        return sum(c.independent_cn for c in self.claims)

    @property
    def categories_cn(self) -> list[str]:
        """Categories of the independent claims under Chinese practice, in order of appearance."""
        out: list[str] = []
        for c in self.claims:
            if c.independent_cn and c.category and c.category not in out:
                out.append(c.category)
        return out

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
        """One row per claim (columns: number, independent, independent_cn, depends_on, depth,
        category, ...)."""
        rows = [
            {
                "number": c.number,
                "independent": c.independent,
                "independent_cn": c.independent_cn,
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
            "n_independent_cn": self.n_independent_cn,
            "independent_cn": self.independent_cn,
            "max_depth": self.max_depth,
            "categories": self.categories,
            "cancelled": list(self.cancelled),
            "gaps": list(self.gaps),
            "duplicates": list(self.duplicates),
            "unnumbered": self.unnumbered,
            "claims": [c.to_dict() for c in self.claims],
            "findings": [f.to_dict() for f in self.findings],
        }
