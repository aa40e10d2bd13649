"""Stage: repair mojibake that lost bytes, and flag damage that cannot be undone (after
the round-trip stages).

What it fixes: most mojibake met in the wild is lossy. Two families are searched:

* **UTF-8 read as a double-byte codec with replacement** (``涓�鏂囩紪鐮佹祴璇�`` for
  中文编码测试): every U+FFFD stands for one byte the reader could not place. Each lost
  byte is enumerated among the values that keep the UTF-8 stream valid.
* **A double-byte stream knocked out of step** by byte-level insertions or replacements
  (``規(guī)?;?`` for 規模化, ``當(dāng)?shù)仄髽I`` for 當地企業): a lone lead byte was shown as
  ``?`` (sometimes swallowing the following ASCII byte), a narrowed full-width punctuation
  mark took the place of two bytes, an inserted annotation split a character. Each ``?``
  is enumerated as the lost byte; each neighbouring punctuation mark is tried as its
  full-width original; each neighbouring ``(pinyin)`` is tried as an insertion (kept as
  evidence only when its reading matches the character it split).

The whole-span decodings are ranked with the plausibility model; the winner is applied
only when it is plausible and clearly ahead of the runner-up and of the text as it is.
Otherwise a Finding lists the top candidates with their scores.

What it flags, never invents: ``锟斤拷`` (U+FFFD saved as UTF-8 and read as GBK), runs
of U+FFFD, ``烫烫烫``/``屯屯屯`` (uninitialised MSVC memory read as GBK), runs of ``?`` in
place of CJK characters. These are ``UNRECOVERABLE`` findings.

>>> from fixenc.model import Context, Options
>>> out = stage("规(guī)?;?、组织化", Context(Options()))
>>> [(c.before, c.after) for c in out.changes]
[('?;?', '模化')]
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from fixenc import plausibility
from fixenc.chars import (
    CJK_LETTERS,
    HAN,
    HEAP_FILL_READ_AS_GBK,
    MIN_MEMORY_RUN,
    NARROWED,
    PINYIN_SYLLABLE,
    REPLACEMENT_READ_AS_GBK,
    STACK_FILL_READ_AS_GBK,
    line_end,
    line_start,
)
from fixenc.chars import (
    readings as pinyin_readings,
)
from fixenc.model import (
    Candidate,
    Change,
    Context,
    Finding,
    Kind,
    Op,
    StageOutput,
    Step,
    reported_only,
)

# --- unrecoverable damage ---------------------------------------------------------
_UNRECOVERABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(f"(?:{REPLACEMENT_READ_AS_GBK})+{REPLACEMENT_READ_AS_GBK[0]}?"),
        "锟斤拷: U+FFFD replacement characters saved as UTF-8 (EF BF BD) and read as GBK; "
        "the original characters are gone",
    ),
    (
        re.compile(f"{STACK_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN},}}"),
        "烫烫烫: uninitialised stack memory (0xCC, MSVC debug builds) read as GBK",
    ),
    (
        re.compile(f"{HEAP_FILL_READ_AS_GBK}{{{MIN_MEMORY_RUN},}}"),
        "屯屯屯: uninitialised heap memory (0xCD, MSVC debug builds) read as GBK",
    ),
)
_FFFD_RUN = re.compile("\ufffd+")
_FFFD_REASON = "U+FFFD: bytes that could not be decoded were replaced; they are lost"
_QMARK_REASON = "'?' in place of characters the text's encoding could not represent"
# How far around a suspect span the unrecoverable patterns are looked for (a run of
# 锟斤拷 or U+FFFD can be long; the suspect marks where it starts).
UNRECOVERABLE_REACH = 4096
# '?' in place of CJK characters: two or more next to Han, or one between two Han
# characters that no lost-byte hypothesis explains.
# An emphatic "真的吗???" after a question particle is punctuation, not damage.
_QUESTION_PARTICLES = "吗嗎呢吧么麼嘛啊呀哪谁誰什"
_QMARK_RUN = re.compile(r"\?{2,}")  # context is checked in _lost_characters (fast scan)
_HAN_CHAR = re.compile(f"[{HAN}]")

# --- UTF-8 read as a double-byte codec ----------------------------------------------
UTF8_READERS = ("gbk", "big5", "shift_jis", "cp949")
# Lost bytes searched per span; more would be a guess, not a recovery.
MAX_LOST = 8

# --- out-of-step double-byte streams --------------------------------------------------
DBCS_CODECS = ("gbk", "big5")
# Tables used to prune the search (GBK and Big5 streams carry Chinese; a language hint
# narrows or widens the choice).
DBCS_MODELS = {"zh": ("zh-Hans", "zh-Hant"), "ja": ("ja",), "ko": ("ko",)}
FULLWIDTH = NARROWED
_PINYIN_GROUP = re.compile(f"\\(?({PINYIN_SYLLABLE})\\)")
# Characters of context kept on each side for the language model.
CONTEXT = 8
# How far (characters) a desynchronised stream is followed before giving up.
MAX_SHIFT = 16

# --- decisions ------------------------------------------------------------------------
# Total-cost lead (decibans) the best candidate needs over the runner-up and over the
# text as it stands: 10 dB is ten times as likely.
MIN_LEAD = 8.0
# The lead a UTF-8 reading needs. Measured on the clean catalogues read as GBK and
# Shift_JIS with replacement (scripts/build_clean_corpus.py, 400 lines, with the
# one-character rule below): a lead of 8 dB applied 276 readings, 247 right (89 %);
# 10 dB applied 256, 234 right (91 %); 12 dB applied 236, 218 right (92 %). The wrong
# ones are mostly a final character with no right-hand context (页边距 → 页边路). 8 keeps
# recoveries such as 涓�鏂囩紪鐮佹祴璇� → 中文编码测试 (8.4 dB ahead of 中文编码测评).
MIN_LEAD_UTF8 = 8.0
# A self-contained reading (a UTF-8 span) must hold at least this many CJK characters.
MIN_CJK_SELF_CONTAINED = 2
# Cost charged for each unexplained '?' or U+FFFD left in a reading.
UNEXPLAINED_COST = 40.0
# Prior cost of each edit a hypothesis assumes (a widened punctuation mark, a removed
# insertion): small, so that one good word outweighs it.
EDIT_COST = 6.0
# A kept annotation that reads the character before it is what a legitimate one looks
# like: weak evidence (most annotations are legitimate), so a small bonus.
KEPT_READING_BONUS = 10.0
# Cost of keeping a "pinyin)" whose '(' no lost byte swallowed: a stray ')' is rare.
UNBALANCED_NOTE_COST = 20.0
# Bonus for a removed annotation whose reading matches the character it split: a random
# lead byte yields a character with one given reading far less than 1 time in 100.
READING_MATCH_BONUS = 30.0
CONFIDENCE_CLEAR = 0.8
CONFIDENCE_CANDIDATES = 0.5
TOP_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoding of a damaged span, with its total cost and how it was obtained."""

    text: str
    cost: float
    hypothesis: str


def stage(text: str, context: Context) -> StageOutput | None:
    """See ``_stage``. In text decoded from a legacy file, a lost-byte reading is a
    guess about the file's history, not about our decoding: reported, not applied."""
    out = _stage(text, context)
    if context.origin.legacy:
        return reported_only(out, "lost bytes; not applied to text decoded from a legacy file")
    return out


def _stage(text: str, context: Context) -> StageOutput | None:
    """Repair lost-byte mojibake and flag unrecoverable damage; ``None`` on clean text."""
    if not plausibility.has_suspects(text, context):
        return None
    options = context.options
    changes: list[Change] = []
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for start, end, readings, reason in _damaged_spans(text, options.lang, context):
        if any(start < e and end > s for s, e in taken):
            continue
        before = text[start:end]
        if not _surviving_bytes(before):
            continue  # nothing of the original survives: flagged below as unrecoverable
        best = readings[0] if readings else None
        self_contained = reason.startswith("UTF-8")
        if best is not None and _clear_winner(before, readings, self_contained):
            taken.append((start, end))
            changes.append(
                Change(
                    kind=Kind.MOJIBAKE,
                    start=start,
                    end=end,
                    before=before,
                    after=best.text,
                    reason=f"{reason}: {best.hypothesis}",
                    confidence=CONFIDENCE_CLEAR,
                    steps=(Step(Op.REPLACE, best.text),),
                )
            )
        elif readings:
            taken.append((start, end))
            findings.append(
                Finding(
                    kind=Kind.MOJIBAKE,
                    start=start,
                    end=end,
                    text=before,
                    reason=f"{reason}; no candidate is clearly ahead, left unchanged",
                    confidence=CONFIDENCE_CANDIDATES,
                    candidates=_candidates(readings[:TOP_CANDIDATES]),
                )
            )
    # unrecoverable damage always sits on a suspect span: look only there
    seen: set[tuple[int, int]] = set()
    for s, e in plausibility.suspects(text, context):
        lo, hi = max(0, s - UNRECOVERABLE_REACH), min(len(text), e + UNRECOVERABLE_REACH)
        for pattern, reason in _UNRECOVERABLE:
            for m in pattern.finditer(text, lo, hi):
                if m.start() <= e and m.end() >= s and m.span() not in seen:
                    seen.add(m.span())
                    findings.append(_unrecoverable(m.start(), m.end(), text, reason))
        for m in _FFFD_RUN.finditer(text, lo, hi):
            if m.span() in seen or not (m.start() <= e and m.end() >= s):
                continue
            seen.add(m.span())
            if not any(m.start() < te and m.end() > ts for ts, te in taken):
                findings.append(_unrecoverable(m.start(), m.end(), text, _FFFD_REASON))
        for m in _QMARK_RUN.finditer(text, lo, hi):
            if m.span() in seen or not (m.start() <= e and m.end() >= s):
                continue
            seen.add(m.span())
            if _lost_characters(text, m.start(), m.end()) and not any(
                m.start() < te and m.end() > ts for ts, te in taken
            ):
                findings.append(_unrecoverable(m.start(), m.end(), text, _QMARK_REASON))
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


def _candidates(readings: Sequence[Reading]) -> tuple[Candidate, ...]:
    """Readings as candidates: each cost in decibans is a likelihood (10^(-cost/10)),
    so a candidate's confidence is its share of the likelihood of those listed."""
    best = min(r.cost for r in readings)
    weights = [10 ** (-(r.cost - best) / 10) for r in readings]
    total = sum(weights)
    return tuple(
        Candidate(r.text, w / total, r.hypothesis, cost_db=round(r.cost, 2))
        for r, w in zip(readings, weights, strict=True)
    )


def _surviving_bytes(span: str) -> bool:
    """A span of U+FFFD whose other non-ASCII characters are none kept nothing of the
    original bytes: every "reading" of it would be invented (``备注：���`` offered 開, 間,
    運). Out-of-step spans (``?;?``) carry their surviving bytes as ASCII and pass."""
    return "\ufffd" not in span or any(not ch.isascii() and ch != "\ufffd" for ch in span)


def _lost_characters(text: str, start: int, end: int) -> bool:
    """A run of '?' stands for lost characters when Han follows it and it does not
    follow a question particle (真的吗??? is emphasis, 我爱???北京 is not)."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if not _HAN_CHAR.match(after):
        return False
    return not before or before not in _QUESTION_PARTICLES


def _unrecoverable(start: int, end: int, text: str, reason: str) -> Finding:
    return Finding(Kind.UNRECOVERABLE, start, end, reason, 1.0, text=text[start:end])


def _clear_winner(before: str, readings: Sequence[Reading], self_contained: bool) -> bool:
    """The best reading leads the runner-up by MIN_LEAD, and a self-contained one (a
    whole UTF-8 span) is plausible on its own; a reading of a few characters inside a
    sentence was already ranked in its context."""
    best = readings[0]
    if self_contained:
        score = plausibility.score(best.text)
        if not score.plausible or score.cjk < MIN_CJK_SELF_CONTAINED:
            return False  # one character from one lost byte is a guess, not a recovery
    runner = readings[1].cost if len(readings) > 1 else float("inf")
    return runner - best.cost >= (MIN_LEAD_UTF8 if self_contained else MIN_LEAD)


def _damaged_spans(
    text: str, lang: str | None, context: Context
) -> Iterator[tuple[int, int, list[Reading], str]]:
    """(start, end, readings best first, reason) for each span with lost bytes."""
    seen_end = -1
    for s, e in plausibility.suspects(text, context):
        if s < seen_end:
            continue
        chunk = text[s:e]
        if "\ufffd" in chunk:
            found = _utf8_lost(text, s, lang)
            if found:
                seen_end = found[1]
                yield found
                continue
        if "?" in chunk:
            found = _dbcs_lost(text, s + chunk.index("?"), lang)
            if found:
                seen_end = found[1]
                yield found


# --- UTF-8 read as a DBCS codec -------------------------------------------------------


def _utf8_lost(text: str, pos: int, lang: str | None) -> tuple[int, int, list[Reading], str] | None:
    """Recover a UTF-8-read-as-DBCS span with U+FFFD for lost bytes around ``pos``."""
    best: tuple[int, int, list[Reading], str] | None = None
    for reader in UTF8_READERS:
        found = _utf8_lost_with(text, pos, reader, lang)
        if found and (best is None or found[2][0].cost < best[2][0].cost):
            best = found
    return best


def _utf8_lost_with(
    text: str, pos: int, reader: str, lang: str | None
) -> tuple[int, int, list[Reading], str] | None:
    # the run of characters the reader produced, U+FFFD included, around pos
    def ok(ch: str) -> bool:
        if ch == "\ufffd":
            return True
        if ch.isascii():
            return False
        try:
            ch.encode(reader)
        except UnicodeEncodeError:
            return False
        return True

    start = pos
    while start > 0 and ok(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and ok(text[end]):
        end += 1
    run = text[start:end]
    slots = [i for i, ch in enumerate(run) if ch == "\ufffd"]
    if not slots or len(slots) > MAX_LOST or len(slots) == len(run):
        return None
    pieces = [b"" if ch == "\ufffd" else ch.encode(reader) for ch in run]
    bounds_cache: dict[tuple[int, ...], float] = {}

    def assemble(values: Sequence[int]) -> list[bytes]:
        parts = list(pieces)
        for slot, v in zip(slots, values, strict=False):
            parts[slot] = bytes([v])
        return parts

    def cost_of(values: Sequence[int]) -> float:
        # lenient decoding of the whole run, so that each lost byte can be ranked on
        # its own while the others are still wrong (their U+FFFD are charged)
        key = tuple(values)
        if key not in bounds_cache:
            out = b"".join(assemble(values)).decode("utf-8", errors="replace")
            bounds_cache[key] = _cost(out, lang)
        return bounds_cache[key]

    # coordinate descent: each lost byte in turn, two sweeps
    fills = [0x80] * len(slots)
    for _sweep in range(2):
        for k in range(len(slots)):
            trials = []
            for v in LOST_UTF8_VALUES:
                trial = list(fills)
                trial[k] = v
                trials.append((cost_of(trial), v))
            fills[k] = min(trials)[1]
    # Two lost bytes in a row are usually the two continuation bytes of one character
    # (误 = E8 AF AF read as GBK: AF AF is no GBK character). Changing one byte at a time
    # cannot leave a character that the other byte already fits (E8 A8 80 = 言), so try
    # the pair jointly: the likeliest characters first, by their own frequency.
    for k in range(len(slots) - 1):
        lead = pieces[slots[k] - 1][-1:] if slots[k] > 0 else b""
        if slots[k + 1] != slots[k] + 1 or not lead or not 0xE0 <= lead[0] <= 0xEF:
            continue
        before = b"".join(assemble(fills)[: slots[k]])[:-1].decode("utf-8", errors="ignore")
        for v1, v2 in _likely_pairs(lead[0], before[-1:], lang):
            trial = list(fills)
            trial[k], trial[k + 1] = v1, v2
            if cost_of(trial) < cost_of(fills):
                fills = trial
    ranked_fills = sorted(bounds_cache.items(), key=lambda kv: kv[1])
    best_region = _strict_region(assemble(fills), slots)
    if best_region is None:
        return None
    a, b = best_region
    readings: list[Reading] = []
    for values, _ in ranked_fills[: TOP_CANDIDATES * 4]:
        parts = assemble(values)
        try:
            out = b"".join(parts[a:b]).decode("utf-8")
        except UnicodeDecodeError:
            continue
        hexes = " ".join(f"{v:02X}" for v in values)
        readings.append(
            Reading(out, _cost(out, lang), f"utf-8 read as {reader}, lost bytes {hexes}")
        )
    if not readings:
        return None
    readings.sort(key=lambda r: r.cost)
    return start + a, start + b, _dedupe(readings), "UTF-8 read as a double-byte codec, bytes lost"


# Characters tried for two lost continuation bytes after a known 3-byte lead: the
# likeliest ones after the character to their left (bigram, else unigram with the
# backoff charge). One lead byte leads about 2,000 known characters (E8: 2,103 in the
# tables); 误 after 错 ranks first by bigram but 205th by frequency alone.
JOINT_CANDIDATES = 48


@functools.lru_cache(maxsize=256)
def _likely_pairs(lead: int, left: str, lang: str | None) -> tuple[tuple[int, int], ...]:
    """Continuation byte pairs after ``lead``, likeliest character (after ``left``) first."""
    names = plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS)
    model = plausibility.merged_model(tuple(names))
    scored = []
    for v1 in range(0x80, 0xC0):
        for v2 in range(0x80, 0xC0):
            try:
                ch = bytes([lead, v1, v2]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            cost = model.uni.get(ch)
            if cost is None:
                continue
            joint = model.bi.get(left + ch) if left in model.uni else None
            # conditional cost of ch after left: joint − cost of left (offset folded in)
            conditional = None if joint is None else joint + model.bigram_offset - model.uni[left]
            scored.append(
                (
                    conditional if conditional is not None else cost + plausibility.BACKOFF_COST,
                    v1,
                    v2,
                )
            )
    scored.sort()
    return tuple((v1, v2) for _, v1, v2 in scored[:JOINT_CANDIDATES])


# Values a lost byte of a UTF-8 stream can take: the reader shows U+FFFD only for bytes
# it cannot place, which in UTF-8 text are lead and continuation bytes (0x80–0xF4).
LOST_UTF8_VALUES = range(0x80, 0xF5)


def _strict_region(parts: Sequence[bytes], slots: Sequence[int]) -> tuple[int, int] | None:
    """The widest run of ``parts`` that covers every lost byte and is valid UTF-8."""
    bounds = list(itertools.accumulate((len(p) for p in parts), initial=0))
    data = b"".join(parts)
    lo, hi = slots[0], slots[-1] + 1
    for a in range(0, lo + 1):
        try:
            data[bounds[a] :].decode("utf-8")
            return a, len(parts)
        except UnicodeDecodeError as err:
            bad = bounds[a] + err.start
        if bad < bounds[hi]:
            continue
        for b in range(len(parts), hi - 1, -1):
            if bounds[b] <= bad:
                try:
                    data[bounds[a] : bounds[b]].decode("utf-8")
                    return a, b
                except UnicodeDecodeError:
                    continue
    return None


def _dedupe(readings: list[Reading]) -> list[Reading]:
    seen: set[str] = set()
    out: list[Reading] = []
    for r in readings:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


# --- out-of-step DBCS streams -----------------------------------------------------------
# Beam width: partial reconstructions kept after each token (complete ones, ranked).
BEAM = 12
# Freshly enumerated states (every value of a lost byte) kept until the next token shows
# whether they form a word with it (默 after 中 looks unlikely until 認 follows).
MAX_FRESH = 1500
# Before a lost byte is enumerated, fresh states are cut down to this many: each one
# would otherwise be multiplied by every value of the next lost byte.
FRESH_BEFORE_LOST = 60
# The lost byte was not ASCII (ASCII would have decoded as itself).
LOST_BYTE_VALUES = range(0x80, 0xFF)
# Kept '?' cost as much as a CJK punctuation mark, more where it sits inside a run of
# text or punctuation (``?;?``, ``吗?我``), where a real question mark is unusual.
QMARK_COST = 25.0
QMARK_INSIDE_COST = 40.0
_TRAILING_NOTES = re.compile(r"(?:\([^()\s]{1,8}\))+$")


@dataclass(frozen=True, slots=True)
class _State:
    """A partial reconstruction: decoded text so far, an unpaired lead byte (known, or
    a wildcard for a lost byte still to be enumerated), running cost and assumptions."""

    text: str
    pending: bytes  # a known lead byte waiting for its trail
    wild: bool  # a lost lead byte waiting for the next known byte to be enumerated
    context: str  # last CJK character, for the bigram cost of the next one
    cost: float
    notes: tuple[str, ...]
    open_paren: bool = False  # a '(' was swallowed; the next note decides its fate
    fresh: bool = False  # just enumerated: ranked only once the next token has been seen
    obs_next: int = -1  # for a wildcard: the byte the damaged decoder saw right after it


def _tokens(window: str, q: int) -> list[tuple[str, str]]:
    """Tokens of ``window[q:]``: lost '?', notes ``(pinyin)`` (or ``pinyin)`` whose '('
    was swallowed), narrowable punctuation, other ASCII, other characters."""
    out: list[tuple[str, str]] = []
    i = q
    while i < len(window):
        ch = window[i]
        m = _PINYIN_GROUP.match(window, i)
        if m and (ch == "(" or (out and out[-1][0] == "lost")):
            out.append(("note", m.group()))
            i = m.end()
            continue
        if ch == "?":
            out.append(("lost", ch))
        elif ch in FULLWIDTH:
            out.append(("punct", ch))
        elif ch.isascii():
            out.append(("ascii", ch))
        else:
            out.append(("char", ch))
        i += 1
    return out


def _dbcs_lost(
    text: str, qpos: int, lang: str | None
) -> tuple[int, int, list[Reading], str] | None:
    """Recover a ``?``-damaged double-byte span whose first ``?`` is at ``qpos``."""
    first, last = line_start(text, qpos), line_end(text, qpos)
    left = max(first, qpos - CONTEXT)
    for m in _PINYIN_GROUP.finditer(text, max(first, left - 10), qpos):
        if m.start() < left < m.end():
            left = m.start()
    right = min(last, qpos + MAX_SHIFT)
    # end on a byte that cannot be a trail byte (ASCII below 0x40), where streams resync
    while right < last and not (text[right] < "@" and text[right] != "?"):
        right += 1
    window = text[left:right]
    q = qpos - left
    head = window[:q]
    tokens = _tokens(window, q)
    if not _damage_evidence(head, tokens, lang):
        return None
    narrowed = _narrowed_in(text)
    readings: list[Reading] = []
    for codec in DBCS_CODECS:
        readings.extend(_beam(head, tokens, codec, lang, narrowed))
    if not readings:
        return None
    readings.sort(key=lambda r: r.cost)
    readings = _dedupe(readings)
    top = readings[0]
    null = next((r for r in readings if r.text == window), None)
    null_cost = null.cost if null is not None else _cost_dbcs(window, lang)
    if top.text == window or null_cost - top.cost < MIN_LEAD:
        return None
    p = 0
    while p < min(len(window), len(top.text)) and window[p] == top.text[p]:
        p += 1
    s = 0
    while s < min(len(window), len(top.text)) - p and window[-1 - s] == top.text[-1 - s]:
        s += 1
    a, b = p, len(window) - s
    out = [
        Reading(_house_style(r.text[p : len(r.text) - s], narrowed), r.cost, r.hypothesis)
        for r in readings
        if len(r.text) >= p + s
        and r.text.startswith(window[:p])
        and r.text.endswith(window[len(window) - s :])
        and r.text != window
    ]
    return left + a, left + b, _dedupe(out), "double-byte text knocked out of step, bytes lost"


def _narrowed_in(text: str) -> frozenset[str]:
    """ASCII punctuation the text uses right after Han characters (narrowed full-width)."""
    return frozenset(p for p in FULLWIDTH if re.search(f"[{HAN}]{re.escape(p)}", text))


# Share of a restored mark's character cost that is refunded (see _narrowing_cost). On
# simulated articles (the seed's damage on its own text, 8 seeds, 60 damaged spans):
# none or half repaired 39 spans and got 4 wrong (a dropped comma); all of it repaired
# 33 and got 2 wrong, leaving the rest as findings. Half keeps the recall.
PUNCT_REFUND = 0.5


def _note_prior(note: str, narrowed: frozenset[str]) -> float:
    """Prior cost of one assumption recorded in a reading's notes."""
    if note.startswith("ate ") and len(note) > 4 and note[4] in FULLWIDTH:
        return _narrowing_cost(note[4], narrowed)
    return EDIT_COST


def _first_byte(token: tuple[str, str], codec: str) -> int:
    """The first byte of an observed token in ``codec`` (-1 at the end or if unencodable)."""
    if not token[1]:
        return -1
    try:
        return token[1].encode(codec)[0]
    except UnicodeEncodeError:
        return -1


def _valid_pair(lead: int, trail: int, codec: str) -> bool:
    if trail < 0:
        return False
    try:
        bytes([lead, trail]).decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _narrowing_cost(p: str, narrowed: frozenset[str]) -> float:
    """Prior cost of assuming a swallowed ``p`` was a narrowed full-width mark: one edit,
    two when the text shows no other narrowed ``p`` after a Han character.

    The mark's own cost as a character is refunded: its bytes are there whether or not
    the decoder swallowed them, so the restored mark must not make the reading look
    worse than one that silently drops it (依據，力爭 against 依據力爭).
    """
    edit = EDIT_COST if p in narrowed else 2 * EDIT_COST
    return edit - PUNCT_REFUND * PUNCT_COSTS.get(FULLWIDTH[p], PUNCT_COST)


def _house_style(span: str, narrowed: frozenset[str]) -> str:
    """Narrow recovered full-width punctuation when the text narrows it elsewhere.

    The damage that knocks a stream out of step (byte-level replacements) usually also
    narrowed the full-width punctuation that *was* aligned; a recovered ``，`` in a text
    whose other commas after Han are ``,`` would stand out, so it follows the text.
    """
    for ascii_ in narrowed:
        span = span.replace(FULLWIDTH[ascii_], ascii_)
    return span


# What may stand right before a lost double-byte character: Han, CJK and full-width
# punctuation, and the curly quotes and dashes GBK text uses (“”‘’…—).
_CJK_CONTEXT = re.compile(f"[{HAN}\uff00-\uffef\u3000-\u303f\u2018-\u201f\u2026\u2014]")


def _damage_evidence(head: str, tokens: Sequence[tuple[str, str]], lang: str | None) -> bool:
    """A '?' is taken for a lost byte only in CJK context and with more evidence than
    itself: a neighbouring narrowed punctuation mark or inserted annotation, a second
    '?', or an implausible stretch of characters right after it (the stream out of step)."""
    bare = _TRAILING_NOTES.sub("", head)
    if not bare or not _CJK_CONTEXT.match(bare[-1]):
        return False
    if bare[-1] in _QUESTION_PARTICLES:
        return False  # 真的吗??? is emphasis
    if [k for k, _ in tokens[:3]] == ["lost"] * 3:
        return False  # ??? for whole characters: an encoder's replacement, unrecoverable
    near = [k for k, _ in tokens[1:3]]
    if "lost" in near or "note" in near:
        return True
    run = "".join(t for k, t in itertools.takewhile(lambda kt: kt[0] == "char", tokens[1:]))
    return bool(run) and not plausibility.score(run, lang=lang).plausible


def _beam(
    head: str,
    tokens: Sequence[tuple[str, str]],
    codec: str,
    lang: str | None,
    narrowed: frozenset[str],
) -> list[Reading]:
    """Rebuild the byte stream token by token, keeping the most plausible readings.

    Pruning uses an incremental bigram cost under the model that fits the context best;
    the survivors are re-ranked with the full model (words included).
    """
    try:
        stripped = _TRAILING_NOTES.sub("", head)
        prev_byte = stripped.encode(codec)[-1:]
    except UnicodeEncodeError:
        return []
    model = plausibility.merged_model(DBCS_MODELS.get(lang or "", DBCS_MODELS["zh"]))
    context = "".join(c for c in stripped[-3:] if _IS_CJK.match(c))
    states = [_State("", b"", False, context, 0.0, ())]
    for idx, (kind, tok) in enumerate(tokens):
        nxt = tokens[idx + 1] if idx + 1 < len(tokens) else ("", "")
        if kind == "lost":
            states = _prune(states, FRESH_BEFORE_LOST)  # a lost byte multiplies every state
        grown: list[_State] = []
        for st in states:
            grown.extend(_expand(st, kind, tok, nxt, codec, prev_byte, model, narrowed))
        states = _prune(grown)
        if not states:
            return []
    out: list[Reading] = []
    for st in states:
        if st.pending or st.wild or st.open_paren:
            continue
        text = head + st.text
        prior = sum(
            _note_prior(n, narrowed)
            for n in st.notes
            if not (
                n.startswith(("lost byte", "ate '('", "kept")) or n.endswith("(reading matches)")
            )
        )
        bonus = sum(
            KEPT_READING_BONUS if n.startswith("kept") else READING_MATCH_BONUS
            for n in st.notes
            if n.endswith("(reading matches)")
        )
        what = f"{codec} stream out of step" + (f"; {', '.join(st.notes)}" if st.notes else "")
        out.append(Reading(text, _cost_dbcs(text, lang) + prior - bonus, what))
    return out


_IS_CJK = re.compile(f"[{CJK_LETTERS}]")
_LEAD_VALUES = range(0x81, 0xFF)
_TRAIL_VALUES = range(0x80, 0xFF)


def _push(
    st: _State,
    data: bytes,
    codec: str,
    model: plausibility.Model,
    *,
    note: bool = False,
    cost: float = 0.0,
    label: str = "",
    open_paren: bool = False,
) -> Iterator[_State]:
    """Append known bytes to a state: resolve a wildcard lead against the first of them,
    decode what completes, and charge each new character its incremental cost."""
    notes = (*st.notes, label) if label else st.notes
    if st.wild:
        if not data:
            yield _State(
                st.text,
                st.pending,
                True,
                st.context,
                st.cost + cost,
                notes,
                open_paren,
                obs_next=st.obs_next,
            )
            return
        if data[0] == st.obs_next:
            return  # the decoder saw this very byte after the lost one and still failed
        for v in _LEAD_VALUES:
            try:
                ch = bytes([v, data[0]]).decode(codec)
            except UnicodeDecodeError:
                continue
            base = _State(
                st.text + ch,
                b"",
                False,
                *_advance(st.context, ch, model, st.cost + cost),
                (*notes, f"lost byte {v:02X}"),
                open_paren,
            )
            for done in _push(base, data[1:], codec, model, note=note):
                yield replace(done, fresh=True)
        return
    buf = st.pending + data
    try:
        chars, pending = buf.decode(codec), b""
    except UnicodeDecodeError as err:
        if err.start != len(buf) - 1 or buf[-1] < 0x81:
            return
        try:
            chars, pending = buf[:-1].decode(codec), buf[-1:]
        except UnicodeDecodeError:
            return
    context, total = st.context, st.cost + cost
    if not note:
        for ch in chars:
            context, total = _advance(context, ch, model, total)
    # an annotation adds no context: a fresh state stays fresh until a character follows
    yield _State(
        st.text + chars, pending, False, context, total, notes, open_paren, note and st.fresh
    )


def _advance(context: str, ch: str, model: plausibility.Model, total: float) -> tuple[str, float]:
    """(new context, total + the incremental cost of ``ch`` after ``context``).

    ``context`` holds the last few CJK characters; a character that completes a known
    word with them earns WORD_STEP_BONUS, so that the pruning sees words (默認) and not
    only character pairs.
    """
    if _IS_CJK.match(ch):
        last = context[-1:]
        u = model.uni.get(ch, model.unknown)
        b = model.bi.get(last + ch) if last else None
        step = (
            max(0.0, b - model.uni.get(last, model.unknown) + model.bigram_offset)
            if b is not None
            else (BACKOFF_STEP + u if last else u)
        )
        if any(context[-k:] + ch in model.words for k in range(1, min(len(context), 3) + 1)):
            step = max(0.0, step - WORD_STEP_BONUS)
        return (context + ch)[-3:], total + step
    if ch == "?":
        return "", total + QMARK_INSIDE_COST
    if ch in _CJK_PUNCT:
        return "", total + PUNCT_COSTS[ch]
    if ch.isascii():
        return ("" if not ch.isalnum() else context), total
    return "", total + SYMBOL_COST


# Pruning bonus for completing a known word (decibans): about what the word discount
# of ``plausibility.run_cost`` gives a two-character word over its characters.
WORD_STEP_BONUS = 10.0
BACKOFF_STEP = plausibility.BACKOFF_COST


def _expand(
    st: _State,
    kind: str,
    tok: str,
    nxt: tuple[str, str],
    codec: str,
    prev_byte: bytes,
    model: plausibility.Model,
    narrowed: frozenset[str],
) -> Iterator[_State]:
    if st.open_paren and kind != "note":
        return  # a swallowed '(' must be followed by the rest of its annotation
    if kind == "lost":
        yield from _push(st, b"?", codec, model)  # a real question mark
        yield from _push(
            st, FULLWIDTH["?"].encode(codec), codec, model, cost=EDIT_COST, label="?→？"
        )
        if st.wild:
            # two lost bytes in a row cannot be one character: its lead would have
            # decoded with its trail; the wildcard lead is followed by a real '?'
            return
        after = _first_byte(nxt, codec)
        if st.pending:
            for v in _TRAIL_VALUES:
                for done in _push(st, bytes([v]), codec, model, label=f"lost byte {v:02X}"):
                    # the damaged decoder saw this byte start a character with the byte
                    # after it and failed; if that pair is valid, a byte between them
                    # must have been swallowed
                    if not _valid_pair(v, after, codec):
                        yield replace(done, fresh=True)
                    if nxt[0] == "note" and not nxt[1].startswith("("):
                        yield _State(
                            done.text,
                            done.pending,
                            done.wild,
                            done.context,
                            done.cost,
                            (*done.notes, "ate '('"),
                            True,
                            True,
                        )
                    for p in FULLWIDTH:
                        if nxt != ("punct", p):
                            for ate in _push(
                                done,
                                FULLWIDTH[p].encode(codec),
                                codec,
                                model,
                                cost=_narrowing_cost(p, narrowed),
                                label=f"ate {p} (was {FULLWIDTH[p]})",
                            ):
                                yield replace(ate, fresh=True)
            return
        wild = _State(st.text, b"", True, st.context, st.cost, st.notes, obs_next=after)
        yield wild
        if nxt[0] == "note" and not nxt[1].startswith("("):
            yield _State(st.text, b"", True, st.context, st.cost, (*st.notes, "ate '('"), True)
        for p in FULLWIDTH:
            if nxt != ("punct", p):
                yield from _push(
                    wild,
                    FULLWIDTH[p].encode(codec),
                    codec,
                    model,
                    cost=_narrowing_cost(p, narrowed),
                    label=f"ate {p} (was {FULLWIDTH[p]})",
                )
    elif kind == "note":
        body = tok if tok.startswith("(") else "(" + tok
        if st.open_paren or tok.startswith("("):
            try:
                keep = body.encode(codec)
            except UnicodeEncodeError:
                keep = b""
            if keep and not st.wild and not st.pending:
                # a legitimate annotation follows a whole character, and reads it
                bare = _TRAILING_NOTES.sub("", st.text)
                reads = bool(bare) and body.strip("()") in pinyin_readings(bare[-1])
                yield from _push(
                    st,
                    keep,
                    codec,
                    model,
                    note=True,
                    cost=-KEPT_READING_BONUS if reads else 0.0,
                    label=f"kept {body} (reading matches)" if reads else "",
                )
            if st.wild:
                # the annotated character straddled the boundary: the byte before the
                # lost one and the lost byte itself; its reading pins the lost byte down
                prev = _last_byte(st.text, prev_byte, codec)
                for v in _LEAD_VALUES:
                    if _reads_as(prev + bytes([v]), codec, body.strip("()")):
                        yield _State(
                            st.text,
                            bytes([v]),
                            False,
                            st.context,
                            st.cost + EDIT_COST - READING_MATCH_BONUS,
                            (
                                *st.notes,
                                f"inserted {body} removed (reading matches)",
                                f"lost byte {v:02X}",
                            ),
                        )
            label = f"inserted {body} removed"
            yield _State(
                st.text,
                st.pending,
                st.wild,
                st.context,
                st.cost + EDIT_COST,
                (*st.notes, label),
                False,
                st.fresh,
            )
        else:
            # a "pinyin)" whose '(' nothing explains
            yield from _push(
                st,
                tok.encode(codec, errors="replace"),
                codec,
                model,
                note=True,
                cost=UNBALANCED_NOTE_COST,
                label="unbalanced note kept",
            )
    elif kind == "punct":
        yield from _push(st, tok.encode(), codec, model)
        yield from _push(
            st,
            FULLWIDTH[tok].encode(codec),
            codec,
            model,
            cost=EDIT_COST,
            label=f"{tok}→{FULLWIDTH[tok]}",
        )
    else:
        try:
            data = tok.encode(codec)
        except UnicodeEncodeError:
            return
        yield from _push(st, data, codec, model)


def _prune(states: list[_State], max_fresh: int = 0) -> list[_State]:
    """Keep the BEAM cheapest states of each kind: ranked, waiting for a byte, and
    freshly enumerated (kept wider, MAX_FRESH, until their right neighbour is known)."""
    seen: set[tuple[str, bytes, bool, bool]] = set()
    ranked: list[_State] = []
    waiting: list[_State] = []
    fresh: list[_State] = []
    for st in states:
        key = (st.text, st.pending, st.wild, st.open_paren)
        if key in seen:
            continue
        seen.add(key)
        if st.fresh:
            fresh.append(st)
        elif st.wild or st.open_paren:
            waiting.append(st)
        else:
            ranked.append(st)
    for bucket in (ranked, waiting, fresh):
        bucket.sort(key=lambda st: st.cost)
    return ranked[:BEAM] + waiting[:BEAM] + fresh[: max_fresh or MAX_FRESH]


def _cost_dbcs(text: str, lang: str | None) -> float:
    """``_cost`` with kept '?' charged as punctuation (more when inside a run)."""
    base = _cost(text.replace("?", ""), lang)
    for m in re.finditer(r"\?", text):
        after = text[m.end() : m.end() + 1]
        inside = bool(after) and (bool(re.match(f"[{HAN}]", after)) or after in FULLWIDTH)
        base += QMARK_INSIDE_COST if inside else QMARK_COST
    return base


def _last_byte(text: str, prev_byte: bytes, codec: str) -> bytes:
    """The last byte before an insertion point, annotations set aside."""
    stripped = _TRAILING_NOTES.sub("", text)
    if not stripped:
        return prev_byte
    try:
        return stripped[-1].encode(codec)[-1:]
    except UnicodeEncodeError:
        return b""


def _reads_as(pair: bytes, codec: str, syllable: str) -> bool:
    try:
        ch = pair.decode(codec)
    except UnicodeDecodeError:
        return False
    return syllable in pinyin_readings(ch)


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
_CJK_PUNCT = "".join(_PUNCT_RELATIVE)
_SYMBOL = re.compile(f"[^\\x00-\\x7f{CJK_LETTERS}{_CJK_PUNCT}]")


def _cost(text: str, lang: str | None) -> float:
    """Total cost of a reading: language-model cost of its CJK with annotations set
    aside, plus a charge for each unexplained '?' or U+FFFD and each sign of garble."""
    clean = _PINYIN_GROUP.sub("", text)
    mean, n, _ = plausibility.cjk_cost(
        clean, plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS)
    )
    unexplained = clean.count("?") + clean.count("\ufffd")
    signs = plausibility.count_signs(clean)
    symbols = len(_SYMBOL.findall(clean))
    punct = sum(PUNCT_COSTS[p] * clean.count(p) for p in _CJK_PUNCT) / PUNCT_COST
    return (
        mean * n
        + UNEXPLAINED_COST * unexplained
        + plausibility.SIGN_COST * signs
        + SYMBOL_COST * symbols
        + PUNCT_COST * punct
    )
