"""Synthetic Chinese claims texts (权利要求书) with real structure and known truth.

A claim set is built from the phrase templates in ``data/claims_zh.yaml`` for one technical field:
independent claims open groups (一种……，其特征在于……), dependent claims refer back to one claim
(根据权利要求1所述的……), to a range (如权利要求1-3任一项所述的……) or to a pair. Some sets carry the
defects a pre-filing review should find: vague words (约, 左右, 较高, 优选, 等), a skipped or repeated
claim number, or a reference to a later claim. The truth of every set is returned beside the text.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from hvpscore.datasets._vocab import claims_vocab

__all__ = ["ClaimSet", "build_claims"]

VAGUE_WORDS = ("约", "左右", "较高", "优选", "等", "大约", "基本")


@dataclass
class ClaimSet:
    """One claims text and what is true about it."""

    text: str
    n_claims: int  # claim paragraphs in the text (what an office would count)
    independent: list[int] = field(default_factory=list)  # 1-based positions of independent claims
    depends_on: list[list[int]] = field(default_factory=list)  # referenced claim numbers, per claim
    numbers: list[int] = field(default_factory=list)  # the number printed before each claim
    vague: bool = False
    numbering_error: bool = False
    forward_reference: bool = False


class _Filler:
    """Fills template placeholders for one claim set with the field's words.

    Draws come from a :class:`random.Random` seeded from the caller's numpy generator: scalar
    draws are much cheaper there, and the result stays a function of the seed.
    """

    def __init__(self, fld: dict, rng: np.random.Generator):
        self.f = fld
        self.r = random.Random(int(rng.integers(0, 2**62)))
        self.v = claims_vocab()
        self.parts = list(fld["parts"])
        self.steps = list(fld.get("steps") or ["进行处理"])

    def pick(self, seq, k=1):
        seq = list(seq) if not isinstance(seq, list) else seq
        if k <= len(seq):
            return self.r.sample(seq, k)
        return [self.r.choice(seq) for _ in range(k)]

    def values(self, need: frozenset[str] | set[str]) -> dict:
        """Values for the placeholders in ``need`` only (drawing the rest would waste time)."""
        r = self.r
        out: dict = {}
        if need & _PARTS:
            out.update(zip(("a", "b", "c", "d"), self.pick(self.parts, 4), strict=True))
        if need & _STEPS:
            out.update(zip(("s", "s2", "s3", "s4"), self.pick(self.steps, 4), strict=True))
        for key in sorted(need - out.keys()):  # sorted: set order varies with PYTHONHASHSEED
            if key in _NUMBERS:
                lo, hi = _NUMBERS[key]
                out[key] = r.randint(lo, hi)
        for lo_key, hi_key, lo, hi in _SPANS:
            if hi_key in need:
                out[hi_key] = out.setdefault(lo_key, r.randint(*_NUMBERS[lo_key])) + r.randint(lo,
                                                                                              hi)
        if "t1" in need or "t2" in need:
            out["t1"] = r.choice((40, 60, 80, 120, 150, 200, 450, 550))
            out["t2"] = out["t1"] + r.choice((10, 20, 30, 50))
        if "k2" in need:
            out["k2"] = out.setdefault("k", r.randint(2, 8)) + 2
        if "material" in need:
            out["material"] = r.choice(self.v["materials"])
        if "shape" in need:
            out["shape"] = r.choice(self.v["shapes"])
        if "alt" in need:
            out["alt"] = "、".join(self.pick(self.parts, 3))
        out["device_noun"] = self.f.get("device_noun", "装置")
        out["method"] = self.f.get("method_noun", "方法")
        return out

    def relation(self) -> str:
        tpl = self.r.choice(self.v["device"]["relations"])
        return tpl.format(**self.values(_placeholders(tpl)))

    def fill(self, template: str, **extra) -> str:
        need = _placeholders(template) - extra.keys()
        vals = self.values(need)
        for key in ("rel1", "rel2", "rel3"):
            if key in need:
                vals[key] = self.relation()
        vals.update(extra)
        return template.format(**vals)


_PARTS = frozenset("abcd")
_STEPS = frozenset(("s", "s2", "s3", "s4"))
_NUMBERS = {"x": (1, 19), "x2": (1, 14), "x3": (1, 9), "x4": (1, 7), "k": (2, 8)}
# (low key, high key, added min, added max): high = low + a random span
_SPANS = (("x", "y", 2, 39), ("x2", "y2", 2, 19), ("x3", "y3", 1, 9), ("x4", "y4", 1, 5))


@cache
def _placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _groups(n_claims: int, n_indep: int, rng: np.random.Generator) -> list[int]:
    """Sizes of the claim groups (each opened by an independent claim), first group largest."""
    n_indep = max(1, min(n_indep, n_claims))
    if n_indep == 1:
        return [n_claims]
    rest = n_claims - n_indep
    shares = np.sort(rng.dirichlet(np.ones(n_indep) * 1.5))[::-1]
    extra = np.floor(shares * rest).astype(int)
    extra[0] += rest - extra.sum()
    return [int(e) + 1 for e in extra]


def build_claims(
    fld: dict,
    patent_type: str,
    n_claims: int,
    n_indep: int,
    rng: np.random.Generator,
    *,
    vague_rate: float = 0.0,
    numbering_error: bool = False,
    forward_reference: bool = False,
) -> ClaimSet:
    """Build one claim set of ``n_claims`` claims with ``n_indep`` independent claims."""
    v = claims_vocab()
    fill = _Filler(fld, rng)
    style = fld["style"] if patent_type == "invention" else "device"
    subject = fld["_subject"]
    sizes = _groups(n_claims, n_indep, rng)
    texts: list[str] = []
    indep: list[int] = []
    deps: list[list[int]] = []
    lead = fill.pick(v["feature_lead"])[0]
    is_vague = False
    method_subject = subject
    for g, size in enumerate(sizes):
        start = len(texts) + 1
        indep.append(start)
        # ---- the independent claim of this group
        if g == 0:
            if patent_type != "invention":
                tpl = fill.pick(v["utility_model"]["independent"])[0]
            else:
                tpl = fill.pick(v[style]["independent"])[0]
            first = fill.fill(tpl, subject=subject)
            elabs = v[style if patent_type == "invention" else "device"]["elaborations"]
            k = fill.r.randint(2, 4) if patent_type == "invention" else fill.r.randint(0, 1)
            for e in fill.pick(elabs, k) if k else []:
                first = first[:-1] + "；" + fill.fill(e, subject=subject) + "。"
            texts.append(first)
            deps.append([])
            noun = subject + ("方法" if style == "software" else "")
        else:
            prev_last = start - 1
            if style == "software" and g == 1:
                tpl = fill.pick(v["software"]["device"])[0]
                texts.append(fill.fill(tpl, subject=subject))
                deps.append([])
                noun = subject + fld.get("device_noun", "装置")
            elif style == "software":
                tpl = fill.pick(v["software"]["medium"])[0]
                texts.append(fill.fill(tpl, subject=subject, a=1, b=sizes[0]))
                deps.append(list(range(1, sizes[0] + 1)))
                noun = "计算机可读存储介质" if "存储介质" in tpl else "电子设备"
            elif patent_type != "invention":  # utility models claim products only
                tpl = fill.pick(v["utility_model"]["independent"])[0]
                texts.append(fill.fill(tpl, subject=subject))
                deps.append([])
                noun = subject
            elif style == "device" and g >= 2:
                tpl = fill.pick(v["device"]["system"])[0]
                texts.append(fill.fill(tpl, subject=subject, a=1, b=sizes[0]))
                deps.append(list(range(1, sizes[0] + 1)) if "{a}-{b}" in tpl or "{a}至{b}" in tpl
                            else [])
                noun = texts[-1].split("，")[0].removeprefix("一种")
            else:
                tpl = fill.pick(v[style]["method"])[0]
                texts.append(fill.fill(tpl, subject=subject, a=1, b=prev_last))
                if "-{b}" in tpl:
                    refs = list(range(1, prev_last + 1))
                else:
                    refs = [1] if "{a}所述" in tpl else []
                deps.append(refs)
                method_subject = f"{subject}的{fld.get('method_noun', '方法')}"
                noun = method_subject
        # ---- its dependent claims
        for _ in range(size - 1):
            pos = len(texts) + 1
            r = fill.r.random()
            if r < 0.62 or pos - start < 2:
                j = start if fill.r.random() < 0.6 else fill.r.randrange(start, pos)
                ref = fill.pick(v["refs"]["single"])[0].format(j=j)
                refs = [j]
            elif r < 0.9:
                a, b = start, fill.r.randrange(start + 1, pos)
                ref = fill.pick(v["refs"]["range"])[0].format(a=a, b=b)
                refs = list(range(a, b + 1))
            else:
                a, b = start, fill.r.randrange(start + 1, pos)
                ref = fill.pick(v["refs"]["pair"])[0].format(a=a, b=b)
                refs = [a, b]
            if fill.r.random() < vague_rate:
                body = fill.fill(fill.pick(v[style]["vague"])[0], subject=subject)
                is_vague = True
            else:
                body = fill.fill(fill.pick(v[style]["dependent"])[0], subject=subject)
            for p_more in (0.85, 0.35):  # one to three features per dependent claim
                if fill.r.random() < p_more:
                    body += "；" + fill.fill(fill.pick(v[style]["dependent"])[0], subject=subject)
            texts.append(f"{ref}{noun}{lead}{body}。")
            deps.append(refs)
    n = len(texts)
    # ---- defects
    fwd = False
    if forward_reference and n >= 4:
        cands = [i for i in range(1, n - 1) if deps[i] and len(deps[i]) == 1 and i + 1 not in indep]
        if cands:
            i = fill.r.choice(cands)
            later = fill.r.randint(i + 2, n)
            old = deps[i][0]
            texts[i] = texts[i].replace(f"权利要求{old}所述", f"权利要求{later}所述", 1)
            deps[i] = [later]
            fwd = True
    numbers = list(range(1, n + 1))
    num_err = False
    if numbering_error and n >= 3:
        i = fill.r.randrange(1, n)
        if fill.r.random() < 0.5:
            numbers = numbers[:i] + [x + 1 for x in numbers[i:]]  # a number skipped
        else:
            numbers = numbers[:i] + [numbers[i - 1]] + [x for x in numbers[i:-1]]  # repeated
        num_err = True
    style_fmt = fill.pick(v["number_styles"])[0]
    lines = [style_fmt.format(n=numbers[i]) + texts[i] for i in range(n)]
    return ClaimSet(
        text="\n".join(lines),
        n_claims=n,
        independent=indep,
        depends_on=deps,
        numbers=numbers,
        vague=is_vague,
        numbering_error=num_err,
        forward_reference=fwd,
    )
