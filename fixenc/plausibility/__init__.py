"""How likely a string is real text rather than mojibake (stage: detect, shared by repair).

Two layers, so that clean text pays almost nothing:

1. ``suspects(text)`` (``suspects.py``) — one compiled regular expression that finds
   every place where East-Asian mojibake or lost bytes *could* be; a text without a
   match is ruled out at the cost of that single scan.
2. ``score(text)`` (``score.py``) — the expensive model, run only on spans the cheap pass
   could not clear: character and within-word bigram costs from the frequency tables
   (``tables.py``), plus a count of the tell-tale signs of garble.

>>> score("中文编码测试").plausible
True
>>> suspects("浣犲ソ")
[(1, 3)]
"""

from __future__ import annotations

from fixenc.plausibility.score import (
    MAX_WORD,
    PLAUSIBLE_COST,
    SIGN_COST,
    WORD_DISCOUNT,
    Score,
    cjk_cost,
    count_signs,
    run_cost,
    score,
)
from fixenc.plausibility.suspects import (
    PairPlaces,
    has_han,
    has_han_or_hangul,
    has_suspects,
    pair_places,
    suspects,
)
from fixenc.plausibility.tables import (
    BACKOFF_COST,
    LANG_MODELS,
    MODELS,
    Model,
    PackedTable,
    common_han,
    find_tail,
    load_model,
    merged_model,
)

__all__ = [
    "BACKOFF_COST",
    "LANG_MODELS",
    "MAX_WORD",
    "MODELS",
    "PLAUSIBLE_COST",
    "SIGN_COST",
    "WORD_DISCOUNT",
    "Model",
    "PackedTable",
    "PairPlaces",
    "Score",
    "cjk_cost",
    "common_han",
    "count_signs",
    "find_tail",
    "has_han",
    "has_han_or_hangul",
    "has_suspects",
    "load_model",
    "merged_model",
    "pair_places",
    "run_cost",
    "score",
    "suspects",
]
