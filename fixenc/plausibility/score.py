"""The expensive model: how plausible a string is as real text in its script.

Stage: detect (run only on spans the cheap pass could not clear). Character unigram and
within-word bigram costs from ``tables``, the best word segmentation, plus a count of the
tell-tale signs of garble.

>>> score("中文编码测试").plausible
True
>>> score("涓枃缂栫爜").plausible
False
>>> score("浣犲ソ涓栫晫").signs, score("情報の取得中").signs
(1, 0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from fixenc.chars import BOX, CP1252_HIGH, HALFWIDTH_KANA, HAN, HANGUL, KANA, PUA, LazyPattern
from fixenc.plausibility.tables import (
    BACKOFF_COST,
    LANG_MODELS,
    MODELS,
    Model,
    PackedTable,
    load_model,
)

# Mean cost per CJK character at or below which a string reads as real language.
# Calibrated on scripts/build_clean_corpus.py's corpus (lines with ≥4 CJK characters:
# median 17, 99th percentile 31, 99.9th 41 dB) against round-trip garble of the same
# lines in every direction fixenc searches (5th percentile ≥ 50 dB).
PLAUSIBLE_COST = 42.0
# Each tell-tale sign of garble adds this much to the mean cost of its string.
SIGN_COST = 12.0

_CJK_RUN = LazyPattern(f"[{HAN}{KANA}{HANGUL}]+")

_SIGNS = [
    LazyPattern(f"[\ufffd{PUA}]"),
    LazyPattern(f"[{HALFWIDTH_KANA}]"),
    LazyPattern(f"[{HAN}][{HANGUL}]|[{HANGUL}][{HAN}]"),
    LazyPattern(f"[\u0391-\u03c9\u0401-\u045f\uff21-\uff5a\u2460-\u24ff{BOX}](?=[{HAN}{KANA}])"),
    LazyPattern(f"[\u0080-\u00ff{CP1252_HIGH}]{{2,}}"),
    LazyPattern(f"[{HAN}{KANA}][A-Za-z](?![A-Za-z])"),  # one Latin letter glued to Han
    LazyPattern(f"(?<=[{HAN}])\\?|\\?(?=[{HAN}])"),
]


@dataclass(frozen=True, slots=True)
class Score:
    """The model's view of one string.

    ``cost`` is the mean cost per CJK character in decibans under the best-fitting model
    (lower is more plausible; 0 when there is no CJK); ``signs`` counts tell-tale signs
    of garble; ``badness`` combines both per character.
    """

    cost: float
    cjk: int
    signs: int
    model: str

    @property
    def badness(self) -> float:
        return self.cost + SIGN_COST * self.signs / max(1, self.cjk) * 4

    @property
    def plausible(self) -> bool:
        return self.signs == 0 and self.cjk > 0 and self.cost <= PLAUSIBLE_COST


# A known word of 2–4 characters costs its word cost times this factor per character
# beyond the first, relative to its character path: words are the strongest evidence a
# reading is real (規模化 over 規模活), so a matched word is preferred over characters.
WORD_DISCOUNT = 0.7
MAX_WORD = 4


def run_cost(run: str, model: Model) -> float:
    """Total cost of one CJK run under ``model``.

    Characters cost their bigram-conditional cost (stupid backoff to unigrams); a span
    that is a known word may instead cost its word cost, discounted (best segmentation
    by dynamic programming, as jieba segments). The packed tables are read inline here
    (``PackedTable.get`` does the same, a call slower): this loop is the model's hot path.
    """
    uni, unknown, offset = model.uni, model.unknown, model.bigram_offset
    bi_rows = model.bi.rows.get(2, {})
    bi_costs = model.bi.costs
    n = len(run)
    step = [0.0] * n  # cost of character i given character i-1
    prev = ""
    for i, ch in enumerate(run):
        u = uni.get(ch, unknown)
        if prev:
            row = bi_rows.get(prev)
            at = row[0].find(ch) if row is not None else -1
            step[i] = (
                max(0.0, bi_costs[row[1][at]] - uni.get(prev, unknown) + offset)
                if at >= 0 and row is not None
                else BACKOFF_COST + u
            )
        else:
            step[i] = u
        prev = ch
    words = model.words
    if not words or n < 2:
        return sum(step)
    # ends[k][i]: the cost of the word of k characters that ends before character i
    ends = _word_ends(run, words)
    best = [0.0] * (n + 1)
    for i in range(1, n + 1):
        cost = best[i - 1] + step[i - 1]
        for k in range(2, min(MAX_WORD, i) + 1):
            w = ends[k][i]
            if w is not None:
                cost = min(cost, best[i - k] + w * WORD_DISCOUNT)
        best[i] = cost
    return best[n]


def _word_ends(run: str, words: PackedTable) -> list[list[float | None]]:
    """For each word length k of 2..MAX_WORD, the cost of the known word of k characters
    ending before each position of ``run`` (``None`` where there is none): one row
    look-up per start character and length."""
    n = len(run)
    costs = words.costs
    ends: list[list[float | None]] = [[] for _ in range(MAX_WORD + 1)]
    for k in range(2, MAX_WORD + 1):
        found: list[float | None] = [None] * (n + 1)
        ends[k] = found
        by_first = words.rows.get(k)
        if not by_first:
            continue
        width = k - 1
        for j in range(n - width):
            row = by_first.get(run[j])
            if row is None:
                continue
            tail = run[j + 1 : j + k]
            at = row[0].find(tail)
            while at > 0 and at % width:
                at = row[0].find(tail, at + 1)
            if at >= 0:
                found[j + k] = costs[row[1][at // width]]
    return ends


# Run costs remembered: searches that rank many readings of one span (the lost-byte
# search tries every value of every lost byte) score the same text around it again and
# again; only the run holding the change differs. A few MiB at most.
RUN_COSTS_KEPT = 4096


@functools.lru_cache(maxsize=RUN_COSTS_KEPT)
def _run_cost(run: str, model: str) -> float:
    return run_cost(run, load_model(model))


def cjk_cost(text: str, models: Sequence[str] = MODELS) -> tuple[float, int, str]:
    """(mean cost per CJK character, number of CJK characters, best model)."""
    runs = _CJK_RUN.findall(text)
    n = sum(len(r) for r in runs)
    if not n:
        return 0.0, 0, ""
    best = (math.inf, "")
    for name in models:
        cost = sum(_run_cost(r, name) for r in runs)
        if cost < best[0]:
            best = (cost, name)
    return best[0] / n, n, best[1]


# In a CJK run at least this long, kana making up less than this share of the run are
# stray: Japanese prose is 40–70 % kana, while UTF-8 read as GBK yields an occasional
# kana from GBK rows A4/A5 inside Han (浣犲ソ).
STRAY_KANA_MIN_RUN = 3
STRAY_KANA_SHARE = 0.2
_KANA = LazyPattern(f"[{KANA}]")


def count_signs(text: str) -> int:
    """How many tell-tale signs of mojibake ``text`` carries.

    >>> count_signs("你好"), count_signs("浣犲ソ涓栫晫"), count_signs("ÄãºÃ"), count_signs("公園を散歩")
    (0, 1, 1, 0)
    """
    return sum(len(p.findall(text)) for p in _SIGNS) + _stray_kana(text)


def _stray_kana(text: str) -> int:
    count = 0
    for run in _CJK_RUN.findall(text):
        if len(run) >= STRAY_KANA_MIN_RUN:
            kana = len(_KANA.findall(run))
            if kana and kana / len(run) < STRAY_KANA_SHARE:
                count += kana
    return count


# Kana among Han are not stray when the Japanese tables read the text this well: the
# 99th percentile of clean lines (PLAUSIBLE_COST's calibration), where garble with a
# stray kana costs 60 dB and more (浣犲ソ涓栫晫: 73). Japanese writes one particle or
# ending between Han words (不明な再配置型, 情報の取得中).
STRAY_KANA_READ_COST = 31.0
JAPANESE = "ja"


def score(text: str, *, lang: str | None = None) -> Score:
    """Score ``text`` with the model; ``lang`` ("zh", "ja", "ko") restricts the tables."""
    models = LANG_MODELS.get(lang or "", MODELS)
    cost, n, name = cjk_cost(text, models)
    signs = count_signs(text)
    if signs and name == JAPANESE and cost <= STRAY_KANA_READ_COST:
        signs -= _stray_kana(text)
    return Score(cost, n, signs, name)
