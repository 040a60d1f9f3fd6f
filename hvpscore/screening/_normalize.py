"""Claims and abstracts -> normalised text -> shingle hashes (stable across processes).

Normalisation removes what copy-filers change without changing the invention: width and
compatibility forms (NFKC), claim numbers, reference signs such as （10） / (12a), numbers with
their units (-> ``#``), the dependent-claim boilerplate (根据权利要求1所述的 / according to claim 1),
punctuation and whitespace. Shingles are character 5-grams for Chinese and word 3-grams for
English, hashed to 32 bits with a fixed polynomial hash (never Python's salted ``hash``).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np

__all__ = ["SHINGLE_K", "clean_text", "detect_lang", "nfkc", "normalize", "shingle_hashes",
           "split_claims", "tokens"]

SHINGLE_K = {"zh": 5, "en": 3}

_CJK = re.compile(r"[\u4e00-\u9fff]")
# a claim number at the start of a line (or of the text): "1." "1、" "1．" "12 ." "1)" "[1]"
_CLAIM_START = re.compile(r"(?:^|\n)[ \t\u3000]*(?:\[?(\d{1,3})\]?)[ \t]*[.．、)）:：][ \t\u3000]*")
# cancelled claims in US texts: "1-18. (canceled)"
_CANCELLED = re.compile(r"(?m)^\s*\d{1,3}\s*(?:-\s*\d{1,3}\s*)?\.\s*\((?:canceled|cancelled)\)\s*$",
                        re.I)
_REFSIGN = re.compile(r"[（(]\s*[0-9]{1,4}[a-zA-Z']?(?:\s*[,，、;；-]\s*[0-9]{1,4}[a-zA-Z']?)*\s*[）)]")
_UNITS = (r"%|‰|°C|℃|°|mm|cm|dm|km|nm|μm|um|m|mg|kg|g|t|ml|mL|l|L|mol|mmol|MPa|kPa|Pa|bar|Hz|"
          r"kHz|MHz|GHz|kV|mV|V|mA|A|kW|mW|W|Wh|kWh|rpm|r/min|s|ms|min|h|d|"
          r"毫米|厘米|分米|千米|纳米|微米|米|毫克|千克|公斤|克|吨|毫升|升|摩尔|秒|毫秒|分钟|小时|天|"
          r"度|份|倍|转|目|伏|安|瓦|千瓦|赫兹")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s*(?:" + _UNITS + r")(?![a-zA-Z]))?")
_RANGE = re.compile(r"#(?:\s*(?:-|~|～|至|到|to|and|或|or)\s*#)+")
_ZH_BOILER = re.compile(
    r"(?:根据|按照|依据|如|按)?权利要求#(?:\s*(?:[-~～至到或和、,，]|或者|以及)\s*#)*"
    r"(?:中的?)?(?:任[一意]一?项|之一)?(?:所述|所限定|所要求)?的?")
_EN_BOILER = re.compile(
    r"\b(?:according\s+to|as\s+(?:claimed|recited|defined|set\s+forth|described)\s+in|"
    r"in\s+accordance\s+with|of|in|as\s+in)\s+(?:any\s+(?:one\s+)?of\s+)?claims?\s+#"
    r"(?:\s*(?:-|to|or|and|,)\s*#)*(?:\s*,?\s*wherein)?", re.I)
_EN_CLAIMREF = re.compile(r"\bclaims?\s+#(?:\s*(?:-|to|or|and|,)\s*#)*", re.I)
_PUNCT_ZH = re.compile(r"[^\w#]+")
# zh demonstratives that only point back (所述 / 该 / 上述 / 前述): a copy swaps them freely
_ZH_ARTICLE = re.compile(r"所述|上述|前述|该")
# en function words: shingles are made of the content words
_EN_STOP = frozenset("the a an said of to in and or for with at by on is are be being which that "
                     "its it each".split())
_WORD = re.compile(r"[a-z#]+(?:['-][a-z]+)*|\d+")


def detect_lang(text: str) -> str:
    """``zh`` when a tenth or more of the letters are CJK ideographs, else ``en``."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample)
    return "zh" if letters and len(_CJK.findall(sample)) * 10 >= letters else "en"


# characters NFKC may change, normalised run by run (a whole-text NFKC of CJK text is ~3x slower)
_COMPAT = re.compile("[\uff01-\uff5e\u3000\u00a0-\u00bf\u2000-\u206f\u2100-\u24ff"
                     "\u3200-\u33ff\ufe30-\ufe6f\uff5f-\uffef]+")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on Chinese text."""
    t = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return t if unicodedata.is_normalized("NFKC", t) else unicodedata.normalize("NFKC", t)


def clean_text(text: str | None) -> str:
    """NFKC, reference signs removed, whitespace collapsed (numbers kept: what a reader sees)."""
    if not text:
        return ""
    t = nfkc(str(text))
    t = _REFSIGN.sub("", t)
    return re.sub(r"[ \t\u3000]+", " ", t).strip()


def split_claims(text: str | None) -> list[str]:
    """The claims of a claims text, in order, without their numbers (cleaned, numbers kept).

    A text without numbered claims is one claim. Cancelled US claims are dropped."""
    t = clean_text(text)
    if not t:
        return []
    t = _CANCELLED.sub("", t)
    starts = [m for m in _CLAIM_START.finditer(t)]
    if not starts:
        return [t.strip()]
    out = []
    head = t[: starts[0].start()].strip()
    if head and len(head) > 20:
        out.append(head)
    for m, nxt in zip(starts, [*starts[1:], None], strict=True):
        body = t[m.end(): nxt.start() if nxt else len(t)].strip()
        if body:
            out.append(re.sub(r"\s+", " ", body))
    return out


def normalize(text: str, lang: str, *, cleaned: bool = False) -> str:
    """One text (a claim, an abstract) -> the comparison form: NFKC, reference signs removed,
    numbers with units -> ``#``, dependent-claim boilerplate and back-pointing words (所述, 该;
    en function words) removed, punctuation and (zh) whitespace removed, (en) lower case. ``cleaned``: the text already went through
    :func:`clean_text`."""
    t = text if cleaned else clean_text(text)
    if lang == "en":
        t = t.lower()
    t = _NUMBER.sub("#", t)
    t = _RANGE.sub("#", t)
    if lang == "zh":
        t = _ZH_BOILER.sub("", t)
        t = _ZH_ARTICLE.sub("", t)
        t = _PUNCT_ZH.sub("", t)
        t = t.replace("_", "")
        return re.sub(r"#+", "#", t)
    t = _EN_BOILER.sub(" ", t)
    t = _EN_CLAIMREF.sub(" ", t)
    return " ".join(w for w in _WORD.findall(t) if w not in _EN_STOP)


def tokens(norm: str, lang: str) -> list[str]:
    """The units shingles are made of: characters (zh) or words (en)."""
    return list(norm) if lang == "zh" else norm.split()


_MIX = np.uint64(0x9E3779B97F4A7C15)
_MUL = np.uint64(1099511628211)


def _token_codes(norm: str, lang: str) -> np.ndarray:
    if lang == "zh":
        return np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    words = norm.split()
    return np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64,
                       count=len(words))


def shingle_hashes(norm: str, lang: str, k: int | None = None) -> np.ndarray:
    """Sorted unique 32-bit hashes of the k-token shingles of a normalised text (uint32).

    A text shorter than k tokens gives one shingle (the whole text); an empty text none."""
    k = k or SHINGLE_K[lang]
    codes = _token_codes(norm, lang)
    n = len(codes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    if n < k:
        k = n
    m = n - k + 1
    with np.errstate(over="ignore"):
        h = np.full(m, np.uint64(k), dtype=np.uint64)
        for j in range(k):
            h = (h * _MUL) ^ (codes[j: j + m] + _MIX)
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
    return np.unique((h & np.uint64(0xFFFFFFFF)).astype(np.uint32))
