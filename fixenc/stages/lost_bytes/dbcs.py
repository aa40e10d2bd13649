"""A double-byte stream knocked out of step by byte-level insertions or replacements
(``規(guī)?;?`` for 規模化): a beam search rebuilds the byte stream token by token, trying
each ``?`` as a lost byte, each neighbouring punctuation mark as its full-width original
and each neighbouring ``(pinyin)`` as an insertion, with its own incremental cost model
for pruning."""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from fixenc import plausibility
from fixenc.chars import (
    CJK_LETTERS,
    HAN,
    NARROWED,
    LazyPattern,
    line_end,
    line_start,
)
from fixenc.chars import (
    readings as pinyin_readings,
)
from fixenc.stages.lost_bytes.cost import (
    CJK_PUNCT,
    MIN_LEAD,
    PINYIN_GROUP,
    PUNCT_COST,
    PUNCT_COSTS,
    SYMBOL_COST,
    Loss,
    LostSpan,
    Reading,
    dedupe,
    text_cost,
)
from fixenc.stages.lost_bytes.unrecoverable import QUESTION_PARTICLES

DBCS_CODECS = ("gbk", "big5")
# Tables used to prune the search (GBK and Big5 streams carry Chinese; a language hint
# narrows or widens the choice).
DBCS_MODELS = {"zh": ("zh-Hans", "zh-Hant"), "ja": ("ja",), "ko": ("ko",)}
FULLWIDTH = NARROWED
# Characters of context kept on each side for the language model.
CONTEXT = 8
# How far (characters) a desynchronised stream is followed before giving up.
MAX_SHIFT = 16
# How much further the window may reach for a byte where the streams resynchronise
# (ASCII below '@'): the lost-byte cases in tests/cases resync well within it.
MAX_RESYNC = 32
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


# Beam width: partial reconstructions kept after each token (complete ones, ranked).
BEAM = 12
# Freshly enumerated states (every value of a lost byte) kept until the next token shows
# whether they form a word with it (默 after 中 looks unlikely until 認 follows).
MAX_FRESH = 1500
# Before a lost byte is enumerated, fresh states are cut down to this many: each one
# would otherwise be multiplied by every value of the next lost byte.
FRESH_BEFORE_LOST = 60
# A window where more than this share of its characters and tokens (the context before
# the first '?' included) are lost bytes, or more than
# MAX_LOST of them, keeps too little of the stream to choose among ~126 values for each
# lost byte: the readings would be guesses (and each lost byte multiplies the beam's
# work by FRESH_BEFORE_LOST × 126; a line of '?' between Han characters took minutes).
# Out-of-step damage loses one byte per misread character pair; the lost-byte cases in
# tests/cases have at most 3 in a window of 30–56 tokens. Such a window is flagged as
# unrecoverable ('?' beside Han), not rebuilt.
MAX_LOST_SHARE = 0.25
MAX_LOST = 8
# The lost byte was not ASCII (ASCII would have decoded as itself).
LOST_BYTE_VALUES = range(0x80, 0xFF)
# Kept '?' cost as much as a CJK punctuation mark, more where it sits inside a run of
# text or punctuation (``?;?``, ``吗?我``), where a real question mark is unusual.
QMARK_COST = 25.0
QMARK_INSIDE_COST = 40.0
_TRAILING_NOTES = LazyPattern(r"(?:\([^()\s]{1,8}\))+$")


class Edit(enum.Enum):
    """What a reading assumed happened to the stream at one point."""

    LOST_BYTE = enum.auto()  # a byte was lost here (``text``: its value, two hex digits)
    ATE_PAREN = enum.auto()  # a lost byte swallowed the '(' of the annotation after it
    ATE_MARK = enum.auto()  # a lost byte swallowed a full-width mark (``text``: its ASCII)
    WIDENED = enum.auto()  # an ASCII mark was a narrowed full-width one (``text``: ASCII)
    NOTE_KEPT = enum.auto()  # a (pinyin) annotation reading its character is kept
    NOTE_REMOVED = enum.auto()  # an inserted (pinyin) annotation is removed
    NOTE_UNBALANCED = enum.auto()  # a "pinyin)" whose '(' nothing explains is kept


@dataclass(frozen=True, slots=True)
class Assumption:
    """One edit a reading assumes, priced by the reading's prior and told in its reason."""

    edit: Edit
    text: str = ""
    reads: bool = False  # the annotation is a reading of the character it follows

    def prior(self, narrowed: frozenset[str]) -> float:
        """Cost (decibans) of assuming this edit; the byte values themselves are free."""
        if self.edit in (Edit.LOST_BYTE, Edit.ATE_PAREN) or self.reads:
            return 0.0
        if self.edit is Edit.ATE_MARK:
            return _narrowing_cost(self.text, narrowed)
        return EDIT_COST

    def bonus(self) -> float:
        """Evidence an annotation's reading gives: it matches the character it follows."""
        if not self.reads:
            return 0.0
        return KEPT_READING_BONUS if self.edit is Edit.NOTE_KEPT else READING_MATCH_BONUS

    def __str__(self) -> str:
        match self.edit:
            case Edit.LOST_BYTE:
                return f"lost byte {self.text}"
            case Edit.ATE_PAREN:
                return "ate '('"
            case Edit.ATE_MARK:
                return f"ate {self.text} (was {FULLWIDTH[self.text]})"
            case Edit.WIDENED:
                return f"{self.text}→{FULLWIDTH[self.text]}"
            case Edit.NOTE_KEPT:
                return f"kept {self.text} (reading matches)"
            case Edit.NOTE_REMOVED:
                matches = " (reading matches)" if self.reads else ""
                return f"inserted {self.text} removed{matches}"
            case Edit.NOTE_UNBALANCED:
                return "unbalanced note kept"


def _lost(value: int) -> Assumption:
    return Assumption(Edit.LOST_BYTE, f"{value:02X}")


@dataclass(frozen=True, slots=True)
class _State:
    """A partial reconstruction: decoded text so far, an unpaired lead byte (known, or
    a wildcard for a lost byte still to be enumerated), running cost and assumptions."""

    text: str
    pending: bytes  # a known lead byte waiting for its trail
    wild: bool  # a lost lead byte waiting for the next known byte to be enumerated
    context: str  # last CJK character, for the bigram cost of the next one
    cost: float
    notes: tuple[Assumption, ...]
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
        m = PINYIN_GROUP.match(window, i)
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


def dbcs_lost(text: str, qpos: int, lang: str | None) -> LostSpan | None:
    """Recover a ``?``-damaged double-byte span whose first ``?`` is at ``qpos``."""
    first, last = line_start(text, qpos), line_end(text, qpos)
    left = max(first, qpos - CONTEXT)
    for m in PINYIN_GROUP.finditer(text, max(first, left - 10), qpos):
        if m.start() < left < m.end():
            left = m.start()
    right = min(last, qpos + MAX_SHIFT)
    # end on a byte that cannot be a trail byte (ASCII below 0x40), where streams resync,
    # looking no further than MAX_RESYNC: on a line with no such byte the window was the
    # rest of the line, so each '?' cost time in proportion to the line (a 470-character
    # line took 28 s).
    reach = min(last, right + MAX_RESYNC)
    while right < reach and not (text[right] < "@" and text[right] != "?"):
        right += 1
    window = text[left:right]
    q = qpos - left
    head = window[:q]
    tokens = _tokens(window, q)
    lost = sum(1 for kind, _ in tokens if kind == "lost")
    if lost > MAX_LOST or lost > MAX_LOST_SHARE * (len(head) + len(tokens)):
        return None
    if not _damage_evidence(head, tokens, lang):
        return None
    narrowed = _narrowed_in(text)
    readings: list[Reading] = []
    for codec in DBCS_CODECS:
        readings.extend(_beam(head, tokens, codec, lang, narrowed))
    if not readings:
        return None
    readings.sort(key=lambda r: r.cost)
    readings = dedupe(readings)
    top = readings[0]
    null = next((r for r in readings if r.text == window), None)
    null_cost = null.cost if null is not None else _cost_dbcs(window, lang)
    if top.text == window or null_cost - top.cost < MIN_LEAD:
        return None
    if not plausibility.score(top.text, lang=lang).plausible:
        return None  # a piece of a stretch of garble: the rest around it does not read
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
    return left + a, left + b, dedupe(out), Loss.OUT_OF_STEP


def _narrowed_in(text: str) -> frozenset[str]:
    """ASCII punctuation the text uses right after Han characters (narrowed full-width)."""
    return frozenset(p for p in FULLWIDTH if re.search(f"[{HAN}]{re.escape(p)}", text))


# Share of a restored mark's character cost that is refunded (see _narrowing_cost). On
# simulated articles (the seed's damage on its own text, 8 seeds, 60 damaged spans):
# none or half repaired 39 spans and got 4 wrong (a dropped comma); all of it repaired
# 33 and got 2 wrong, leaving the rest as findings. Half keeps the recall.
PUNCT_REFUND = 0.5


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
_CJK_CONTEXT = LazyPattern(f"[{HAN}\uff00-\uffef\u3000-\u303f\u2018-\u201f\u2026\u2014]")


def _damage_evidence(head: str, tokens: Sequence[tuple[str, str]], lang: str | None) -> bool:
    """A '?' is taken for a lost byte only in CJK context and with more evidence than
    itself: a neighbouring narrowed punctuation mark or inserted annotation, a second
    '?', or an implausible stretch of characters right after it (the stream out of step)."""
    bare = _TRAILING_NOTES.sub("", head)
    if not bare or not _CJK_CONTEXT.match(bare[-1]):
        return False
    if bare[-1] in QUESTION_PARTICLES:
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
        prior = sum(n.prior(narrowed) for n in st.notes)
        bonus = sum(n.bonus() for n in st.notes)
        what = f"{codec} stream out of step" + (
            f"; {', '.join(map(str, st.notes))}" if st.notes else ""
        )
        out.append(Reading(text, _cost_dbcs(text, lang) + prior - bonus, what))
    return out


_IS_CJK = LazyPattern(f"[{CJK_LETTERS}]")
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
    label: Assumption | None = None,
    open_paren: bool = False,
) -> Iterator[_State]:
    """Append known bytes to a state: resolve a wildcard lead against the first of them,
    decode what completes, and charge each new character its incremental cost."""
    notes = st.notes if label is None else (*st.notes, label)
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
                (*notes, _lost(v)),
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
        # The packed tables' rows are read inline (``model.bi.get(last + ch)`` and
        # ``context[-k:] + ch in model.words``, a method call each): the beam calls this
        # for every character of every state.
        row = model.bi.rows.get(2, {}).get(last) if last else None
        at = row[0].find(ch) if row is not None else -1
        b = model.bi.costs[row[1][at]] if row is not None and at >= 0 else None
        step = (
            max(0.0, b - model.uni.get(last, model.unknown) + model.bigram_offset)
            if b is not None
            else (BACKOFF_STEP + u if last else u)
        )
        if _ends_word(context, ch, model.words):
            step = max(0.0, step - WORD_STEP_BONUS)
        return (context + ch)[-3:], total + step
    if ch == "?":
        return "", total + QMARK_INSIDE_COST
    if ch in CJK_PUNCT:
        return "", total + PUNCT_COSTS[ch]
    if ch.isascii():
        return ("" if not ch.isalnum() else context), total
    return "", total + SYMBOL_COST


def _ends_word(context: str, ch: str, words: plausibility.PackedTable) -> bool:
    """Whether ``ch`` completes a known word of 2–4 characters with the last characters
    of ``context`` (at most 3)."""
    for k in range(1, min(len(context), 3) + 1):
        row = words.rows.get(k + 1, {}).get(context[-k])
        if (
            row is not None
            and plausibility.find_tail(row[0], context[len(context) - k + 1 :] + ch) >= 0
        ):
            return True
    return False


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
            st,
            FULLWIDTH["?"].encode(codec),
            codec,
            model,
            cost=EDIT_COST,
            label=Assumption(Edit.WIDENED, "?"),
        )
        if st.wild:
            # two lost bytes in a row cannot be one character: its lead would have
            # decoded with its trail; the wildcard lead is followed by a real '?'
            return
        after = _first_byte(nxt, codec)
        if st.pending:
            for v in _TRAIL_VALUES:
                for done in _push(st, bytes([v]), codec, model, label=_lost(v)):
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
                            (*done.notes, Assumption(Edit.ATE_PAREN)),
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
                                label=Assumption(Edit.ATE_MARK, p),
                            ):
                                yield replace(ate, fresh=True)
            return
        wild = _State(st.text, b"", True, st.context, st.cost, st.notes, obs_next=after)
        yield wild
        if nxt[0] == "note" and not nxt[1].startswith("("):
            yield _State(
                st.text,
                b"",
                True,
                st.context,
                st.cost,
                (*st.notes, Assumption(Edit.ATE_PAREN)),
                True,
            )
        for p in FULLWIDTH:
            if nxt != ("punct", p):
                yield from _push(
                    wild,
                    FULLWIDTH[p].encode(codec),
                    codec,
                    model,
                    cost=_narrowing_cost(p, narrowed),
                    label=Assumption(Edit.ATE_MARK, p),
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
                    label=Assumption(Edit.NOTE_KEPT, body, reads=True) if reads else None,
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
                                Assumption(Edit.NOTE_REMOVED, body, reads=True),
                                _lost(v),
                            ),
                        )
            label = Assumption(Edit.NOTE_REMOVED, body)
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
                label=Assumption(Edit.NOTE_UNBALANCED),
            )
    elif kind == "punct":
        yield from _push(st, tok.encode(), codec, model)
        yield from _push(
            st,
            FULLWIDTH[tok].encode(codec),
            codec,
            model,
            cost=EDIT_COST,
            label=Assumption(Edit.WIDENED, tok),
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
    base = text_cost(text.replace("?", ""), lang)
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
