"""Claim-level checks of the pre-filing review, on the output of :func:`hvpscore.parse_claims`.

The claims findings of hvpscore.claims (references, numbering, vague terms, English antecedent
basis …) are taken as they are and located in the text; the checks here add Chinese antecedent
basis, full stops, brackets, references to the description/drawings, mixed or unclear subjects,
claims of the same scope, misplaced dependent claims and few fall-back positions.
"""

from __future__ import annotations

import re
from functools import cache

from hvpscore.prefiling._data import lexicon, thresholds
from hvpscore.prefiling._findings import CheckFinding, ClaimLocator, make

__all__ = ["claim_checks", "claim_terms", "roots_of"]

_PUNCT_STOP = re.compile(r"[^\u4e00-\u9fffA-Za-z]")


@cache
def _ante():
    a = lexicon()["antecedent"]
    stops = sorted(a["stop_words"], key=len, reverse=True)
    return (
        re.compile("|".join(re.escape(m) for m in a["markers"])),
        tuple(stops),
        frozenset(a["ignore"]),
        re.compile(a["ordinal"]),
        tuple(a["not_marker"]),
        int(thresholds()["antecedent"]["max_len"]),
    )


_CLAIM_REF_BEFORE = re.compile(
    r"(?:权利要求|權利要求|請求項|请求项)[\d\s、,，~\-至到或和及与任一意何项中之的所述上前]*$")


def _np_after(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the noun phrase X after a marker ending at ``pos`` (empty when none)."""
    _m, stops, _ig, ordinal, _nm, max_len = _ante()
    i = pos
    while i < len(text) and text[i] in "的之 ":
        i += 1
    start = i
    m = ordinal.match(text, i)
    body_from = m.end() if m else i
    j = body_from
    limit = min(len(text), start + max_len)
    while j < limit:
        ch = text[j]
        if _PUNCT_STOP.match(ch):
            break
        if j - body_from >= 2 and text.startswith(stops, j):
            break
        j += 1
    return start, j


def _is_known(np: str, context: str) -> bool:
    if np in context:
        return True
    if len(np) >= 4 and np[:-1] in context:
        return True
    return len(np) >= 5 and np[:-2] in context


def roots_of(claims, mixed: frozenset[int] = frozenset()) -> tuple[dict[int, list[int]],
                                                                   set[int]]:
    """Per claim number: its valid ancestors (earlier, existing claims it depends on,
    transitively); and the numbers of the claims that stand on their own (independent, or
    referring to another claim without being in its dependent form or category). ``mixed``:
    claims whose subject names both a product and a method (their category says nothing)."""
    by_n = {}
    for c in claims:
        by_n.setdefault(c.number, c)
    anc: dict[int, list[int]] = {}
    standalone: set[int] = set()
    for c in claims:
        valid = [v for v in c.depends_on if v < c.number and v in by_n]
        if c.independent or not c.dependent_form or not valid:
            standalone.add(c.number)
        elif (c.category and by_n[valid[0]].category and valid[0] not in mixed
              and c.category != by_n[valid[0]].category):
            standalone.add(c.number)
        seen: list[int] = []
        for v in valid:
            for a in [v, *anc.get(v, [])]:
                if a not in seen:
                    seen.append(a)
        anc.setdefault(c.number, seen)
    return anc, standalone


_ENUM_LEAD = re.compile(r"(?:还包括|包括|包含|设有|设置有|安装有|连接有|具有|由)[：:]?")
_ENUM_SPLIT = re.compile(r"[、，,；;：:]|以及|和|及|与|或")
_ENUM_DROP = re.compile(r"^(?:一个|一种|一对|一组|多个|若干|两个|至少一个|至少两个|\d+个)|[(\[][^()\[\]]*[)\]]$")
_NOUN = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}$")
# "锤，所述锤具有开口": a name introduced and taken up at once
_INTRO = re.compile(r"(?:^|[；;：:，,、])([\u4e00-\u9fff]{1,12})[，,]\s*(?:其中)?(?:所述|该)\1")


def claim_vocab(cs, extra: set[str] | frozenset[str] = frozenset()) -> frozenset[str]:
    """Names the claims introduce (the items listed after 包括 / 设有 / 还包括 …) plus ``extra``
    (e.g. the names of reference numerals in the description): used to cut 所述X at the end of
    a known name ("所述控制器识别垃圾类别" -> 控制器)."""
    out = set(extra)
    for c in cs.claims:
        t = c.text
        out.update(m.group(1) for m in _INTRO.finditer(t))
        for m in _ENUM_LEAD.finditer(t):
            end = len(t)
            for stop in ("。", "；", ";", "，所述", "，其中", "，该"):
                k = t.find(stop, m.end())
                if 0 <= k < end:
                    end = k
            for piece in _ENUM_SPLIT.split(t[m.end():end]):
                piece = _ENUM_DROP.sub("", piece.strip()).strip()
                if "所述" in piece or "该" in piece:
                    continue
                if _NOUN.match(piece):
                    out.add(piece)
    return frozenset(out)


def claim_terms(cs, lang: str, vocab: frozenset[str] = frozenset()
                ) -> list[tuple[int, int, int, int, str, bool]]:
    """Every 所述X / 该X (zh) noun phrase: (claim index, claim number, start, end, X,
    known-before) in claim text coordinates, in order. ``known-before`` is False when X had no
    earlier mention in the claim or its ancestors (the antecedent-basis finding). X is cut at
    the end of the longest name of ``vocab`` it starts with."""
    if lang != "zh":
        return []
    marker, _stops, ignore, _o, not_marker, _ml = _ante()
    anc, _ = roots_of(cs.claims)
    text_by_n = {}
    for c in cs.claims:
        text_by_n.setdefault(c.number, c.text)
    out = []
    for i, c in enumerate(cs.claims):
        parents = "\n".join(text_by_n[a] for a in anc.get(c.number, []) if a in text_by_n)
        t = c.text
        for m in marker.finditer(t):
            s = m.start()
            if m.group() == "该" and any(
                t.startswith(w, max(0, s - w.index("该"))) for w in not_marker if "该" in w
            ):
                continue
            if _CLAIM_REF_BEFORE.search(t, max(0, s - 20), s):
                continue  # 根据权利要求1所述的X: X is the subject, named by the parent
            a, b = _np_after(t, m.end())
            np = t[a:b]
            if vocab and np not in vocab:
                for k in range(len(np) - 1, 0, -1):
                    if np[:k] in vocab:
                        np, b = np[:k], a + k
                        break
            if (len(np) < 2 and np not in vocab) or np in ignore:
                continue
            known = _is_known(np, parents) or _is_known(np, t[:s])
            out.append((i, c.number, a, b, np, known))
    return out


@cache
def _patterns(lang: str):
    lex = lexicon()
    mixed = lex["subject_mixed"][lang]
    mixed = [mixed] if isinstance(mixed, str) else mixed
    return {
        "refdesc": re.compile(lex["refers_to_description"][lang], re.IGNORECASE),
        "mixed": [re.compile(p, re.IGNORECASE) for p in mixed],
        "unclear": re.compile(lex["subject_unclear"]["zh"]),
        "refsign": re.compile(lex["brackets"]["refsign"]),
        "formula": re.compile(lex["brackets"]["formula_chars"]),
        "formula_before": lex["brackets"]["formula_before"],
        "abbr": frozenset(lex["full_stop"]["en_abbreviations"]),
    }


_BRACKET = re.compile(r"\(([^()]{0,80})\)|\[([^\[\]]{0,80})\]")
_EN_PERIOD = re.compile(r"(?<=[A-Za-z0-9)\]])\.(?=\s+\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_SAME_KEY_DROP = re.compile(r"[\s\W_]|的", re.UNICODE)
_SAME_KEY_SYN = (("包含", "包括"), ("含有", "包括"), ("该", "所述"), ("comprises", "comprising"),
                 ("includes", "comprising"), ("including", "comprising"))


def _same_key(text: str) -> str:
    k = text.lower()
    for a, b in _SAME_KEY_SYN:
        k = k.replace(a, b)
    return _SAME_KEY_DROP.sub("", k)


def claim_checks(cs, section_text: str, lang: str, terms=None
                 ) -> tuple[list[CheckFinding], ClaimLocator, set[int]]:
    """All claim findings of one claims section, located in ``section_text``; the locator; the
    numbers of the claims that stand on their own (the roots of the claim tree). ``terms``: the
    output of :func:`claim_terms` (computed here when None)."""
    loc = ClaimLocator(section_text, cs)
    out: list[CheckFinding] = []
    # --- the findings of hvpscore.claims, located
    for f in cs.findings:
        start = end = None
        if f.claim is not None:
            if f.term:
                start, end = loc.find(f.claim, f.term, near=f.quote)
            elif f.quote:
                q = f.quote.rstrip("…")
                start, end = loc.find(f.claim, q)
            if start is None:
                start, end = loc.claim_span(f.claim)
        code = f.code
        out.append(make(code, lang=lang, section="claims", claim=f.claim, start=start, end=end,
                        quote=f.quote, term=f.term, message_zh=f.message_zh,
                        message_en=f.message_en, severity=f.severity))
    if not cs.claims:
        return out, loc, set()
    pats = _patterns(lang)
    # --- antecedent basis (zh; the English check is part of hvpscore.claims)
    reported: set[tuple[int, str]] = set()
    broken_refs = _broken(cs.claims)
    for i, n, a, b, np, known in (claim_terms(cs, lang) if terms is None else terms):
        if known or (i, np) in reported or n in broken_refs:
            continue  # a claim citing only later/missing claims: the reference is the problem
        reported.add((i, np))
        s, e = loc.offsets_at(i, a, b)
        c = cs.claims[i]
        marker_start = max(0, a - 3)
        out.append(make("antecedent_basis", lang=lang, section="claims", claim=n, start=s, end=e,
                        quote=_quote(c.text, marker_start, b), term=np))
    for i, c in enumerate(cs.claims):
        out.extend(_full_stop(i, c, lang, loc, pats))
        if lang == "zh":
            out.extend(_brackets(i, c, loc, pats))
        m = pats["refdesc"].search(c.text)
        if m:
            s, e = loc.offsets_at(i, m.start(), m.end())
            out.append(make("claim_refers_to_description", lang=lang, section="claims",
                            claim=c.number, start=s, end=e, quote=_quote(c.text, m.start(),
                                                                         m.end()),
                            term=m.group()))
    mixed = frozenset(c.number for c in cs.claims
                      if c.subject and any(p.search(c.subject) for p in pats["mixed"]))
    _, standalone = roots_of(cs.claims, mixed)
    broken = _broken(cs.claims)
    for i, c in enumerate(cs.claims):
        if c.number not in standalone or not c.subject:
            continue
        subj = c.subject
        k = c.text.find(subj)
        if c.number in mixed:
            s, e = loc.offsets_at(i, max(k, 0), max(k, 0) + len(subj))
            out.append(make("subject_mixed", lang=lang, section="claims", claim=c.number,
                            start=s, end=e, quote=subj, term=subj))
        elif lang == "zh" and pats["unclear"].search(subj):
            s, e = loc.offsets_at(i, max(k, 0), max(k, 0) + len(subj))
            out.append(make("subject_unclear", lang=lang, section="claims", claim=c.number,
                            start=s, end=e, quote=subj, term=subj))
    out.extend(_same_scope(cs, lang, loc))
    out.extend(_misplaced(cs, lang, loc, standalone, broken))
    out.extend(_fallback(cs, lang, loc, standalone - broken))
    return out, loc, standalone


def _quote(text: str, a: int, b: int, width: int = 10) -> str:
    s, e = max(0, a - width), min(len(text), b + width)
    return ("…" if s > 0 else "") + text[s:e] + ("…" if e < len(text) else "")


def _full_stop(i, c, lang, loc, pats) -> list[CheckFinding]:
    t = c.text.rstrip()
    out = []
    if not t:
        return out
    if lang == "zh":
        ends_ok = t.endswith(("。", "."))
        inner = [m.start() for m in re.finditer("。", t[:-1])]
    else:
        ends_ok = t.endswith(".")
        inner = []
        for m in _EN_PERIOD.finditer(t[:-1]):
            w = _WORD_BEFORE.search(t, 0, m.start())
            word = w.group(1).lower().rstrip(".") if w else ""
            if word in pats["abbr"] or len(word) <= 1 or word.isdigit():
                continue
            inner.append(m.start())
    if inner:
        k = inner[0]
        s, e = loc.offsets_at(i, k, k + 1)
        out.append(make("claim_full_stop", lang=lang, section="claims", claim=c.number, start=s,
                        end=e, quote=_quote(t, k, k + 1), term=t[k],
                        detail_zh=f"在中间使用了句号（共{len(inner)}处）",
                        detail_en=f"has a full stop inside the claim ({len(inner)} in all)"))
    if not ends_ok:
        k = len(t) - 1
        s, e = loc.offsets_at(i, k, k + 1)
        out.append(make("claim_full_stop", lang=lang, section="claims", claim=c.number, start=s,
                        end=e, quote=_quote(t, k, k + 1), term=t[k],
                        detail_zh="没有以句号结尾", detail_en="does not end with a full stop"))
    return out


def _brackets(i, c, loc, pats) -> list[CheckFinding]:
    out = []
    t = c.text
    for m in _BRACKET.finditer(t):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if pats["refsign"].match(inner) or pats["formula"].search(inner):
            continue
        before = t[m.start() - 1] if m.start() > 0 else ""
        after = t[m.end()] if m.end() < len(t) else ""
        if before.isascii() and before.isalnum() and (not after or (after.isascii()
                                                                    and after.isalnum())):
            continue  # Ca(OH)2, f(x)
        if before and before in pats["formula_before"]:
            continue  # W/(m·K)
        if not inner.strip():
            continue
        s, e = loc.offsets_at(i, m.start(), m.end())
        out.append(make("claim_brackets", lang="zh", section="claims", claim=c.number, start=s,
                        end=e, quote=_quote(t, m.start(), m.end()), term=m.group()))
        break  # one per claim: the advice is the same
    return out


def _same_scope(cs, lang, loc) -> list[CheckFinding]:
    seen: dict[str, int] = {}
    out = []
    for i, c in enumerate(cs.claims):
        key = _same_key(c.text)
        if len(key) < 4:
            continue
        other = seen.get(key)
        if other is None:
            seen[key] = c.number
            continue
        s, e = loc.span_of_index(i)
        out.append(make("claims_same_scope", lang=lang, section="claims", claim=c.number,
                        start=s, end=e, quote=_quote(c.text, 0, min(len(c.text), 30), 0),
                        other=other))
    return out


def _root(n: int, by_n, standalone, depth: int = 0) -> int | None:
    if n in standalone:
        return n
    c = by_n.get(n)
    if c is None or depth > 50:
        return None
    valid = [v for v in c.depends_on if v < n and v in by_n]
    roots = [r for r in (_root(v, by_n, standalone, depth + 1) for v in valid) if r is not None]
    return max(roots) if roots else None


def _broken(claims) -> set[int]:
    """Claims written as dependent claims whose references all point at later or missing claims
    (ref_later / ref_missing say so): neither independent nor placeable."""
    numbers = {c.number for c in claims}
    return {c.number for c in claims if c.dependent_form and c.depends_on
            and not [v for v in c.depends_on if v < c.number and v in numbers]}


def _misplaced(cs, lang, loc, standalone, broken) -> list[CheckFinding]:
    by_n = {}
    for c in cs.claims:
        by_n.setdefault(c.number, c)
    out = []
    order = [c.number for c in cs.claims]
    for pos, c in enumerate(cs.claims):
        if c.number in standalone:
            continue
        root = _root(c.number, by_n, standalone)
        if root is None or root not in order:
            continue
        rpos = order.index(root)
        between = [n for n in order[rpos + 1:pos] if n in standalone and n not in broken]
        if between:
            s, e = loc.span_of_index(pos)
            out.append(make("dependent_misplaced", lang=lang, section="claims", claim=c.number,
                            start=s, end=e, quote=_quote(c.text, 0, min(len(c.text), 30), 0),
                            root=root, other=between[-1]))
    return out


def _fallback(cs, lang, loc, standalone) -> list[CheckFinding]:
    limit = int(thresholds()["claims"]["min_dependent_per_independent"])
    by_n = {}
    for c in cs.claims:
        by_n.setdefault(c.number, c)
    count = dict.fromkeys(sorted(standalone), 0)
    for c in cs.claims:
        if c.number in standalone:
            continue
        r = _root(c.number, by_n, standalone)
        if r in count:
            count[r] += 1
    out = []
    first = min(standalone) if standalone else None
    for n, k in count.items():
        # only the first independent claim: the broadest, the one fall-backs protect
        if k >= limit or n != first:
            continue
        s, e = loc.claim_span(n)
        c = by_n[n]
        out.append(make("few_dependent_claims", lang=lang, section="claims", claim=n, start=s,
                        end=e, quote=_quote(c.text, 0, min(len(c.text), 30), 0), n=k,
                        limit=limit))
    return out
