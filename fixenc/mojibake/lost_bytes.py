"""Mojibake that lost bytes, and damage that cannot be undone (stage: repair, after the
round-trip stages).

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

>>> out = stage("规(guī)?;?、组织化", Options())
>>> [(c.before, c.after) for c in out.changes]
[('?;?', '模化')]
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fixenc import plausibility
from fixenc.model import Candidate, Change, Finding, Kind, Op, Options, Step
from fixenc.pipeline import StageOutput

HAN = plausibility.HAN

# --- unrecoverable damage ---------------------------------------------------------
# Repetitions needed before 烫/屯 count as memory garbage: 烫烫 is real colloquial
# Chinese (热烫烫), three or more in a row is not.
MIN_MEMORY_RUN = 3
_UNRECOVERABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile("(?:锟斤拷)+锟?"),
        "锟斤拷: U+FFFD replacement characters saved as UTF-8 (EF BF BD) and read as GBK; "
        "the original characters are gone",
    ),
    (
        re.compile(f"烫{{{MIN_MEMORY_RUN},}}"),
        "烫烫烫: uninitialised stack memory (0xCC, MSVC debug builds) read as GBK",
    ),
    (
        re.compile(f"屯{{{MIN_MEMORY_RUN},}}"),
        "屯屯屯: uninitialised heap memory (0xCD, MSVC debug builds) read as GBK",
    ),
)
_FFFD_RUN = re.compile("\ufffd+")
# '?' in place of CJK characters: two or more next to Han, or one between two Han
# characters that no lost-byte hypothesis explains.
# An emphatic "真的吗???" after a question particle is punctuation, not damage.
_QUESTION_PARTICLES = "吗嗎呢吧么麼嘛啊呀哪谁誰什"
_QMARK_RUN = re.compile(
    f"(?<![{_QUESTION_PARTICLES}?])\\?{{2,}}(?=[{HAN}])|(?<=[{HAN}])(?<![{_QUESTION_PARTICLES}])\\?{{2,}}(?=[{HAN}])"
)

# --- UTF-8 read as a double-byte codec ----------------------------------------------
UTF8_READERS = ("gbk", "big5", "shift_jis", "cp949")
# Lost bytes searched per span; more would be a guess, not a recovery.
MAX_LOST = 4

# --- out-of-step double-byte streams --------------------------------------------------
DBCS_CODECS = ("gbk", "big5")
FULLWIDTH = {"!": "！", ",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）"}
_PINYIN_GROUP = re.compile(r"\(?([a-zü\u00e0-\u01dc\u0300-\u036f]{1,7}[1-5]?)\)")
# Characters of context kept on each side for the language model.
CONTEXT = 8
# How far (characters) a desynchronised stream is followed before giving up.
MAX_SHIFT = 16

# --- decisions ------------------------------------------------------------------------
# Total-cost lead (decibans) the best candidate needs over the runner-up and over the
# text as it stands: 10 dB is ten times as likely.
MIN_LEAD = 8.0
# Cost charged for each unexplained '?' or U+FFFD left in a reading.
UNEXPLAINED_COST = 40.0
# Prior cost of each edit a hypothesis assumes (a widened punctuation mark, a removed
# insertion): small, so that one good word outweighs it.
EDIT_COST = 6.0
# Bonus for a removed annotation whose reading matches the character it split.
READING_MATCH_BONUS = 20.0
CONFIDENCE_CLEAR = 0.8
CONFIDENCE_CANDIDATES = 0.5
TOP_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoding of a damaged span, with its total cost and how it was obtained."""

    text: str
    cost: float
    hypothesis: str


def stage(text: str, options: Options) -> StageOutput | None:
    """Repair lost-byte mojibake and flag unrecoverable damage; ``None`` on clean text."""
    if not plausibility.has_suspects(text):
        return None
    changes: list[Change] = []
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for start, end, readings, reason in _damaged_spans(text, options.lang):
        if any(start < e and end > s for s, e in taken):
            continue
        before = text[start:end]
        best = readings[0] if readings else None
        if best is not None and _clear_winner(before, readings):
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
                    candidates=tuple(
                        Candidate(r.text, round(r.cost, 2), r.hypothesis)
                        for r in readings[:TOP_CANDIDATES]
                    ),
                )
            )
    for pattern, reason in _UNRECOVERABLE:
        for m in pattern.finditer(text):
            findings.append(_unrecoverable(m.start(), m.end(), text, reason))
    for pattern, reason in (
        (_FFFD_RUN, "U+FFFD: bytes that could not be decoded were replaced; they are lost"),
        (_QMARK_RUN, "'?' in place of characters the text's encoding could not represent"),
    ):
        for m in pattern.finditer(text):
            if not any(m.start() < e and m.end() > s for s, e in taken):
                findings.append(_unrecoverable(m.start(), m.end(), text, reason))
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


def _unrecoverable(start: int, end: int, text: str, reason: str) -> Finding:
    return Finding(Kind.UNRECOVERABLE, start, end, text[start:end], reason, 1.0)


def _clear_winner(before: str, readings: Sequence[Reading]) -> bool:
    best = readings[0]
    if not plausibility.score(best.text).plausible and plausibility.score(best.text).cjk:
        return False
    runner = readings[1].cost if len(readings) > 1 else float("inf")
    return runner - best.cost >= MIN_LEAD


def _damaged_spans(
    text: str, lang: str | None
) -> Iterator[tuple[int, int, list[Reading], str]]:
    """(start, end, readings best first, reason) for each span with lost bytes."""
    seen_end = -1
    for s, e in plausibility.suspects(text):
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


def _utf8_lost(
    text: str, pos: int, lang: str | None
) -> tuple[int, int, list[Reading], str] | None:
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
    fills = [0x80] * len(slots)
    readings: dict[str, Reading] = {}

    def decode(values: Sequence[int]) -> tuple[str, int, int] | None:
        parts = list(pieces)
        for slot, v in zip(slots, values):
            parts[slot] = bytes([v])
        data = b"".join(parts)
        bounds = list(itertools.accumulate((len(p) for p in parts), initial=0))
        # the aligned sub-run around the lost bytes that is valid UTF-8
        lo = slots[0]
        hi = slots[-1] + 1
        for a in range(lo, -1, -1):
            for b in range(len(parts), hi - 1, -1):
                try:
                    return data[bounds[a] : bounds[b]].decode("utf-8"), a, b
                except UnicodeDecodeError:
                    continue
        return None

    def consider(values: Sequence[int]) -> float:
        got = decode(values)
        if got is None:
            return float("inf")
        out, a, b = got
        if plausibility.count_signs(out):
            return float("inf")
        cost = _cost(out, lang)
        key = f"{a}:{b}:{out}"
        if key not in readings or readings[key].cost > cost:
            hexes = " ".join(f"{v:02X}" for v in values)
            readings[key] = Reading(out, cost, f"utf-8 read as {reader}, lost bytes {hexes}")
        return cost

    # coordinate descent: each lost byte in turn, two sweeps
    for _sweep in range(2):
        for k in range(len(slots)):
            scored = []
            for v in range(0x80, 0x100):
                trial = list(fills)
                trial[k] = v
                scored.append((consider(trial), v))
            fills[k] = min(scored)[1]
    if not readings:
        return None
    ranked = sorted(readings.values(), key=lambda r: r.cost)
    # the span covers the decoded sub-run of the best reading
    a, b = _span_of(ranked[0], readings)
    out = [r for r in ranked if _span_key(r, readings) == (a, b)]
    return start + a, start + b, _dedupe(out), "UTF-8 read as a double-byte codec, bytes lost"


def _span_key(r: Reading, readings: dict[str, Reading]) -> tuple[int, int]:
    for key, value in readings.items():
        if value is r:
            a, b, _ = key.split(":", 2)
            return int(a), int(b)
    return (0, 0)


def _span_of(r: Reading, readings: dict[str, Reading]) -> tuple[int, int]:
    return _span_key(r, readings)


def _dedupe(readings: list[Reading]) -> list[Reading]:
    seen: set[str] = set()
    out: list[Reading] = []
    for r in readings:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


# --- out-of-step DBCS streams -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # as it appears in the damaged text
    kind: str  # "char", "ascii", "lost", "punct", "note"


def _dbcs_lost(
    text: str, qpos: int, lang: str | None
) -> tuple[int, int, list[Reading], str] | None:
    """Recover a ``?``-damaged double-byte span whose first ``?`` is at ``qpos``."""
    line_start = text.rfind("\n", 0, qpos) + 1
    line_end = text.find("\n", qpos)
    line_end = len(text) if line_end < 0 else line_end
    left = max(line_start, qpos - CONTEXT)
    while left > line_start and _PINYIN_GROUP.match(text, left - 1) is None and text[left - 1] == ")":
        left -= 1  # widen over an annotation so its '(' is not cut in half
    for m in _PINYIN_GROUP.finditer(text, max(line_start, left - 10), qpos):
        if m.start() < left < m.end():
            left = m.start()
    right = min(line_end, qpos + MAX_SHIFT)
    window = text[left:right]
    q = qpos - left
    if not re.search(f"[{HAN}]", window):
        return None
    null_cost = _cost(window, lang)
    best_by_codec: list[Reading] = []
    for codec in DBCS_CODECS:
        best_by_codec.extend(_dbcs_readings(window, q, codec, lang))
    if not best_by_codec:
        return None
    best_by_codec.sort(key=lambda r: r.cost)
    readings = _dedupe(best_by_codec)
    top = readings[0]
    if null_cost - top.cost < MIN_LEAD:
        return None
    # the changed span: trim what the best reading shares with the window
    p = 0
    while p < min(len(window), len(top.text)) and window[p] == top.text[p]:
        p += 1
    s = 0
    while (
        s < min(len(window), len(top.text)) - p and window[-1 - s] == top.text[-1 - s]
    ):
        s += 1
    a, b = p, len(window) - s
    out = [
        Reading(r.text[p : len(r.text) - s], r.cost, r.hypothesis)
        for r in readings
        if r.text.startswith(window[:p]) and r.text.endswith(window[len(window) - s :])
        and len(r.text) >= p + s
    ]
    return left + a, left + b, _dedupe(out), "double-byte text knocked out of step, bytes lost"


def _dbcs_readings(window: str, q: int, codec: str, lang: str | None) -> list[Reading]:
    """Candidate readings of ``window`` whose '?' at ``q`` (and neighbours) are lost bytes."""
    head = window[:q]
    # the damaged core: from q, '?'s, punctuation next to them, pinyin groups
    core_end = q
    items: list[tuple[str, str]] = []  # (kind, text)
    i = q
    while i < len(window):
        ch = window[i]
        if ch == "?":
            items.append(("lost", ch))
            i += 1
            continue
        m = _PINYIN_GROUP.match(window, i)
        if m and items and items[-1][0] == "lost":
            items.append(("note", m.group()))
            i = m.end()
            continue
        if ch in FULLWIDTH and items and items[-1][0] == "lost":
            items.append(("punct", ch))
            i += 1
            continue
        break
    core_end = i
    tail = window[core_end:]
    if not any(k == "lost" for k, _ in items):
        return []
    if not _damage_evidence(head, items, tail):
        return []
    options: list[list[tuple[bytes | None, str, float]]] = []
    for kind, t in items:
        if kind == "lost":
            # None stands for the lost byte; "+" marks a swallowed ASCII byte (gone)
            options.append([(None, "lost byte", 0.0), (None, "lost byte + swallowed byte", 1.0)])
        elif kind == "punct":
            wide = FULLWIDTH[t].encode(codec, errors="ignore")
            options.append([(t.encode(), "", 0.0), (wide, f"{t}→{FULLWIDTH[t]}", EDIT_COST)])
        else:
            options.append([(t.encode(), "", 0.0), (b"", f"inserted {t} removed", EDIT_COST)])
    readings: list[Reading] = []
    for combo in itertools.product(*options):
        if sum(1 for c in combo if c[0] is None) > 3:
            continue
        readings.extend(_fill(head, combo, items, tail, codec, lang))
    return readings


def _damage_evidence(head: str, items: Sequence[tuple[str, str]], tail: str) -> bool:
    """A '?' is taken for a lost byte only in CJK context and with more evidence than
    itself: a neighbouring narrowed punctuation mark or inserted annotation, a second
    '?', or an implausible stretch right after it (the stream out of step)."""
    bare_head = _TRAILING_NOTES.sub("", head)
    if not bare_head or not re.match(f"[{HAN}\uff00-\uffef\u3000-\u303f]", bare_head[-1]):
        return False
    if len(items) > 1:
        return True
    shifted = re.match(f"[^\\x00-\\x7f]+[\\x40-\\x7e]?", tail)
    return bool(shifted) and not plausibility.score(shifted.group()).plausible


def _fill(
    head: str,
    combo: Sequence[tuple[bytes | None, str, float]],
    items: Sequence[tuple[str, str]],
    tail: str,
    codec: str,
    lang: str | None,
) -> list[Reading]:
    """Enumerate the lost bytes of one hypothesis and decode the resynchronised stream."""
    # the tail is re-encoded with the codec the damaged text was decoded with
    try:
        tail_bytes = tail.encode(codec)
    except UnicodeEncodeError:
        return []
    prior = sum(c[2] for c in combo)
    swallowed_note = [
        i for i, c in enumerate(combo) if c[1] == "lost byte + swallowed byte"
    ]
    # a swallowed byte is only explained when an inserted '(...)' lost its '(' to it
    for i in swallowed_note:
        nxt = combo[i + 1] if i + 1 < len(combo) else None
        if not (nxt and nxt[1].startswith("inserted") and not items[i + 1][1].startswith("(")):
            return []
    for i, c in enumerate(combo):
        if c[1].startswith("inserted") and not items[i][1].startswith("("):
            if not (i > 0 and combo[i - 1][1] == "lost byte + swallowed byte"):
                return []
    slots: list[int] = []
    parts: list[bytes] = []
    for c in combo:
        if c[0] is None:
            slots.append(len(parts))
            parts.append(b"?")
        else:
            parts.append(c[0])
    if not slots:
        return []
    results: list[Reading] = []
    fills = [0x81] * len(slots)
    cache: dict[tuple[int, ...], float] = {}

    def decode(values: Sequence[int]) -> str | None:
        body = list(parts)
        for slot, v in zip(slots, values):
            body[slot] = bytes([v])
        try:
            return head + (b"".join(body) + tail_bytes).decode(codec)
        except UnicodeDecodeError:
            return None

    def consider(values: Sequence[int]) -> float:
        key = tuple(values)
        if key in cache:
            return cache[key]
        out = decode(values)
        cost = float("inf")
        if out is not None and "\ufffd" not in out:
            cost = _cost(out, lang) + prior - _reading_bonus(head, combo, values, codec)
            hexes = " ".join(f"{v:02X}" for v in values)
            notes = ", ".join(c[1] for c in combo if c[1] and c[0] is not None)
            what = f"{codec} stream out of step; lost bytes {hexes}" + (f"; {notes}" if notes else "")
            results.append(Reading(out, cost, what))
        cache[key] = cost
        return cost

    for _sweep in range(2):
        for k in range(len(slots)):
            scored = []
            for v in range(0x81, 0xFF):
                trial = list(fills)
                trial[k] = v
                scored.append((consider(trial), v))
            fills[k] = min(scored)[1]
    results.sort(key=lambda r: r.cost)
    return _dedupe(results)[:TOP_CANDIDATES]


_TRAILING_NOTES = re.compile(r"(?:\([^()\s]{1,8}\))+$")


def _reading_bonus(
    head: str,
    combo: Sequence[tuple[bytes | None, str, float]],
    values: Sequence[int],
    codec: str,
) -> float:
    """Bonus when a removed ``(pinyin)`` matches the character its insertion split.

    The insertion followed the bytes of the annotated character, which straddled a
    character boundary: the byte before the lost byte and the lost byte itself.
    """
    bonus = 0.0
    filled = iter(values)
    # the annotated character's bytes end where the last character before any
    # legitimate annotations ends
    stripped = _TRAILING_NOTES.sub("", head)
    try:
        prev = stripped.encode(codec)[-1:]
    except UnicodeEncodeError:
        prev = b""
    for c in combo:
        if c[0] is None:
            lost = bytes([next(filled)])
            if c[1] == "lost byte + swallowed byte":
                split = prev + lost
                note = next(
                    (x for x in combo[combo.index(c) + 1 :] if x[1].startswith("inserted")), None
                )
                if note is not None:
                    syllable = note[1].removeprefix("inserted ").removesuffix(" removed")
                    if _reads_as(split, codec, syllable.strip("()")):
                        bonus += READING_MATCH_BONUS
            prev = lost
        elif c[0]:
            prev = c[0][-1:]
    return bonus


def _reads_as(pair: bytes, codec: str, syllable: str) -> bool:
    try:
        ch = pair.decode(codec)
    except UnicodeDecodeError:
        return False
    return syllable in _readings(ch)


@functools.cache
def _readings(ch: str) -> frozenset[str]:
    try:
        from pypinyin import Style, pinyin
    except ImportError:  # pragma: no cover - pypinyin is optional evidence
        return frozenset()
    return frozenset(pinyin(ch, heteronym=True, style=Style.TONE)[0])


# Costs of non-CJK characters a decoding produces (decibans, on the scale of the
# character tables): common CJK punctuation costs about what a mid-frequency character
# does; any other symbol (＃, ∝, ㄘ) about what an unknown character does.
PUNCT_COST = 25.0
SYMBOL_COST = 60.0
_CJK_PUNCT = "、。，；：！？「」『』（）《》〈〉“”‘’…—·"
_SYMBOL = re.compile(
    f"[^\\x00-\\x7f{plausibility.HAN}{plausibility.KANA}{plausibility.HANGUL}{_CJK_PUNCT}\\s]"
)


def _cost(text: str, lang: str | None) -> float:
    """Total cost of a reading: language-model cost of its CJK with annotations set
    aside, plus a charge for each unexplained '?' or U+FFFD and each sign of garble."""
    clean = _PINYIN_GROUP.sub("", text)
    mean, n, _ = plausibility.cjk_cost(clean, plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS))
    unexplained = clean.count("?") + clean.count("\ufffd")
    signs = plausibility.count_signs(clean)
    symbols = len(_SYMBOL.findall(clean))
    punct = sum(clean.count(p) for p in _CJK_PUNCT)
    return (
        mean * n
        + UNEXPLAINED_COST * unexplained
        + plausibility.SIGN_COST * signs
        + SYMBOL_COST * symbols
        + PUNCT_COST * punct
    )
