"""How likely a string is real text rather than mojibake (stage: detect, shared by repair).

Two layers, so that clean text pays almost nothing:

1. ``suspects(text)`` — one compiled regular expression that finds every place where
   East-Asian mojibake or lost bytes *could* be: U+FFFD and private-use characters,
   half-width katakana, runs of Latin-1/cp1252 letters and symbols, box drawing mixed with
   letters, rare Han characters close to other rare or out-of-place characters, Han glued
   to Hangul, a ``?`` inside running text. On clean text it matches rarely, and a text
   without a match is ruled out at the cost of that single scan.
2. ``score(text)`` — the expensive model, run only on spans the cheap pass could not
   clear: character unigram and within-word bigram costs (decibans, -10·log10 p) from
   wordfreq's frequency lists for Simplified and Traditional Chinese, Japanese and Korean
   (tables in ``fixenc/data``, rebuilt by ``scripts/build_plausibility_tables.py``), plus
   a count of the tell-tale signs of garble.

``rank_encodings`` uses the model to choose among candidate decodings of raw bytes.

>>> score("中文编码测试").plausible
True
>>> score("涓枃缂栫爜").plausible
False
"""

from __future__ import annotations

import functools
import gzip
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from fixenc.model import EncodingGuess

MODELS = ("zh-Hans", "zh-Hant", "ja", "ko")
LANG_MODELS = {"zh": ("zh-Hans", "zh-Hant"), "ja": ("ja",), "ko": ("ko",)}

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
HANGUL = "\uac00-\ud7a3"
HALFWIDTH_KANA = "\uff61-\uff9f"
PUA = "\ue000-\uf8ff"
BOX = "\u2500-\u259f"
# Windows-1252's printable characters in 0x80–0x9F, which a cp1252 reading produces.
CP1252_HIGH = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
# The cp1252 specials that also are everyday CJK punctuation (……, ——, “”, ‘’) do not
# trigger a look on their own: a cp1252 reading of DBCS bytes always has a Latin-1
# letter or symbol next to them.
CP1252_TRIGGER = "".join(
    c for c in CP1252_HIGH if c not in "\u2026\u2014\u2013\u2018\u2019\u201c\u201d\u2022"
)
# Characters that a single-byte reading (Latin-1, cp1252, cp437, cp866) of DBCS bytes
# yields, other than ASCII: the upper halves of those code pages.
SINGLE_BYTE_HIGH = f"\u0080-\u00ff{CP1252_HIGH}\u0391-\u03c9\u0401-\u045f{BOX}\u2219-\u221a\u207f\u2261\u2264\u2265\u2320\u2321\u2248\u00b0\u03a3\u03c0\u221e\u2229"

# Han characters outside this many most frequent ones of the union of the models count
# as rare for the cheap pass. 3500 is the size of the PRC's list of common characters
# (现代汉语常用字表, 2500 + 1000); measured on the clean corpus it leaves about 1 rare
# character in 300, while UTF-8-read-as-GBK garble is about 1 rare character in 2.
COMMON_HAN_PER_MODEL = 3500

# --- costs (decibans) --------------------------------------------------------------
# Stupid-backoff weight when a bigram is unseen (Brants et al. 2007 use 0.4 ≈ 4 dB).
BACKOFF_COST = 4.0
# A character in none of the tables costs this much more than the rarest one kept.
UNKNOWN_EXTRA = 12.0
# Mean cost per CJK character at or below which a string reads as real language.
# Calibrated on scripts/build_clean_corpus.py's corpus (lines with ≥4 CJK characters:
# median 17, 99th percentile 31, 99.9th 41 dB) against round-trip garble of the same
# lines in every direction fixenc searches (5th percentile ≥ 50 dB).
PLAUSIBLE_COST = 42.0
# Each tell-tale sign of garble adds this much to the mean cost of its string.
SIGN_COST = 12.0


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
    ref = resources.files("fixenc") / "data" / f"plausibility-{name}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            kind, key, *rest = line.rstrip("\n").split("\t")
            if kind == "U":
                uni[key] = float(rest[0])
            elif kind == "B":
                bi[key] = float(rest[0])
            elif kind == "W":
                words[key] = float(rest[0])
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
    for m in models:
        for table, merged in ((m.uni, uni), (m.words, words)):
            for k, v in table.items():
                if v < merged.get(k, float("inf")):
                    merged[k] = v
        for k, v in m.bi.items():
            v += m.bigram_offset  # fold the offset in, so that the merged offset is 0
            if v < bi.get(k, float("inf")):
                bi[k] = v
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


_IS_HAN = re.compile(f"[{HAN}]")
_CJK_RUN = re.compile(f"[{HAN}{KANA}{HANGUL}]+")


def _ranges(chars: frozenset[str], lo: int, hi: int) -> str:
    """A regex class body for the code points in [lo, hi] *not* in ``chars``."""
    parts: list[str] = []
    start: int | None = None
    for cp in range(lo, hi + 2):
        inside = cp <= hi and chr(cp) not in chars
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            parts.append(f"\\u{start:04x}-\\u{cp - 1:04x}" if cp - 1 > start else f"\\u{start:04x}")
            start = None
    return "".join(parts)


# Hangul syllables outside this many most frequent ones count as rare: KS X 1001 (EUC-KR)
# encodes 2350 precomposed syllables, the ones in ordinary use; UTF-8 read as CP949 lands
# mostly in CP949's extension area of 8822 rarely used syllables.
COMMON_HANGUL = 2350
# Shortest run of Latin-1/cp1252 upper-half characters worth a look: two garbled
# double-byte characters make four, and Shift_JIS or Big5 text read as cp1252 splits
# them with ASCII trail bytes into runs of three (“ú–{Œê). European words rarely have
# three such letters in a row (Größe has two).
MIN_LATIN_RUN = 3
# How far (in characters) the confirming pattern looks around a trigger character.
CONFIRM_WINDOW = 8


@functools.cache
def _rare_classes() -> tuple[str, str]:
    """Regex class bodies of rare Han and rare Hangul (see the constants above)."""
    rare_han = _ranges(common_han(), 0x4E00, 0x9FFF) + "\u3400-\u4dbf\uf900-\ufaff"
    ko = load_model("ko")
    ranked = sorted((c for c in ko.uni if "\uac00" <= c <= "\ud7a3"), key=ko.uni.__getitem__)
    rare_hangul = _ranges(frozenset(ranked[:COMMON_HANGUL]), 0xAC00, 0xD7A3)
    return rare_han, rare_hangul


@functools.cache
def _trigger_regex() -> re.Pattern[str]:
    """One character class: every suspicious pattern starts with one of these characters.

    A class-led pattern lets the regex engine skip clean text at memchr-like speed, which
    is what makes the fast path cost about one scan.
    """
    rare_han, rare_hangul = _rare_classes()
    return re.compile(
        f"[\ufffd{PUA}{HALFWIDTH_KANA}{rare_han}{rare_hangul}\u0080-\u00ff{CP1252_TRIGGER}{BOX}?烫屯]"
    )


@functools.cache
def _confirm_regex() -> re.Pattern[str]:
    """The suspicious patterns themselves, tried only near a trigger character."""
    rare_han, rare_hangul = _rare_classes()
    odd = (
        f"{rare_han}{rare_hangul}{HALFWIDTH_KANA}{PUA}\u0391-\u03c9\u0401-\u045f\uff21-\uff5a{BOX}"
    )
    latin = f"\u0080-\u00ff{CP1252_HIGH}"
    letters = "\u0080-\u00ff\u0391-\u03c9\u0401-\u045f"
    alternatives = [
        f"[\ufffd{PUA}{HALFWIDTH_KANA}]",
        # a rare Han or Hangul with another rare or out-of-place character close by
        f"[{rare_han}{rare_hangul}][^\\s]{{0,2}}?[{odd}{KANA}]",
        f"[{odd}][^\\s]{{0,2}}?[{rare_han}{rare_hangul}]",
        f"[{rare_hangul}][{HAN}]|[{HAN}][{rare_hangul}]|[{rare_han}][{HANGUL}]|[{HANGUL}][{rare_han}]",
        f"[{latin}]{{{MIN_LATIN_RUN},}}",  # DBCS bytes read as Latin-1/cp1252
        f"[{BOX}][{letters}{BOX}]|[{letters}][{BOX}]",  # DBCS bytes read as cp437/cp866
        "锟斤|烫烫|屯屯",
        # a '?' glued inside running text (a lost double-byte character)
        "[^\\s?]\\?+(?=[^\\s\"'”’」』)\\]}>,.;:!?]|[;,:]\\?)|\\?{2,}",
    ]
    return re.compile("|".join(alternatives))


def suspects(text: str) -> list[tuple[int, int]]:
    """Spans the cheap pass cannot rule out; empty means the text is clean.

    Cached for the last few texts: consecutive stages ask about the same text, and a
    ``str`` caches its hash, so the second asking costs nothing.

    >>> suspects("这是一段完全正常的中文。")
    []
    >>> suspects("浣犲ソ")
    [(1, 3)]
    """
    return list(_suspects(text))


@functools.lru_cache(maxsize=4)
def _suspects(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_scan(text))


def _scan(text: str) -> list[tuple[int, int]]:
    trigger = _trigger_regex().search
    confirm = _confirm_regex().search
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        hit = trigger(text, pos)
        if hit is None:
            return out
        at = hit.start()
        found = confirm(text, max(pos, at - CONFIRM_WINDOW // 2), at + CONFIRM_WINDOW)
        if found is not None and found.end() > at:
            out.append(found.span())
            pos = found.end()
        else:
            pos = at + 1


def has_suspects(text: str) -> bool:
    """True when the cheap pass finds anything."""
    return bool(_suspects(text))


# --- the expensive model ------------------------------------------------------------

_SIGNS = [
    re.compile(f"[\ufffd{PUA}]"),
    re.compile(f"[{HALFWIDTH_KANA}]"),
    re.compile(f"[{HAN}][{HANGUL}]|[{HANGUL}][{HAN}]"),
    re.compile(f"[\u0391-\u03c9\u0401-\u045f\uff21-\uff5a\u2460-\u24ff{BOX}](?=[{HAN}{KANA}])"),
    re.compile(f"[\u0080-\u00ff{CP1252_HIGH}]{{2,}}"),
    re.compile(f"[{HAN}{KANA}][A-Za-z](?![A-Za-z])"),  # one Latin letter glued to Han
    re.compile(f"(?<=[{HAN}])\\?|\\?(?=[{HAN}])"),
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
    by dynamic programming, as jieba segments).
    """
    uni, bi, words, unknown = model.uni, model.bi, model.words, model.unknown
    n = len(run)
    step = [0.0] * n  # cost of character i given character i-1
    prev = ""
    for i, ch in enumerate(run):
        u = uni.get(ch, unknown)
        if prev:
            b = bi.get(prev + ch)
            step[i] = (
                max(0.0, b - uni.get(prev, unknown) + model.bigram_offset)
                if b is not None
                else BACKOFF_COST + u
            )
        else:
            step[i] = u
        prev = ch
    if not words or n < 2:
        return sum(step)
    best = [0.0] * (n + 1)
    for i in range(1, n + 1):
        cost = best[i - 1] + step[i - 1]
        for k in range(2, min(MAX_WORD, i) + 1):
            w = words.get(run[i - k : i])
            if w is not None:
                cost = min(cost, best[i - k] + w * WORD_DISCOUNT)
        best[i] = cost
    return best[n]


def cjk_cost(text: str, models: Sequence[str] = MODELS) -> tuple[float, int, str]:
    """(mean cost per CJK character, number of CJK characters, best model)."""
    runs = _CJK_RUN.findall(text)
    n = sum(len(r) for r in runs)
    if not n:
        return 0.0, 0, ""
    best = (math.inf, "")
    for name in models:
        model = load_model(name)
        cost = sum(run_cost(r, model) for r in runs)
        if cost < best[0]:
            best = (cost, name)
    return best[0] / n, n, best[1]


# In a CJK run at least this long, kana making up less than this share of the run are
# stray: Japanese prose is 40–70 % kana, while UTF-8 read as GBK yields an occasional
# kana from GBK rows A4/A5 inside Han (浣犲ソ).
STRAY_KANA_MIN_RUN = 3
STRAY_KANA_SHARE = 0.2
_KANA = re.compile(f"[{KANA}]")


def count_signs(text: str) -> int:
    """How many tell-tale signs of mojibake ``text`` carries.

    >>> count_signs("你好"), count_signs("浣犲ソ涓栫晫"), count_signs("ÄãºÃ"), count_signs("公園を散歩")
    (0, 1, 1, 0)
    """
    signs = sum(len(p.findall(text)) for p in _SIGNS)
    for run in _CJK_RUN.findall(text):
        if len(run) >= STRAY_KANA_MIN_RUN:
            kana = len(_KANA.findall(run))
            if kana and kana / len(run) < STRAY_KANA_SHARE:
                signs += kana
    return signs


def score(text: str, *, lang: str | None = None) -> Score:
    """Score ``text`` with the model; ``lang`` ("zh", "ja", "ko") restricts the tables."""
    models = LANG_MODELS.get(lang or "", MODELS)
    cost, n, name = cjk_cost(text, models)
    return Score(cost, n, count_signs(text), name)


# --- byte-level ranking -------------------------------------------------------------

# Inputs with fewer CJK characters than this are "thin evidence": the best guess is
# reported, but its confidence is capped (chardet calls 4-byte GBK 设计 MacRoman).
THIN_EVIDENCE_CJK = 6
THIN_CONFIDENCE_CAP = 0.5
# Two decodings whose costs differ by less than this are a tie (decibans per character).
TIE_MARGIN = 3.0


def rank_encodings(
    data: bytes, candidates: Sequence[str], *, lang: str | None = None
) -> list[EncodingGuess]:
    """Rank the candidate encodings of ``data`` by how plausible each strict decoding is.

    Contract: candidates that do not decode strictly are dropped; the rest come back best
    first, each with a confidence in 0–1 and a reason. Confidence is capped at
    THIN_CONFIDENCE_CAP when the decoded text has fewer than THIN_EVIDENCE_CJK CJK
    characters or when the runner-up is within TIE_MARGIN: the caller should then keep the
    bytes unchanged unless the user named an encoding or a language. ``lang`` restricts
    the language model ("zh", "ja", "ko").

    >>> [g.encoding for g in rank_encodings("你好世界".encode("gbk"), ["big5", "gbk", "shift_jis"])]
    ['gbk', 'big5']
    """
    scored: list[tuple[float, str, Score]] = []
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        s = score(text, lang=lang)
        scored.append((s.badness if s.cjk else PLAUSIBLE_COST + 1 + 10 * s.signs, enc, s))
    scored.sort(key=lambda t: t[0])
    out: list[EncodingGuess] = []
    for i, (bad, enc, s) in enumerate(scored):
        gap = (scored[1][0] - bad) if i == 0 and len(scored) > 1 else 0.0
        conf = 1.0 / (1.0 + math.exp((bad - PLAUSIBLE_COST) / 4.0))
        thin = s.cjk < THIN_EVIDENCE_CJK or (i == 0 and len(scored) > 1 and gap < TIE_MARGIN)
        if thin or i > 0:
            conf = min(conf, THIN_CONFIDENCE_CAP)
        reason = (
            f"{s.cjk} CJK characters, {bad:.1f} dB per character ({s.model or 'no CJK'}), "
            f"{s.signs} signs of garble" + ("; thin evidence" if thin else "")
        )
        out.append(EncodingGuess(enc, round(conf, 4), reason, thin=thin))
    return out
