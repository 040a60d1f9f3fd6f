"""``make_claims_texts``: claim sets with their truth, for claims parsers and linters."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.datasets._claims import ClaimSet, build_claims
from hvpscore.datasets._proportions import PROPORTIONS
from hvpscore.datasets._vocab import fields

__all__ = ["make_claims_texts"]

_TRUTH_COLUMNS = ["claims_text", "n_claims", "independent", "independent_formal", "depends_on",
                  "numbers", "vague",
                  "numbering_error", "forward_reference", "lang", "patent_type", "field", "sei"]


@cache
def _en() -> dict:
    text = (resources.files("hvpscore.datasets") / "data" / "claims_en.yaml").read_text("utf-8")
    return _yaml_safe_load(text)


def _build_en(n_claims: int, n_indep: int, rng: np.random.Generator, vague_rate: float,
              numbering_error: bool, forward_reference: bool) -> ClaimSet:
    v = _en()

    def pick(seq):
        return seq[int(rng.integers(len(seq)))]

    def vals() -> dict:
        a, b, c, d = (v["parts"][int(i)] for i in rng.choice(len(v["parts"]), 4, replace=False))
        x = int(rng.integers(1, 20))
        return {"a": a, "b": b, "c": c, "d": d, "x": x, "y": x + int(rng.integers(2, 30)),
                "k": int(rng.integers(2, 9)), "material": pick(v["materials"])}

    subject = pick(v["subjects"])
    n_indep = 2 if (n_indep >= 2 and n_claims >= 4) else 1
    first = n_claims if n_indep == 1 else max(2, n_claims - max(1, n_claims // 4))
    texts, deps, indep = [], [], [1]
    texts.append(pick(v["independent"]).format(subject=subject, **vals()))
    deps.append([])
    is_vague = False
    for pos in range(2, n_claims + 1):
        if pos == first + 1:
            indep.append(pos)
            texts.append(pick(v["method"]).format(**{**vals(), "subject": subject, "a": 1,
                                                     "b": first}))
            deps.append(list(range(1, first + 1)))
            continue
        start = indep[-1]
        noun = subject if start == 1 else "method"
        if pos - start >= 2 and rng.random() < 0.3:
            b = int(rng.integers(start + 1, pos))
            ref = f"The {noun} according to any one of claims {start} to {b}, "
            refs = list(range(start, b + 1))
        else:
            j = start if rng.random() < 0.6 else int(rng.integers(start, pos))
            ref = f"The {noun} of claim {j}, "
            refs = [j]
        if rng.random() < vague_rate:
            body, is_vague = pick(v["vague"]).format(**vals()), True
        else:
            body = pick(v["dependent"]).format(**vals())
        texts.append(ref + body)
        deps.append(refs)
    fwd = False
    if forward_reference and n_claims >= 4:
        cands = [i for i in range(1, n_claims - 1) if len(deps[i]) == 1 and (i + 1) not in indep]
        if cands:
            i = int(rng.choice(cands))
            later = int(rng.integers(i + 2, n_claims + 1))
            texts[i] = texts[i].replace(f"of claim {deps[i][0]},", f"of claim {later},", 1)
            deps[i] = [later]
            fwd = True
    numbers = list(range(1, n_claims + 1))
    if numbering_error and n_claims >= 3:
        i = int(rng.integers(1, n_claims))
        numbers = numbers[:i] + [x + 1 for x in numbers[i:]]
    text = "\n".join(f"{numbers[i]}. {t}" for i, t in enumerate(texts))
    return ClaimSet(text, n_claims, indep, deps, numbers, is_vague,
                    numbering_error and n_claims >= 3, fwd)


def make_claims_texts(
    n: int, seed: int = 0, lang: str = "zh", *, patent_type: str = "invention"
) -> pd.DataFrame:
    """``n`` synthetic claim sets with their truth.

    Chinese sets (``lang="zh"``) follow CN drafting practice: 一种……，其特征在于…… for independent
    claims, 根据权利要求1所述的…… / 如权利要求1-3任一项所述的…… for dependent ones, method and
    storage-medium claims that refer to earlier claims (counted as independent, as CN practice
    does, with the reference kept in ``depends_on``). English sets (``lang="en"``) are simpler
    device/method sets. Some sets carry vague words, a skipped or repeated number or a reference
    to a later claim (shares in ``PROPORTIONS``).

    Returns a DataFrame with columns ``claims_text``, ``n_claims`` (claims in the text),
    ``independent`` (1-based positions, CN practice: a claim of another category that refers to
    an earlier claim, e.g. 一种如权利要求1-5任一项所述装置的制备方法, is independent),
    ``independent_formal`` (claims that refer to no other claim, the convention of parsers that
    call every referring claim dependent), ``depends_on`` (referenced claim numbers per claim),
    ``numbers`` (the number printed before each claim), ``vague``, ``numbering_error``,
    ``forward_reference``, ``lang``, ``patent_type``, ``field``, ``sei``.

    >>> t = make_claims_texts(3, seed=2)
    >>> bool((t["n_claims"] == t["claims_text"].str.count("\\n") + 1).all())
    True
    """
    if lang not in ("zh", "en"):
        raise InputError(f"lang={lang!r} is not supported; use 'zh' or 'en'")
    if patent_type not in ("invention", "utility_model"):
        raise InputError(f"patent_type={patent_type!r}: claims exist for 'invention' and "
                         "'utility_model' (designs have no claims)")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InputError(f"n={n!r} is not a whole number ≥ 0; give the number of claim sets")
    rng = np.random.default_rng(seed)
    P = PROPORTIONS
    fl = fields()
    rows = []
    for _ in range(int(n)):
        if patent_type == "invention":
            n_claims = int(np.clip(round(rng.lognormal(np.log(13), 0.3)), 5, 25))
            n_indep = int(rng.choice([1, 2, 3], p=[0.4, 0.4, 0.2]))
        else:
            n_claims = int(np.clip(round(rng.lognormal(np.log(7), 0.35)), 2, 12))
            n_indep = 1 if rng.random() < 0.88 else 2
        vague_rate = float(rng.uniform(0.1, 0.35)) if rng.random() < P["claims_vague"] else 0.0
        num_err = bool(rng.random() < P["claims_numbering_error"])
        fwd = bool(rng.random() < P["claims_forward_reference"])
        if lang == "en":
            cs = _build_en(n_claims, n_indep, rng, vague_rate, num_err, fwd)
            key, sei = "generic", None
        else:
            sei = bool(rng.random() < 0.5)
            pool = fl["sei" if sei else "non_sei"]
            if patent_type == "utility_model":
                pool = [f for f in pool if f.get("um")]
            fld = pool[int(rng.integers(len(pool)))]
            subject = fld["subjects"][int(rng.integers(len(fld["subjects"])))]
            cs = build_claims(dict(fld, _subject=subject), patent_type, n_claims, n_indep, rng,
                              vague_rate=vague_rate, numbering_error=num_err,
                              forward_reference=fwd)
            key = fld["key"]
        formal = [i for i, refs in enumerate(cs.depends_on, start=1) if not refs]
        rows.append([cs.text, cs.n_claims, cs.independent, formal, cs.depends_on, cs.numbers,
                     cs.vague,
                     cs.numbering_error, cs.forward_reference, lang, patent_type, key, sei])
    df = pd.DataFrame(rows, columns=_TRUTH_COLUMNS)
    df["claims_text"] = df["claims_text"].astype(object)
    df["n_claims"] = df["n_claims"].astype("Int64")
    return df
