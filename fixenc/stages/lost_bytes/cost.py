"""Cost model shared by the lost-byte searches: a reading of a damaged span, its total
cost in decibans (language model plus charges for what it leaves unexplained), and the
decision thresholds and candidate lists built from those costs."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from fixenc import plausibility
from fixenc.chars import CJK_LETTERS, PINYIN_SYLLABLE, LazyPattern
from fixenc.model import Candidate

PINYIN_GROUP = LazyPattern(f"\\(?({PINYIN_SYLLABLE})\\)")

# --- decisions ------------------------------------------------------------------------
# Total-cost lead (decibans) the best candidate needs over the runner-up and over the
# text as it stands: 10 dB is ten times as likely.
MIN_LEAD = 8.0
# Cost charged for each unexplained '?' or U+FFFD left in a reading.
UNEXPLAINED_COST = 40.0
TOP_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoding of a damaged span, with its total cost and how it was obtained."""

    text: str
    cost: float
    hypothesis: str


class Loss(enum.Enum):
    """How a span lost its bytes; its value is how a reason names it. A UTF-8 span
    stands alone (its reading must be plausible text by itself); an out-of-step span is
    read inside its line."""

    UTF8 = "UTF-8 read as a double-byte codec, bytes lost"
    OUT_OF_STEP = "double-byte text knocked out of step, bytes lost"


# (start, end, readings best first, how the bytes were lost)
LostSpan = tuple[int, int, list[Reading], Loss]


def candidates(readings: Sequence[Reading]) -> tuple[Candidate, ...]:
    """Readings as candidates: each cost in decibans is a likelihood (10^(-cost/10)),
    so a candidate's confidence is its share of the likelihood of those listed."""
    best = min(r.cost for r in readings)
    weights = [10 ** (-(r.cost - best) / 10) for r in readings]
    total = sum(weights)
    return tuple(
        Candidate(r.text, w / total, r.hypothesis, cost_db=round(r.cost, 2))
        for r, w in zip(readings, weights, strict=True)
    )


def dedupe(readings: list[Reading]) -> list[Reading]:
    seen: set[str] = set()
    out: list[Reading] = []
    for r in readings:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


# Costs of non-CJK characters a decoding produces (decibans, on the scale of the
# character tables): common CJK punctuation costs about what a mid-frequency character
# does; any other symbol (＃, ∝, ㄘ) about what an unknown character does.
# Punctuation: about 1 character in 8 of Chinese prose is punctuation (≈ 9 dB), plus each
# mark's share among marks, measured on scripts/build_clean_corpus.py's corpus.
PUNCT_SHARE_COST = 9.0
_PUNCT_RELATIVE = {
    "。": 5, "，": 8, "：": 8, "、": 12, "「": 13, "」": 13, "（": 14, "）": 14, "“": 14,
    "’": 14, "；": 16, "”": 17, "…": 20, "‘": 20, "？": 24, "！": 24, "—": 25, "『": 30,
    "』": 30, "〈": 39, "〉": 39, "《": 30, "》": 30, "·": 35,
}  # fmt: skip
PUNCT_COSTS = {p: PUNCT_SHARE_COST + c for p, c in _PUNCT_RELATIVE.items()}
PUNCT_COST = 25.0  # a mark not in the table
SYMBOL_COST = 60.0
CJK_PUNCT = "".join(_PUNCT_RELATIVE)
_SYMBOL = LazyPattern(f"[^\\x00-\\x7f{CJK_LETTERS}{CJK_PUNCT}]")


def text_cost(text: str, lang: str | None) -> float:
    """Total cost of a reading: language-model cost of its CJK with annotations set
    aside, plus a charge for each unexplained '?' or U+FFFD and each sign of garble."""
    clean = PINYIN_GROUP.sub("", text)
    mean, n, _ = plausibility.cjk_cost(
        clean, plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS)
    )
    unexplained = clean.count("?") + clean.count("\ufffd")
    signs = plausibility.count_signs(clean)
    symbols = len(_SYMBOL.findall(clean))
    # only the marks present (a mark absent adds nothing): text_cost runs thousands of
    # times in one lost-byte search
    punct = sum(PUNCT_COSTS[p] * clean.count(p) for p in CJK_PUNCT if p in clean) / PUNCT_COST
    return (
        mean * n
        + UNEXPLAINED_COST * unexplained
        + plausibility.SIGN_COST * signs
        + SYMBOL_COST * symbols
        + PUNCT_COST * punct
    )
