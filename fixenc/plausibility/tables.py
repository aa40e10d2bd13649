"""The frequency tables behind the plausibility model, loaded once per process.

Stage: detect (shared by repair and decode). Character unigram, within-word bigram and
word costs in decibans (-10·log10 p) from wordfreq's frequency lists for Simplified and
Traditional Chinese, Japanese and Korean; the files are in ``fixenc/data`` (provenance
and licence in its README) and rebuilt by ``scripts/build_plausibility_tables.py``.
"""

from __future__ import annotations

import functools
import gzip
import math
from dataclasses import dataclass
from importlib import resources

from fixenc.chars import HAN, LazyPattern

MODELS = ("zh-Hans", "zh-Hant", "ja", "ko")
LANG_MODELS = {"zh": ("zh-Hans", "zh-Hant"), "ja": ("ja",), "ko": ("ko",)}

# Han characters outside this many most frequent ones of the union of the models count
# as rare for the cheap pass. 3500 is the size of the PRC's list of common characters
# (现代汉语常用字表, 2500 + 1000); measured on the clean corpus it leaves about 1 rare
# character in 300, while UTF-8-read-as-GBK garble is about 1 rare character in 2.
COMMON_HAN_PER_MODEL = 3500

# Stupid-backoff weight when a bigram is unseen (Brants et al. 2007 use 0.4 ≈ 4 dB).
BACKOFF_COST = 4.0
# A character in none of the tables costs this much more than the rarest one kept.
UNKNOWN_EXTRA = 12.0


@dataclass(frozen=True, slots=True)
class Model:
    """One language's tables: costs of characters and of within-word bigrams."""

    name: str
    uni: dict[str, float]
    bi: dict[str, float]
    words: dict[str, float]
    bigram_offset: float  # converts a bigram cost into a conditional cost
    unknown: float


@functools.cache
def load_model(name: str) -> Model:
    """Load one table from ``fixenc/data`` (cached; about 60 ms the first time)."""
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    words: dict[str, float] = {}
    offset = 0.0
    # One float object per distinct cost (the tables hold whole decibans, about 80
    # values): a float per entry would take a fifth of the tables' memory, and in a
    # forked worker every cost read raises its object's reference count, copying the
    # page it lives on: shared tables would become each worker's own (issue 12).
    costs: dict[str, float] = {}
    tables = {"U": uni, "B": bi, "W": words}
    ref = resources.files("fixenc") / "data" / f"plausibility-{name}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            kind, key, *rest = line.rstrip("\n").split("\t")
            table = tables.get(kind)
            if table is not None:
                cost = costs.get(rest[0])
                if cost is None:
                    cost = costs[rest[0]] = float(rest[0])
                table[key] = cost
            elif kind == "T":
                # P(b|a) = P(ab)·Nb / (P(a)·Nu): in costs, bigram − unigram − 10·log10(Nb/Nu)
                offset = -10 * math.log10(float(rest[0]) / float(key))
    return Model(name, uni, bi, words, offset, max(uni.values()) + UNKNOWN_EXTRA)


@functools.cache
def merged_model(names: tuple[str, ...]) -> Model:
    """One table that takes, entry by entry, the cheapest cost among ``names``.

    An approximation for pruning searches (a reading may switch between Simplified and
    Traditional tables mid-way); final rankings use ``cjk_cost`` over the real models.
    """
    if len(names) == 1:
        return load_model(names[0])
    models = [load_model(n) for n in names]
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    words: dict[str, float] = {}
    shifted: dict[float, float] = {}  # one object per distinct cost, as in load_model
    for m in models:
        for table, merged in ((m.uni, uni), (m.words, words)):
            for k, v in table.items():
                if v < merged.get(k, float("inf")):
                    merged[k] = v
        for k, v in m.bi.items():
            v += m.bigram_offset  # fold the offset in, so that the merged offset is 0
            if v < bi.get(k, float("inf")):
                bi[k] = shifted.setdefault(v, v)
    return Model("+".join(names), uni, bi, words, 0.0, max(m.unknown for m in models))


@functools.cache
def common_han() -> frozenset[str]:
    """The Han characters the cheap pass treats as ordinary (see COMMON_HAN_PER_MODEL)."""
    out: set[str] = set()
    for name in ("zh-Hans", "zh-Hant", "ja"):
        model = load_model(name)
        ranked = sorted(model.uni, key=model.uni.__getitem__)
        out.update([c for c in ranked if _IS_HAN.match(c)][:COMMON_HAN_PER_MODEL])
    return frozenset(out)


_IS_HAN = LazyPattern(f"[{HAN}]")
