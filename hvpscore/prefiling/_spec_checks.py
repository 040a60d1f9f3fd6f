"""Checks of the description, the abstract and the title (and of claims against the description).

* claim terms without support: the X of 所述X / 该X (zh) or "the/said X" (en) never written in 说明书;
* reference numerals (zh): one numeral with different names, numerals missing from the list of
  reference signs (附图标记说明) or listed but never used;
* the five headed parts; 本发明 vs 本实用新型; promotional language; 如权利要求…所述 in the description;
* abstract length, title length; missing sections.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from hvpscore.claims import normalise
from hvpscore.prefiling._data import lexicon, thresholds
from hvpscore.prefiling._findings import CheckFinding, make, paragraph_of
from hvpscore.prefiling._read import Draft

__all__ = ["infer_patent_type", "section_checks", "support_checks"]


def _quote(text: str, a: int, b: int, width: int = 12) -> str:
    s, e = max(0, a - width), min(len(text), b + width)
    return ("…" if s > 0 else "") + text[s:e].replace("\n", " ") + ("…" if e < len(text) else "")


def _place(f: CheckFinding, draft: Draft) -> CheckFinding:
    sec = draft.sections.get(f.section)
    if sec is not None and f.start is not None:
        f.paragraph = paragraph_of(sec.paragraphs, f.start)
        if f.paragraph is not None:
            f.details["paragraph_label"] = (f"[{f.paragraph:04d}]" if sec.numbered
                                            else str(f.paragraph))
        if f.section == "description":
            f.part = sec.part_at(f.start)
    return f


# ---------------------------------------------------------------------------- support
_EN_TERM = re.compile(r"\b(?:the|said)\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})", re.IGNORECASE)
_EN_STOP = frozenset(
    "of to in on for with by from at into onto and or is are was were be being been has have "
    "having that which wherein whereby when where while so as than such comprising comprises "
    "including includes configured adapted operable arranged disposed positioned located mounted "
    "connected coupled attached formed provided defined extending extends between through via "
    "each not can may thereof therein first second third same other one said the a an its their "
    "respective plurality method step steps claim claims invention further also then being "
    "only both either all any every least most more less".split())


def _en_variants(w: str) -> set[str]:
    v = {w, w + "s", w + "es"}
    if w.endswith("s"):
        v.add(w[:-1])
    if w.endswith("es"):
        v.add(w[:-2])
    if w.endswith("ies"):
        v.add(w[:-3] + "y")
    return v


def support_checks(draft: Draft, terms, cs, loc, lang: str) -> list[CheckFinding]:
    """Claim terms that never occur in the description (needs a description)."""
    desc = draft.text("description")
    if not desc.strip() or cs is None:
        return []
    out: list[CheckFinding] = []
    if lang == "zh":
        d = normalise(desc)
        min_len = int(lexicon()["support"]["min_len_zh"])
        done: set[str] = set()
        for i, n, a, b, np, _known in terms:
            if np in done or len(np) < min_len:
                continue
            done.add(np)
            if np in d or (len(np) >= 4 and np[:-1] in d) or (len(np) >= 5 and np[:-2] in d):
                continue
            s, e = loc.offsets_at(i, a, b)
            c = cs.claims[i]
            out.append(make("term_unsupported", lang=lang, section="claims", claim=n, start=s,
                            end=e, quote=_quote(c.text, a, b), term=np))
        return out
    words = set(re.findall(r"[a-z][a-z-]*", desc.lower()))
    min_len = int(lexicon()["support"]["min_len_en"])
    done = set()
    for i, c in enumerate(cs.claims):
        for m in _EN_TERM.finditer(c.text):
            phrase = []
            for w in m.group(1).split():
                if w.lower() in _EN_STOP:
                    break
                phrase.append(w)
            if not phrase:
                continue
            key = " ".join(w.lower() for w in phrase)
            if key in done:
                continue
            done.add(key)
            # supported when any word of the phrase occurs in the description (lenient: without
            # a parser the phrase may run into a verb, "the processor defines")
            if any(_en_variants(w.lower()) & words for w in phrase if len(w) >= 3):
                continue
            if not any(len(w) >= min_len for w in phrase):
                continue
            a = m.start(1)
            b = a + len(" ".join(phrase))
            s, e = loc.offsets_at(i, a, b)
            out.append(make("term_unsupported", lang=lang, section="claims", claim=c.number,
                            start=s, end=e, quote=_quote(c.text, a, b, 30),
                            term=" ".join(phrase)))
    return out


# ------------------------------------------------------------------ reference numerals
@cache
def _refnum():
    r = lexicon()["refnum"]
    cut = sorted(r["name_cut"], key=len, reverse=True)
    nb = tuple(sorted(r["not_before"], key=len, reverse=True))
    return {
        "not_name": frozenset(r["not_name"]),
        "legend_lead": re.compile(r["legend_lead"]),
        "use": re.compile(r"([\u4e00-\u9fff]{1,12})(\d{1,4}[a-z′']?)(?![\d.．~\-～])"),
        "cut": re.compile("|".join(re.escape(w) for w in cut)),
        "not_before": nb,
        "units": re.compile(r"\s*" + r["units"] + r"(?![A-Za-z])"),
        "legend": re.compile(r["legend_entry"]),
        "legend_after": re.compile(r["legend_entry_after"]),
        "min": int(r["legend_min_entries"]),
    }


@lru_cache(maxsize=4096)
def _name(run: str) -> str:
    """The name at the end of a run of characters before a numeral (a pure function of the
    run: cached, the same runs recur in every paragraph)."""
    rx = _refnum()
    last = 0
    for m in rx["cut"].finditer(run):
        last = max(last, m.end())
    return run[last:]


def _same_name(a: str, b: str) -> bool:
    return a.endswith(b) or b.endswith(a)


def _legend(text: str, paragraphs, parts) -> tuple[dict[str, tuple[str, int]], set[int]]:
    """Reference-sign lists: numeral -> (name, offset); and the paragraph indices holding them.

    A list is a paragraph of entries ("1-壳体，2-底座" / "壳体1；底座2") in the 附图说明 part, a
    paragraph that names itself (附图标记说明：…, 图中：…), a paragraph of three or more
    entries, or the lines right after such a lead line (a table of reference signs)."""
    rx = _refnum()
    drawings = [p for p in parts if p.id == "drawings"]
    entries: dict[str, tuple[str, int]] = {}
    legend_paras: set[int] = set()
    block = False
    for i, (_n, s, e) in enumerate(paragraphs):
        line = text[s:e]
        in_drawings = any(p.start <= s < p.end for p in drawings)
        found = [(m.group("n"), m.group("name"), s + m.start("n"))
                 for m in rx["legend"].finditer(line)]
        if len(found) < rx["min"]:
            after = [(m.group("n"), m.group("name"), s + m.start("n"))
                     for m in rx["legend_after"].finditer(line)]
            if len(after) > len(found):
                found = after
        lead = rx["legend_lead"].search(line[:12]) is not None
        if lead and not found:
            block = True  # the entries follow on the next lines
            legend_paras.add(i)
            continue
        if found and (block or len(found) >= rx["min"] and (in_drawings or lead
                                                            or len(found) >= 3)):
            legend_paras.add(i)
            for n, name, off in found:
                entries.setdefault(n, (_name(name) or name, off))
            block = block or lead
            continue
        block = False
    return entries, legend_paras


def refnum_names(draft: Draft, lang: str) -> set[str]:
    """The names written with a reference numeral in the description (壳体1 -> 壳体) and listed
    among the reference signs: a vocabulary of the draft's component names."""
    if lang != "zh" or not draft.sections["description"].found:
        return set()
    sec = draft.sections["description"]
    text = normalise(sec.text)
    legend, _ = _legend(text, sec.paragraphs, sec.parts)
    names = {name for name, _ in legend.values()}
    for items in _uses(text, sec.paragraphs, set()).values():
        names.update(name for name, _a, _b in items)
    return {n for n in names if len(n) >= 2}


def _uses(text: str, paragraphs, skip: set[int]) -> dict[str, list[tuple[str, int, int]]]:
    rx = _refnum()
    uses: dict[str, list[tuple[str, int, int]]] = {}
    for i, (_n, s, e) in enumerate(paragraphs):
        if i in skip:
            continue
        line = text[s:e]
        for m in rx["use"].finditer(line):
            run = m.group(1)
            if run.endswith(rx["not_before"]):
                continue
            if rx["units"].match(line, m.end()):
                continue
            name = _name(run)
            if not name or name in rx["not_name"] or name.endswith(rx["not_before"]):
                continue
            uses.setdefault(m.group(2), []).append((name, s + m.start(2) - len(name),
                                                    s + m.end(2)))
    return uses


def _refnum_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    if lang != "zh":
        return []
    sec = draft.sections["description"]
    text = normalise(sec.text)
    legend, legend_paras = _legend(text, sec.paragraphs, sec.parts)
    uses = _uses(text, sec.paragraphs, legend_paras)
    out: list[CheckFinding] = []
    for num, items in uses.items():
        names: list[str] = []
        if num in legend:
            names.append(legend[num][0])
        first_conflict = None
        for name, a, b in items:
            if not any(_same_name(name, x) for x in names):
                if names and first_conflict is None:
                    first_conflict = (a, b)
                names.append(name)
        if len(names) > 1 and first_conflict is not None:
            a, b = first_conflict
            out.append(make("refnum_conflict", lang=lang, section="description", start=a, end=b,
                            quote=_quote(sec.text, a, b), term=sec.text[a:b], numeral=num,
                            names="、".join(names[:5])))
    if legend:
        for num, items in uses.items():
            if num not in legend:
                name, a, b = items[0]
                out.append(make("refnum_not_in_legend", lang=lang, section="description",
                                start=a, end=b, quote=_quote(sec.text, a, b), term=sec.text[a:b],
                                numeral=num, names=name))
        for num, (name, off) in legend.items():
            if num not in uses:
                out.append(make("refnum_unused", lang=lang, section="description", start=off,
                                end=off + len(num), quote=_quote(sec.text, off, off + len(num)),
                                term=num, numeral=num, names=name))
    return out


# --------------------------------------------------------------------- other sections
def _parts_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    sec = draft.sections["description"]
    have = {p.id for p in sec.parts}
    out = []
    for p in lexicon()["description_parts"]:
        if p["id"] in have:
            continue
        if p.get("required_if") == "drawings" and not draft.has_drawings:
            continue
        name = p["name_zh"] if lang == "zh" else p["name_en"]
        out.append(make("description_part_missing", lang=lang, section="description",
                        part=name, term=name))
    return out


_INVENTOR = re.compile(r"本发明人")


def _type_counts(draft: Draft) -> dict[str, list[tuple[str, int, int]]]:
    words = lexicon()["type_words"]
    out: dict[str, list[tuple[str, int, int]]] = {k: [] for k in words}
    for sname in ("title", "abstract", "claims", "description"):
        text = draft.text(sname)
        for kind, w in words.items():
            for m in re.finditer(re.escape(w), text):
                if kind == "invention" and _INVENTOR.match(text, m.start()):
                    continue
                out[kind].append((sname, m.start(), m.end()))
    return out


def infer_patent_type(draft: Draft) -> tuple[str, str]:
    """(patent type, how it was known): the given ``patent_type``, else the majority of
    本发明 / 本实用新型 in the text, else ``invention`` (unknown)."""
    if draft.fields.get("patent_type"):
        return draft.fields["patent_type"], "given"
    counts = _type_counts(draft)
    inv, um = len(counts["invention"]), len(counts["utility_model"])
    if um > inv:
        return "utility_model", "inferred"
    if inv > um:
        return "invention", "inferred"
    return "invention", "assumed"


def _type_word_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    if lang != "zh":
        return []
    counts = _type_counts(draft)
    words = lexicon()["type_words"]
    inv, um = counts["invention"], counts["utility_model"]
    declared = draft.fields.get("patent_type")
    if declared == "invention":
        wrong, right = "utility_model", "invention"
    elif declared == "utility_model":
        wrong, right = "invention", "utility_model"
    elif inv and um:
        wrong, right = ("utility_model", "invention") if len(inv) >= len(um) else (
            "invention", "utility_model")
    else:
        return []
    hits = counts[wrong]
    if not hits:
        return []
    sname, a, b = hits[0]
    text = draft.text(sname)
    detail_zh = (f"“{words[wrong]}”{len(hits)}处，“{words[right]}”{len(counts[right])}处"
                 + (f"；申请类型为{'发明' if declared == 'invention' else '实用新型'}"
                    if declared else ""))
    detail_en = (f"{len(hits)} × {words[wrong]}, {len(counts[right])} × {words[right]}"
                 + (f"; the application is a {declared.replace('_', ' ')}" if declared else ""))
    f = make("type_word_mixed", lang=lang, section=sname, start=a, end=b,
             quote=_quote(text, a, b), term=words[wrong], other=words[right],
             detail_zh=detail_zh, detail_en=detail_en)
    return [f]


@cache
def _commercial():
    c = lexicon()["commercial"]
    words = sorted(c["zh"], key=len, reverse=True)
    excl = c.get("exclude") or []
    return re.compile("|".join(re.escape(w) for w in words)), excl


_SECTION_NAMES = {"title": ("名称", "title"), "abstract": ("说明书摘要", "abstract"),
                  "description": ("说明书", "description"), "claims": ("权利要求书", "claims")}


def _commercial_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    if lang != "zh":
        return []
    pat, excl = _commercial()
    out = []
    for sname in ("title", "abstract", "description"):
        text = draft.text(sname)
        seen: set[str] = set()
        for m in pat.finditer(text):
            w = m.group()
            if w in seen or any(text.startswith(x, max(0, m.start() - x.find(w)))
                                for x in excl if w in x):
                continue
            seen.add(w)
            zh, en = _SECTION_NAMES[sname]
            out.append(make("commercial_language", lang=lang, section=sname, start=m.start(),
                            end=m.end(), quote=_quote(text, m.start(), m.end()), term=w,
                            section_zh=zh, section_en=en))
    return out


_CITES_CLAIMS = re.compile(
    r"(?:如|根据|按照|依据)?(?:权利要求|權利要求)\s*\d+[^，,。；;\n]{0,12}?所述")


def _cites_claims_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    if lang != "zh":
        return []
    text = normalise(draft.text("description"))
    out = []
    for m in _CITES_CLAIMS.finditer(text):
        out.append(make("description_cites_claims", lang=lang, section="description",
                        start=m.start(), end=m.end(), quote=_quote(draft.text("description"),
                                                                   m.start(), m.end()),
                        term=draft.text("description")[m.start():m.end()]))
        break  # one finding: the fix is the same everywhere
    return out


def _length_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    th = thresholds()
    out = []
    abstract = draft.text("abstract")
    if abstract.strip():
        if lang == "zh":
            n = len(re.sub(r"\s", "", abstract))
            limit = int(th["abstract"]["max_chars_zh"])
            unit = "characters"
        else:
            n = len(abstract.split())
            limit = int(th["abstract"]["max_words_en"])
            unit = "words"
        if n > limit:
            out.append(make("abstract_too_long", lang=lang, section="abstract", start=0,
                            end=len(abstract), quote=_quote(abstract, 0, 0, 30), n=n,
                            limit=limit, unit_en=unit))
    title = draft.text("title").strip()
    if title:
        n = len(re.sub(r"\s", "", title)) if lang == "zh" else len(title)
        if lang == "zh":
            warn, hard = int(th["title"]["warn_chars_zh"]), int(th["title"]["max_chars_zh"])
        else:
            warn, hard = None, int(th["title"]["max_chars_en"])
        if n > hard:
            out.append(make("title_too_long", lang=lang, section="title", start=0,
                            end=len(title), quote=title, n=n, limit=hard))
        elif warn is not None and n > warn:
            out.append(make("title_long", lang=lang, section="title", start=0, end=len(title),
                            quote=title, n=n, limit=warn))
    return out


_PART_NAMES = {"title": ("名称", "title"), "abstract": ("说明书摘要", "abstract"),
               "claims": ("权利要求书", "claims"), "description": ("说明书", "description")}


def _missing_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    out = []
    claims_only = not any(draft.sections[s].found for s in ("title", "abstract", "description"))
    for s in ("claims", "description", "abstract", "title"):
        if draft.sections[s].found:
            continue
        if s == "claims":
            out.append(make("empty_claims", lang=lang, section="claims",
                            message_zh="未找到权利要求书：申请发明或者实用新型专利应当提交权利要求书。",
                            message_en="No claims found: an application must include claims."))
            continue
        zh, en = _PART_NAMES[s]
        out.append(make("section_missing", lang=lang, section=s, part=zh, part_en=en,
                        severity="info" if claims_only else None))
    return out


def section_checks(draft: Draft, lang: str) -> list[CheckFinding]:
    """The description, abstract, title and missing-section findings of ``draft``."""
    out: list[CheckFinding] = []
    out.extend(_missing_checks(draft, lang))
    if draft.sections["description"].found:
        out.extend(_parts_checks(draft, lang))
        out.extend(_refnum_checks(draft, lang))
        out.extend(_cites_claims_checks(draft, lang))
    out.extend(_type_word_checks(draft, lang))
    out.extend(_commercial_checks(draft, lang))
    out.extend(_length_checks(draft, lang))
    return [_place(f, draft) for f in out]
