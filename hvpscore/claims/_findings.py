"""Findings on the wording of claims, with spaCy blank pipelines (single-draft path only).

* vague terms: a :class:`spacy.matcher.PhraseMatcher` over the lexicon (``data/lexicon.yaml``);
  matches inside an excluded longer word (等于, 等离子, consisting essentially of …) are dropped;
  terms marked ``number_after`` count only before a number (约100℃, about 5 mm).
* English antecedent basis: "the X"/"said X" whose head word never appeared before in the claim or
  in the claims it depends on (a warning: the check is lexical, not a parse).
"""

from __future__ import annotations

from functools import lru_cache

from hvpscore.claims._lexicon import lexicon, messages
from hvpscore.claims._model import Claim, Finding

__all__ = ["text_findings", "vague_matches", "nlp_for", "make_doc"]

_MAX_DOC = 3_000_000


@lru_cache(maxsize=2)
def nlp_for(lang: str):
    """A blank spaCy pipeline (``zh`` uses the default character segmenter: nothing to download)."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.max_length = _MAX_DOC
    return nlp


@lru_cache(maxsize=2)
def _vague_matcher(lang: str):
    from spacy.matcher import PhraseMatcher

    nlp = nlp_for(lang)
    attr = "LOWER" if lang == "en" else "ORTH"
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    info: dict[str, dict] = {}
    excl: set[str] = set()
    for e in lexicon()["vague"][lang]:
        key = "V|" + e["text"].lower()
        matcher.add(key, [nlp.make_doc(e["text"])])
        info[key] = e
        excl.update(e.get("exclude", []) or [])
    if excl:
        matcher.add("X", [nlp.make_doc(t) for t in sorted(excl)])
    return matcher, info


def make_doc(nlp, text: str, lang: str):
    """A spaCy Doc of ``text``. For Chinese, one token per character, built directly: the same
    tokens as the blank ``zh`` pipeline's character segmenter, in linear time on long texts."""
    if lang != "zh":
        return nlp.make_doc(text)
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    pending = ""
    for ch in text:
        if ch.isspace():
            if ch == " " and words and not spaces[-1] and not pending:
                spaces[-1] = True
            else:
                pending += ch
            continue
        if pending:
            words.append(pending)
            spaces.append(False)
            pending = ""
        words.append(ch)
        spaces.append(False)
    if pending:
        words.append(pending)
        spaces.append(False)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _number_follows(text: str, idx: int, fillers: frozenset[str]) -> bool:
    """A number at ``idx`` of ``text``, after at most three filler characters (" ", "~", 为 …),
    as the batch regex reads it."""
    budget = 3
    while idx < len(text):
        ch = text[idx]
        if ch in "0123456789":
            return True
        if ch not in fillers or budget == 0:
            return False
        budget -= 1
        idx += 1
    return False


def _quantity_before(text: str, idx: int, units: tuple[str, ...]) -> bool:
    """A number and a length unit (optionally a space between) end at ``idx`` of ``text``
    ("2mm" before 厚), as the batch regex reads it."""
    for u in units:
        if text.endswith(u, 0, idx):
            k = idx - len(u)
            if k > 0 and text[k - 1] == " ":
                k -= 1
            if k > 0 and text[k - 1] in "0123456789":
                return True
    return False


def vague_matches(doc, lang: str) -> list[tuple[int, int, dict]]:
    """(start_char, end_char, lexicon entry) of every vague term occurrence in ``doc``.

    Same reading as the batch count (:func:`hvpscore.claims._lexicon.count_vague`): terms are
    taken left to right, longest first, without overlap; an occurrence inside an excluded word
    (等于, 厚度, consisting essentially of ...), a term that needs a following number and has
    none, or a dimension word right after a number and a length unit ("2mm厚") is skipped.
    """
    matcher, info = _vague_matcher(lang)
    vocab = doc.vocab
    terms = []
    spans_x = []
    for mid, s, e in matcher(doc):
        key = vocab.strings[mid]
        if key == "X":
            spans_x.append((s, e))
        else:
            terms.append((s, -(e - s), e, info[key]))
    terms.sort(key=lambda t: t[:2])
    text = doc.text
    fillers = frozenset(lexicon()["number_fillers"])
    units = tuple(lexicon()["length_units"])
    out = []
    pointer = 0
    for s, _neg, e, entry in terms:
        if s < pointer:
            continue
        if entry.get("number_after"):
            last = doc[e - 1]
            if not _number_follows(text, last.idx + len(last.text), fillers):
                continue
        if any(xs <= s and e <= xe for xs, xe in spans_x):
            continue
        if entry.get("not_after_quantity") and _quantity_before(text, doc[s].idx, units):
            continue
        pointer = e
        out.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), entry))
    return out


def _quote(text: str, s: int, e: int, width: int) -> str:
    a = max(0, s - width)
    b = min(len(text), e + width)
    return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")


def _antecedent(docs, claims: list[Claim]) -> list[Finding]:
    from hvpscore.claims._analyze import make_finding

    lex = lexicon()
    ignore = {w.lower() for w in lex["antecedent_ignore"]}
    stop = {w.lower() for w in lex["antecedent_stop"]}
    words_by_idx: list[set[str]] = []
    anc_by_idx: list[set[str]] = []
    cumulative: set[str] = set()
    idx_by_n: dict[int, int] = {}
    for i, c in enumerate(claims):
        idx_by_n.setdefault(c.number, i)
    out: list[Finding] = []
    for doc, c in zip(docs, claims, strict=True):
        # words of the claims this one depends on, transitively (valid earlier claims only);
        # memoised per claim, and all earlier words for claims citing many (any preceding claim)
        parents = [idx_by_n[v] for v in c.depends_on if v < c.number and v in idx_by_n]
        if len(parents) > 20:
            seen = cumulative
        else:
            seen = set()
            for j in parents:
                if j < len(words_by_idx):
                    seen |= words_by_idx[j]
                    seen |= anc_by_idx[j]
        own: set[str] = set()
        reported: set[str] = set()
        toks = list(doc)
        k = 0
        while k < len(toks):
            t = toks[k]
            low = t.lower_
            if low in ("the", "said") and k + 1 < len(toks):
                phrase = []
                m = k + 1
                while m < len(toks) and len(phrase) < 4:
                    w = toks[m]
                    if not w.is_alpha or w.lower_ in stop:
                        break
                    phrase.append(w)
                    m += 1
                if phrase:
                    head = phrase[-1].lower_
                    # known when any word of the phrase was used before (lenient on purpose:
                    # without a parser, "the first end" after "a first end portion" is fine)
                    known = False
                    for w in phrase:
                        lw = w.lower_
                        if lw in ignore or len(lw) <= 2:
                            known = True
                            break
                        variants = {lw, lw.rstrip("s"), lw + "s", lw + "es"}
                        if lw.endswith("es"):
                            variants.add(lw[:-2])
                        if lw.endswith("ies"):
                            variants.add(lw[:-3] + "y")
                        if (variants & seen) or (variants & own):
                            known = True
                            break
                    if not known and head not in reported:
                        reported.add(head)
                        s = t.idx
                        e = phrase[-1].idx + len(phrase[-1].text)
                        out.append(
                            make_finding(
                                "antecedent_basis", c.number, c.text[s:e], term=c.text[s:e]
                            )
                        )
                    for w in phrase:
                        own.add(w.lower_)
                    k = m
                    continue
            if t.is_alpha:
                own.add(low)
            k += 1
        words_by_idx.append(own)
        anc_by_idx.append(seen)
        cumulative |= own
    return out


def text_findings(claims: list[Claim], lang: str) -> list[Finding]:
    """Vague terms (zh and en) and antecedent basis (en) for the claims of one draft."""
    from hvpscore.claims._analyze import make_finding

    if not claims:
        return []
    nlp = nlp_for(lang)
    docs = [make_doc(nlp, c.text, lang) for c in claims]
    kinds = messages()["vague_kinds"]
    out: list[Finding] = []
    width = 12 if lang == "zh" else 30
    for doc, c in zip(docs, claims, strict=True):
        done: set[str] = set()
        for s, e, entry in vague_matches(doc, lang):
            term = c.text[s:e]
            key = term.lower()
            if key in done:
                continue
            done.add(key)
            k = kinds[entry["kind"]]
            out.append(
                make_finding(
                    "vague_term",
                    c.number,
                    _quote(c.text, s, e, width),
                    term=term,
                    kind_zh=k["zh"],
                    kind_en=k["en"],
                )
            )
    if lang == "en":
        out.extend(_antecedent(docs, claims))
    return out
