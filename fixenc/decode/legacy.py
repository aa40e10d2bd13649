"""Legacy encodings: chardet proposes, the plausibility model confirms or refuses.

Stage: decode (after BOMs, the UTF-16/32 sniff and strict UTF-8 have failed). Every
encoding chardet can name is considered (``charsets``). Its ranked answers become
*readings* — the file's start decoded with the named codec, or with its base standard
or Windows superset when that is what the bytes need (``charsets.chain``) — and
readings that come out as the same text are one reading. Then:

1. a reading must be plausible as text in its own right: no control characters, and
   real words of its script (the CJK model for Han, kana and Hangul; the letter model
   for alphabetic scripts; scripts without a table only need to be free of controls);
2. the plausible readings chardet ranks about as high as its best (``DETECTOR_TIE``)
   contest each other: where two texts differ, the model scores the words around each
   difference, and a reading wins only by ``WIN_MARGIN``;
3. anything else — no plausible reading, or a contest nobody wins, or too few
   non-ASCII bytes to tell readings apart — is **ambiguous**: the caller gets the
   candidates, and nothing is written from a guess.

Detection reads a bounded prefix (``DETECT_BYTES``); the winner is confirmed on the
whole file by the caller.

>>> [g.encoding for g in rank_by_plausibility("你好世界".encode("gbk"), ["big5", "gbk", "shift_jis"])]
['gbk', 'big5']
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fixenc import plausibility
from fixenc.decode import charsets
from fixenc.errors import DecodeError
from fixenc.model import EncodingGuess
from fixenc.plausibility import letters

# Fewer non-ASCII bytes than this is too little evidence to choose between legacy
# encodings that read them differently: 12 bytes is six double-byte characters, below
# which chardet's answers were wrong in the field notes (设计, 你好, 漢字 are 4 bytes).
MIN_EVIDENCE_BYTES = 12
# chardet 7 reads at most this much itself (field notes); passing more costs time only.
CHARDET_MAX_BYTES = 200_000
# The plausibility model reads at most this much of the file: 64 KiB is some 30 000
# CJK characters, far more than any ranking needs, and scoring costs microseconds per
# character, so a 35 MB file scored whole took minutes (issue 9). The winner is then
# confirmed on the whole file.
DETECT_BYTES = 65_536
# Of that prefix the model scores this many characters from the first non-ASCII one:
# 2 000 characters hold over a thousand CJK characters, while a verdict settles within a
# few dozen (THIN_EVIDENCE_CJK).
SCORE_CHARS = 2_000
# How many of chardet's ranked answers become readings. On chardet's own corpus the
# right answer was among the first 8 for every file chardet got wrong but one.
MAX_PROPOSALS = 8
# chardet confidences this close to its best count as a tie the model must settle: on
# its corpus, 14 of the 19 files chardet got wrong had the right answer tied within
# 0.05 of its first, and wider windows only added contests among right answers.
DETECTOR_TIE = 0.05
# A reading beats another when the words around their differences cost this much less
# in total (decibans): 10 dB is one order of magnitude in likelihood.
WIN_MARGIN = 10.0
# Mean cost per letter (decibans, letter model) at or below which alphabetic text
# reads as its language. Measured on chardet's corpus with the tables as built: right
# readings 8–22 dB, code-page garble of the same files 30–60 dB.
ALPHA_PLAUSIBLE_COST = 28.0
# A mean over few letters scatters more (a five-letter word pays its two boundary
# bigrams on five letters): the threshold is raised by this much over the square root
# of the letters scored (Grüße: +9 dB; a 1 000-letter sample: +0.6 dB).
SMALL_SAMPLE_SLACK = 20.0
# chardet's best answer leads clearly when its confidence is at least this multiple of
# every other reading's. When it also names a language fixenc has no letter table for
# (Maltese, Welsh, ...), the letter model has no say on that language's own letters:
# its reading is judged with the letters no table knows at a neutral cost, so chardet's
# own language model is the evidence. Near-ties (within DETECTOR_TIE) are left to the
# model. Measured: chardet's Maltese file led at 4.2x (0.38 against 0.09); on the whole
# corpus the rule now decides no file (that one is plausible in its own right), while a
# longer Maltese text in the tests needs it.
CLEAR_LEAD = 2.0
# Control characters (C0 other than whitespace, C1) tolerated per this many characters
# of a plausible reading: stray form feeds and escape codes occur in real files.
CONTROL_ALLOWANCE = 500
# Languages whose usual legacy encodings a hint narrows to, where chardet's registry
# does not say it (it lists Chinese as one language for GB18030 and Big5 alike).
LANG_ENCODINGS = {
    "zh-hans": ("gb18030", "hz"),
    "zh-hant": ("big5hkscs",),
}
# chardet's language codes for the tables' languages where they differ (wordfreq has
# Norwegian Bokmål and Serbo-Croatian in Latin letters).
TABLE_LANGS = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh"}

# Inputs with fewer CJK characters than this are "thin evidence" for a CJK reading.
THIN_EVIDENCE_CJK = 6
THIN_CONFIDENCE_CAP = 0.5
# Two CJK decodings whose costs differ by less than this are a tie (dB per character).
TIE_MARGIN = 3.0
# A logistic exponent beyond this saturates confidence at 0 or 1 in floating point;
# clamping it keeps math.exp from overflowing on very implausible readings.
MAX_EXPONENT = 60.0

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_BYTES = re.compile(rb"[\x80-\xff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Reading:
    """The start of the file read with one codec, and what chardet thought of it."""

    encoding: str
    text: str
    detector: float
    plausible: bool
    cost: float  # mean cost per scored character (lower is likelier)
    evidence: str  # what the model saw, for the reason
    language: str = ""  # the language whose model fits it best ("" when none)
    # Plausible once letters no table knows cost a neutral amount; only used when
    # chardet names a language without a letter table and leads clearly (CLEAR_LEAD).
    plausible_untabled: bool = False


def rank_encodings(data: bytes, *, lang: str | None = None) -> list[EncodingGuess]:
    """Candidate legacy encodings of ``data``, best first; the first is not ``thin``
    only when it is a decision (see the module docstring)."""
    readings = _readings(data, lang)
    if not readings:
        return []
    evidence = len(_NON_ASCII_BYTES.findall(data, 0, DETECT_BYTES))
    winner = _decide(readings, evidence=evidence, langs=_table_langs(lang))
    ordered = sorted(readings, key=lambda r: (r is not winner, -r.detector))
    out = []
    for r in ordered:
        decided = r is winner
        confidence = r.detector if decided else min(r.detector, THIN_CONFIDENCE_CAP)
        reason = f"chardet {r.detector:.2f}; {r.evidence}" + ("" if decided else "; not decided")
        out.append(EncodingGuess(r.encoding, round(confidence, 4), reason, thin=not decided))
    return out


def _proposals(data: bytes, lang: str | None) -> list[tuple[str, float, str]]:
    """chardet's ranked answers (codec, confidence, language), narrowed by the language
    hint."""
    import chardet

    allowed = _allowed(lang)
    found: dict[str, tuple[float, str]] = {}
    for guess in chardet.detect_all(
        data[:CHARDET_MAX_BYTES], ignore_threshold=True, compat_names=False
    ):
        name = guess.get("encoding")
        if not name:
            continue
        try:
            codec = charsets.codec(name)
        except LookupError:
            continue
        if codec.startswith("utf") or codec == "ascii" or codec in found:
            continue
        if allowed is not None and codec not in allowed:
            continue
        found[codec] = (float(guess.get("confidence") or 0.0), str(guess.get("language") or ""))
        if len(found) == MAX_PROPOSALS:
            break
    if allowed is not None:
        for codec in allowed:  # a hint makes its encodings candidates even unproposed
            found.setdefault(codec, (0.0, ""))
    return [(codec, conf, language) for codec, (conf, language) in found.items()]


def _allowed(lang: str | None) -> frozenset[str] | None:
    if not lang:
        return None
    lang = lang.lower()
    if lang in LANG_ENCODINGS:
        return frozenset(LANG_ENCODINGS[lang])
    base = lang.split("-")[0]
    out = frozenset(c for c, langs in charsets.languages().items() if base in langs)
    return out - {"ascii", "utf-8"} or None


def _readings(data: bytes, lang: str | None) -> list[Reading]:
    table_langs = _table_langs(lang)
    cjk_lang = lang.lower().split("-")[0] if lang else None
    seen: dict[str, Reading] = {}
    for named, detector, language in _proposals(data, lang):
        picked = _pick(data, charsets.chain(named))
        if picked is not None and picked[1] not in seen:
            codec, text = picked
            tabled = not language or TABLE_LANGS.get(language, language) in letters.languages()
            untabled = "" if tabled else language
            seen[text] = _judge(codec, text, detector, table_langs, cjk_lang, untabled=untabled)
    return list(seen.values())


def _pick(data: bytes, chain: Sequence[str]) -> tuple[str, str] | None:
    """The first codec of ``chain`` that reads the prefix strictly and, for a single-byte
    code page, without controls; else the first that reads it at all."""
    first: tuple[str, str] | None = None
    for codec in chain:
        text = decode_prefix(data, codec)
        if text is None:
            continue
        if not (charsets.is_single_byte(codec) and _CONTROL.search(text)):
            return codec, text
        first = first or (codec, text)
    return first


def _table_langs(lang: str | None) -> tuple[str, ...] | None:
    if not lang:
        return None
    base = lang.lower().split("-")[0]
    return (TABLE_LANGS.get(base, base),)


def _judge(
    codec: str,
    text: str,
    detector: float,
    langs: tuple[str, ...] | None,
    cjk_lang: str | None,
    *,
    untabled: str = "",
) -> Reading:
    """How plausible one reading is as text in its own right (``untabled``: the
    language chardet names for it when fixenc has no letter table for that language)."""
    # An EBCDIC page's line breaks are C1 controls to Unicode (charsets.line_breaks).
    breaks = charsets.line_breaks(codec)
    if breaks:
        text = text.translate(dict.fromkeys(map(ord, breaks), "\n"))
    controls = len(_CONTROL.findall(text))
    clean = controls * CONTROL_ALLOWANCE <= len(text)
    sample = _sample(text)
    s = plausibility.score(sample, lang=cjk_lang)
    non_ascii = len(_NON_ASCII.findall(sample))
    if s.cjk and s.cjk * 2 >= non_ascii:
        # Real files carry a few signs (a half-width katakana, a glued Latin letter);
        # the badness weighs them per character.
        plausible = clean and (
            s.badness <= plausibility.PLAUSIBLE_COST or s.cjk < THIN_EVIDENCE_CJK
        )
        return Reading(codec, text, detector, plausible, s.badness, _cjk_evidence(s))
    # Letters of a script without a table (Thai, ...) cost a neutral amount: such a
    # reading is judged by its symbols and controls.
    models = letters.models_for(sample, langs)
    ascii_shared = charsets.reads_ascii(codec)
    total, n, best = letters.text_cost(sample, models, ascii_shared=ascii_shared)
    cost = total / n if n else 0.0
    model = best or "no letter table"
    evidence = f"{cost:.1f} dB per character ({model}), {controls} control characters"
    threshold = ALPHA_PLAUSIBLE_COST + SMALL_SAMPLE_SLACK / math.sqrt(max(n, 1))
    plausible = clean and cost <= threshold
    lenient = False
    if untabled and not plausible and clean:
        total, n, _ = letters.text_cost(
            sample, models, unknown_letters=letters.NO_TABLE_COST, ascii_shared=ascii_shared
        )
        lenient = (total / n if n else 0.0) <= threshold
        if lenient:
            evidence += f"; chardet reads it as {untabled}, which has no letter table"
    return Reading(
        codec, text, detector, plausible, cost, evidence, language=best, plausible_untabled=lenient
    )


def _sample(text: str) -> str:
    """The lines of ``text`` that hold non-ASCII characters, up to SCORE_CHARS: markup
    and ASCII prose read the same in every encoding and would only dilute the verdict."""
    picked: list[str] = []
    size = 0
    for line in text.splitlines():
        if size >= SCORE_CHARS:
            break
        if not line.isascii():
            picked.append(line[:SCORE_CHARS])
            size += len(picked[-1])
    return "\n".join(picked)


def _cjk_evidence(s: plausibility.Score) -> str:
    return f"{s.cjk} CJK characters, {s.badness:.1f} dB per character ({s.model}), {s.signs} signs of garble"


def _decide(
    readings: Sequence[Reading], *, evidence: int, langs: tuple[str, ...] | None = None
) -> Reading | None:
    """The reading to write, or ``None`` when the evidence does not settle it."""
    if len(readings) == 1:
        return readings[0] if readings[0].plausible else None
    best_detector = max(r.detector for r in readings)
    contenders = [r for r in readings if r.detector >= best_detector - DETECTOR_TIE]
    plausible = [r for r in contenders if r.plausible]
    if not plausible:
        lone = contenders[0] if len(contenders) == 1 else None
        if lone is not None and lone.plausible_untabled and evidence >= MIN_EVIDENCE_BYTES:
            others = max((r.detector for r in readings if r is not lone), default=0.0)
            if lone.detector >= CLEAR_LEAD * others:
                return lone  # chardet's language model is the evidence (CLEAR_LEAD)
        return None  # chardet's favourites are not text; a long shot is not written
    # Few bytes decide nothing between multi-byte readings (chardet calls 4-byte GBK
    # MacRoman); between single-byte readings the contest's margin is the evidence.
    thin = evidence < MIN_EVIDENCE_BYTES and any(
        not charsets.is_single_byte(r.encoding) for r in plausible
    )
    if len(plausible) == 1:
        lone = plausible[0]
        return lone if not thin or len(contenders) == 1 else None
    if thin:
        return None
    for candidate in sorted(plausible, key=lambda r: -r.detector):
        if all(_beats(candidate, other, langs) for other in plausible if other is not candidate):
            return candidate
    return None


def _beats(a: Reading, b: Reading, langs: tuple[str, ...] | None = None) -> bool:
    """Whether reading ``a`` is clearly likelier than ``b``."""
    if len(a.text) == len(b.text):
        cost_a, cost_b = _difference_costs(a.text, b.text, langs, (a.language, b.language))
        return cost_b - cost_a >= WIN_MARGIN
    return b.cost - a.cost >= TIE_MARGIN


# Characters around a difference that the comparison scores: the token holding it,
# delimited by ASCII whitespace (U+0085, a C1 control, is "whitespace" to str.isspace).
_SPACE = frozenset(" \t\n\r\f\v")


def _difference_costs(
    a: str,
    b: str,
    langs: tuple[str, ...] | None = None,
    languages: tuple[str, str] = ("", ""),
) -> tuple[float, float]:
    """Total model cost of the tokens where ``a`` and ``b`` (same length) differ, both
    under the same models (those of either text's script): a letter the other reading
    has in another script then costs what an unknown letter costs."""
    spans_a: dict[tuple[int, int], None] = {}
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            lo = i
            while lo > 0 and a[lo - 1] not in _SPACE and b[lo - 1] not in _SPACE:
                lo -= 1
            hi = i + 1
            while hi < len(a) and a[hi] not in _SPACE and b[hi] not in _SPACE:
                hi += 1
            spans_a[(lo, hi)] = None
    part_a = " ".join(a[lo:hi] for lo, hi in spans_a)
    part_b = " ".join(b[lo:hi] for lo, hi in spans_a)
    sample_a, sample_b = _sample(a), _sample(b)
    models = tuple(
        dict.fromkeys((*letters.models_for(sample_a, langs), *letters.models_for(sample_b, langs)))
    )
    models = letters.fitting_models(_context(a, b, spans_a), models)
    # A name from another language keeps its letters (Václav in an English changelog).
    cost_a, _, _ = letters.text_cost(
        part_a, models, all_words=True, language=languages[0], foreign=True
    )
    cost_b, _, _ = letters.text_cost(
        part_b, models, all_words=True, language=languages[1], foreign=True
    )
    # Brackets pair up across the whole text, many words apart; an amount may stand a
    # space away from its currency sign, outside the token.
    cost_a += _pairing_cost(a)
    cost_b += _pairing_cost(b)
    return cost_a, cost_b


def _pairing_cost(text: str) -> float:
    """What a whole reading pays for signs missing their partner: brackets without their
    pair, currency signs without an amount."""
    return letters.UNPAIRED_BRACKET_COST * letters.unpaired_brackets(
        text
    ) + letters.STANDALONE_COST * letters.stray_currency(text)


# Characters on each side of a difference whose shared words tell the language it is
# written in: a few lines of prose, so that a German paragraph in an English page is
# judged as German.
CONTEXT_CHARS = 150


def _context(a: str, b: str, spans: dict[tuple[int, int], None]) -> str:
    """The text around the differences of ``a`` and ``b`` that both share (up to
    2 * SCORE_CHARS characters; the differing characters blanked): the words that tell
    the language there, whichever reading is right."""
    pieces: list[str] = []
    size = 0
    end = 0
    for lo, hi in spans:
        if size >= 2 * SCORE_CHARS:
            break
        start = max(lo - CONTEXT_CHARS, end)
        stop = min(hi + CONTEXT_CHARS, len(a))
        if stop <= start:
            continue
        pieces.append(
            "".join(x if x == y else " " for x, y in zip(a[start:stop], b[start:stop], strict=True))
        )
        size += stop - start
        end = stop
    return " ".join(pieces)


def rank_by_plausibility(
    data: bytes, candidates: Sequence[str], *, lang: str | None = None
) -> list[EncodingGuess]:
    """Rank the candidate encodings of ``data`` by how plausible each strict decoding is
    as CJK text (the CJK model alone; ``rank_encodings`` is the whole decision).

    Contract: candidates that do not decode strictly are dropped; the rest come back best
    first, each with a confidence in 0–1 and a reason. Confidence is capped at
    THIN_CONFIDENCE_CAP when the decoded text has fewer than THIN_EVIDENCE_CJK CJK
    characters or when the runner-up is within TIE_MARGIN. ``lang`` restricts the
    language model ("zh", "ja", "ko").
    """
    scored: list[tuple[float, str, plausibility.Score]] = []
    for enc in dict.fromkeys(candidates):
        text = decode_prefix(data, enc)
        if text is None:
            continue
        s = plausibility.score(_sample(text), lang=lang)
        scored.append(
            (s.badness if s.cjk else plausibility.PLAUSIBLE_COST + 1 + 10 * s.signs, enc, s)
        )
    scored.sort(key=lambda t: t[0])
    out: list[EncodingGuess] = []
    for i, (bad, enc, s) in enumerate(scored):
        gap = (scored[1][0] - bad) if i == 0 and len(scored) > 1 else 0.0
        exponent = min(MAX_EXPONENT, (bad - plausibility.PLAUSIBLE_COST) / 4.0)
        conf = 1.0 / (1.0 + math.exp(exponent))
        thin = s.cjk < THIN_EVIDENCE_CJK or (i == 0 and len(scored) > 1 and gap < TIE_MARGIN)
        if thin or i > 0:
            conf = min(conf, THIN_CONFIDENCE_CAP)
        reason = _cjk_evidence(s) + ("; thin evidence" if thin else "")
        out.append(EncodingGuess(enc, round(conf, 4), reason, thin=thin))
    return out


def decode_prefix(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly as the start of a longer stream, or ``None``.

    Only ``DETECT_BYTES`` are read; a multi-byte character cut at that boundary is left
    out rather than counted as an error.

    >>> len(decode_prefix(b"a" + "你".encode("gbk") * 40_000, "gbk"))  # 1 + 65 535 // 2
    32768
    """
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        return str(decoder.decode(data[:DETECT_BYTES], final=len(data) <= DETECT_BYTES))
    except (UnicodeDecodeError, LookupError):
        return None


def decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly with ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def codec_name(name: str) -> str:
    """Python's canonical name for a codec; ``DecodeError`` for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise DecodeError(
            f"unknown encoding {name!r}; use a Python codec name such as gbk"
        ) from exc
