"""Stage: repair Latin mojibake and Unicode hygiene, via ftfy in a restricted configuration.
 ftfy is the best tool for UTF-8 read as Windows-1252/Latin-1
(``CafÃ©`` → ``Café``), but its defaults rewrite correct text: NFKC on full-width forms
turns ``你好，世界！`` into ``你好,世界!``, quotes are uncurled, line breaks and ligatures
normalised. fixenc turns every such style fix off and keeps only the ones that undo damage.

Which codecs: every single-byte reader of ``chars.SINGLE_BYTE_READERS`` — ftfy's own plan
(Latin-1, the Windows code pages, ISO-8859-2, MacRoman, cp437) and the DOS, KOI8, ISO and
Mac pages ftfy does not try — through one mechanism: each reader's suspect pattern (a
whole UTF-8 sequence as that codec shows it) is generated from the codec's table.

Why it is safe: only lines holding such a sequence are looked at. ftfy's plan is taken
first, so fixenc never returns less than ftfy on what ftfy repairs; what it leaves, one
other reader's round trip may repair, and only when every one of that reader's sequences
on the line is out of place where it stands (box drawing, a math sign, a letter of
another script) and in place once decoded (``┬┐que`` → ``¿que``, ``mГ©dicament`` →
``médicament``). A repair that puts a letter of another script among a word's own letters
is dropped, ftfy's included (Serbian ``ОДЕЉАК``). Each result is split into per-span
changes replayed from their recorded steps; a span ftfy's badness measure still calls bad
(GBK-read-as-Latin-1 ``ÖÐÎÄ±àÂë`` → ``ÖÐÎıàÂë``) is reported instead of applied; and
doctest lines and, in source code, paragraphs about encodings are left as they are
(``plausibility.evidence``).

Turn it off with ``fixenc: off`` around a table of mojibake examples.

>>> from fixenc.model import Context, Options
>>> out = stage("Caf\\u00c3\\u00a9 au lait", Context(Options()))
>>> [(c.before, c.after) for c in out.changes]
[('Ã©', 'é')]
>>> [(c.before, c.after) for c in stage("\u252c\u2510que pasa", Context(Options())).changes]
[('┬┐', '¿')]
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from fixenc.chars import (
    A0_LEADS,
    ALPHABETS,
    BOX,
    CJK_LETTERS,
    CP1252_HIGH,
    FTFY_READERS,
    LINE,
    SINGLE_BYTE_READERS,
    LazyPattern,
    line_start,
    upper_half,
    utf8_seen_as,
)
from fixenc.model import (
    Candidate,
    Change,
    Context,
    Finding,
    Kind,
    Op,
    Origin,
    StageOutput,
    Step,
    reported_only,
)
from fixenc.plausibility import evidence, letters
from fixenc.replay import replay

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

# ftfy is imported on the first suspect line, not with this module: importing it costs
# about a third of fixenc's start-up (issue 12), and clean text never needs it. Its
# sloppy-* codecs, which the round trips use, are registered by that same import.


@functools.cache
def _config() -> TextFixerConfig:
    """Only fixes that undo damage; every style normalisation is off (see module docstring).
    ``_inert`` relies on this list: a fix turned on here must be ruled out there."""
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,  # &amp; in HTML or code is correct text, not damage
        remove_terminal_escapes=False,  # escapes in logs are content
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,  # ﬁ is a style choice
        fix_character_width=False,  # NFKC narrows full-width CJK punctuation
        uncurl_quotes=False,  # curly quotes are correct text
        fix_line_breaks=False,  # newline style is kept by the file layer
        fix_surrogates=True,
        remove_control_chars=False,  # control characters can be content
        normalization=None,  # NFC would rewrite text that was never damaged
        explain=True,
    )


# Windows-1252's view of UTF-8 continuation bytes 0x80–0xBF (0x80–0x9F are the cp1252
# specials, kept as C1 code points where cp1252 leaves them undefined).
_CONT = f"\u0080-\u00bf{CP1252_HIGH}"
# Readers whose "0xA0 became a space" form ftfy restores (not MacRoman, where it would
# match an en dash followed by a space).
A0_READERS = frozenset(FTFY_READERS) - {"macroman"}
# Basic letters of the scripts these codecs carry (ASCII, Latin-1's letters, Greek,
# Cyrillic). A sequence made of them alone is plain text: Cyrillic read as cp866 or
# KOI8 makes "sequences" of ordinary letters (``ягк``, ``щё``).
_BASIC_LETTERS = frozenset(
    chr(cp)
    for lo, hi in ((0x00, 0x7F), (0xC0, 0xFF), (0x391, 0x3C9), (0x401, 0x401), (0x410, 0x451))
    for cp in range(lo, hi + 1)
    if chr(cp) not in "\u00d7\u00f7"
)


def _shown_by_any(first: int, last: int) -> frozenset[str]:
    """What any reader shows for the bytes ``first``–``last``."""
    return frozenset(ch for codec in SINGLE_BYTE_READERS for ch in upper_half(codec, first, last))


def _cls(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


def _a0_forms() -> frozenset[str]:
    """What the readers whose 0xA0 ftfy restores show for the leads in ``A0_LEADS``
    (through ``upper_half``: ftfy's sloppy codecs are not registered yet)."""
    return frozenset(upper_half(codec, b, b) for codec in A0_READERS for b in A0_LEADS)


@functools.cache
def _first_look() -> re.Pattern[str]:
    """One regex over the union of the readers, anchored on a character that is not a
    basic letter (every sequence ``_shown`` accepts holds one): the pattern opens with
    one class, which the regex engine skips to in C, and each branch checks the rest of
    the sequence around the anchor with look-behinds. A superset of what
    ``_reader_patterns`` and ``_shown`` accept together, confirmed by them."""
    basic = _BASIC_LETTERS
    cont = _shown_by_any(0x80, 0xBF)
    c_all, c_nb, c_b = _cls(cont), _cls(cont - basic), _cls(cont & basic)
    branches = []
    anchors: set[str] = set(cont - basic)
    for first, last, n in ((0xC2, 0xDF, 1), (0xE0, 0xEF, 2), (0xF0, 0xF4, 3)):
        lead = _shown_by_any(first, last)
        anchors |= lead - basic
        branches.append(f"(?<={_cls(lead - basic)}){c_all}{{{n}}}")
        for k in range(n):  # anchor on continuation k; the lead and those before basic
            behind = _cls(lead & basic) + c_b * k + c_nb
            branches.append(
                f"(?<={behind}){c_all}{{{n - k - 1}}}" if n - k - 1 else f"(?<={behind})"
            )
        branches.append(f"(?<={_cls(lead)}\ufffd)")
    a0 = _a0_forms()
    branches.append(f"(?<={_cls(a0)}) ")
    specials = "\u0080-\u009f\ud800-\udfff\ufffd"
    branches.append(f"(?<=[{specials}])")
    anchor = _cls(frozenset(anchors | a0))[:-1] + specials + "]"
    return re.compile(f"{anchor}(?:{'|'.join(branches)})")


@functools.cache
def _anchors() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a ``_first_look`` hit can open, as two plain patterns: a character that is
    no basic letter (what a reader shows for a high byte, a C1 control, a surrogate,
    U+FFFD), or a lead whose 0xA0 became a space. They compile in about a millisecond
    where ``_first_look`` and the reader patterns cost tens (issue 12: start-up), and
    text that neither matches (``café``, Chinese, Cyrillic prose) is cleared by them."""
    shown = frozenset(_shown_by_any(0x80, 0xFF)) - _BASIC_LETTERS
    a0 = _a0_forms()
    return (
        re.compile(_cls(shown)[:-1] + "\u0080-\u009f\ud800-\udfff\ufffd]"),
        re.compile(_cls(a0) + " "),
    )


@functools.cache
def _any_anchor() -> re.Pattern[str]:
    """Both ``_anchors`` in one scan: it matches where either does (a character of the
    first, or one of the second's leads with its space after it), so a text neither
    matches costs one pass, not two (1.3 ms per MB of Chinese each, issue 12)."""
    shown, a0 = (anchor.pattern for anchor in _anchors())
    leads = a0[: -len(" ")]
    return re.compile(f"[{shown[1:-1]}{leads[1:-1]}](?:(?<={shown})|(?<={leads})(?= ))")


# How far around a first-look hit a sequence is confirmed (a 4-byte sequence).
CONFIRM_REACH = 4


def _suspect(text: str) -> bool:
    """True when ``text`` holds a whole UTF-8 sequence as some reader shows it."""
    if _any_anchor().search(text) is None:
        return False
    first_look, confirm = _first_look().search, _suspect_regex().finditer
    pos = 0
    while (hit := first_look(text, pos)) is not None:
        at = hit.start()
        ch = text[at]
        if ch in _ALWAYS:
            return True
        lo, hi = max(0, at - CONFIRM_REACH), hit.end() + CONFIRM_REACH
        if any(_shown(m.group()) for m in confirm(text, lo, hi)):
            return True
        pos = at + 1
    return False


@functools.cache
def _confirm_for(ch: str) -> re.Pattern[str]:
    """The suspect patterns of the readers that can show ``ch`` (``’`` is looked at with
    the Windows code pages and MacRoman, ``╨`` with the DOS ones)."""
    readers = [c for c in SINGLE_BYTE_READERS if ch in upper_half(c, 0x80, 0xFF)]
    patterns = _reader_patterns()
    return re.compile("|".join(patterns[c].pattern for c in readers) or "(?!)")


# C1 controls and lone surrogates need no confirmation (ftfy's own fixes for them).
_ALWAYS = frozenset(chr(cp) for cp in (*range(0x80, 0xA0), *range(0xD800, 0xE000)))


def _shown(sequence: str) -> bool:
    """A sequence shows its garble: it holds something other than basic letters, or it
    is a lead whose 0xA0 became a space, or a lead whose continuation was lost."""
    return any(ch not in _BASIC_LETTERS for ch in sequence) or sequence.endswith(" ")


@functools.cache
def _reader_patterns() -> dict[str, re.Pattern[str]]:
    """Each reader's suspect pattern, generated from its codec table on first use."""
    return {
        codec: re.compile(utf8_seen_as(codec, a0=codec in A0_READERS))
        for codec in SINGLE_BYTE_READERS
    }


_BOX_ONLY = LazyPattern(f"[{BOX}]+")
_BOX_CHAR = LazyPattern(f"[{BOX}]")

# ftfy gives no score; a round-trip repair that replays exactly is near certain, a
# repair by a partial heuristic (decode_inconsistent_utf8, lossy sequences) less so.
CONFIDENCE_ROUND_TRIP = 0.95
CONFIDENCE_HEURISTIC = 0.8
# Equal runs this short between two edits are merged into one change: a mojibake word
# such as "rÃ©sumÃ©" is one repair, not two.
MERGE_GAP = 2


def stage(text: str, context: Context) -> StageOutput | None:
    """See ``_stage``. Text decoded from a legacy file is not repaired: decoding explains
    it (single-byte: nothing to say; multi-byte: what looks like garble is reported)."""
    if context.origin is Origin.LEGACY_SINGLE_BYTE:
        return None
    out = _stage(text, context)
    if context.origin is Origin.LEGACY_MULTI_BYTE:
        return reported_only(
            out, "Latin round trip; not applied to text decoded from a legacy file"
        )
    return out


def _drawn(line: str, spans: list[tuple[int, int, str]]) -> bool:
    """Every span is box drawing, and the line draws with more of it than the spans
    hold: a picture, not garble (sympy's pretty-printed ``╲ ─│x ╱`` read ``─│`` as UTF-8
    ĳ in cp437). Box drawing alone on its line can be garble: ``┬┐que`` is ¿que.

    >>> _drawn("╲ ─│x ╱", [(2, 4, "ĳ")]), _drawn("┬┐que", [(0, 2, "¿")])
    (True, False)
    """
    if not all(_BOX_ONLY.fullmatch(line, start, end) for start, end, _ in spans):
        return False
    inside = sum(end - start for start, end, _ in spans)
    return len(_BOX_CHAR.findall(line)) > inside


def _stage(text: str, context: Context) -> StageOutput | None:
    """Repair Latin mojibake line by line; ``None`` when no line is suspect."""
    if not _suspect(text):
        return None
    changes: list[Change] = []
    findings: list[Finding] = []
    from ftfy import fix_and_explain
    from ftfy.badness import is_bad

    for base, line in _suspect_pieces(text):
        fixed, explained = fix_and_explain(line, config=_config())
        plan = explained or []
        if fixed != line and _letter_before_space(line, fixed):
            fixed, plan = line, []
        # what ftfy leaves, the other readers' round trips may still repair (ftfy's
        # plan first: never less than ftfy on what it repairs)
        fixed, own = _round_trips(fixed, [s for op, s in plan if op == "encode"])
        steps = tuple(Step(Op(op), arg) for op, arg in plan) + own
        if fixed == line or _doubtful(fixed):
            whole = _whole_line_reading(line)
            if whole is not None and whole[0] != fixed and _reads_better(whole[0], fixed):
                fixed, steps = whole
        if fixed == line or not steps:
            continue
        spans = list(_spans(line, fixed))
        if _drawn(line, spans):
            continue
        shift = 0  # where each span's repair stands in ``fixed``
        for start, end, after in spans:
            at, shift = start + shift, shift + len(after) - (end - start)
            before = line[start:end]
            if evidence.quoted_on_purpose(
                text, base + start, base + end, source_code=context.options.is_source_code
            ):
                continue
            if _script_clash(line, start, end, after):
                continue  # ftfy's reading swaps a letter of the word's own script
            if _glued_in_cjk(line, start, end, after):
                continue  # leftover bytes of CJK garble, not a word of an alphabet
            if _mixed_word(fixed, at, at + len(after)):
                continue  # a word is written in one alphabet
            if is_bad(_without_lost(after, steps)):
                # Judged on every plan, not only decoding ones: the plan ftfy picks for
                # a line depends on its other spans, and fixing twice must equal fixing once.
                findings.append(
                    Finding(
                        kind=Kind.MOJIBAKE if _mojibake_steps(steps) else Kind.HYGIENE,
                        start=base + start,
                        end=base + end,
                        text=before,
                        reason="looks damaged, but ftfy's repair still looks damaged; not applied",
                        confidence=CONFIDENCE_HEURISTIC,
                        candidates=(Candidate(after, CONFIDENCE_HEURISTIC, "ftfy"),),
                    )
                )
                continue
            changes.append(_change(base + start, base + end, before, after, steps))
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


# Longest piece of a line given to ftfy and to the diff at once. The diff is quadratic
# in the worst case (a 2,300-character line took 1.2 s, a 100 MB one would never end;
# a 1,024-character piece of repetitive text still took 0.5 s, one of 256 about 30 ms).
# Pieces are cut just after an ASCII character: every reader here is ASCII-compatible
# and UTF-8 puts no ASCII byte inside a sequence, so no garble straddles such a cut.
MAX_PIECE = 256
_GARBLE_CHAR = LazyPattern("[^\x00-\x7f]")


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` for each line of ``text``, long lines cut into pieces of at
    most MAX_PIECE characters, each cut just after an ASCII character (a stretch of more
    than MAX_PIECE // 2 without one is cut where it must), so no repair straddles a cut.

    >>> [len(p) for _, p in _pieces("a" * 2500)]
    [256, 256, 256, 256, 256, 256, 256, 256, 256, 196]
    """
    for match in LINE.finditer(text):
        start, end = match.span()
        while end - start > MAX_PIECE:
            cut = start + MAX_PIECE
            while cut > start + MAX_PIECE // 2 and _GARBLE_CHAR.match(text, cut - 1):
                cut -= 1
            if cut == start + MAX_PIECE // 2:
                cut = start + MAX_PIECE  # no ASCII character in reach: cut anyway
            yield start, text[start:cut]
            start = cut
        yield start, text[start:end]


def _suspect_pieces(text: str) -> Iterator[tuple[int, str]]:
    """The pieces of ``_pieces(text)`` that are ``_suspect`` and not ``_inert``,
    visiting only the lines where ``_first_look`` matches: a piece without a match is not
    suspect, and most lines of a suspect text are clean (a Russian manual with one
    garbled word, 3,600 lines, spent 85 % of its check testing the clean lines one by
    one; the anchors alone, which every « and — matches, still sent one Russian
    catalogue line in ten). The lines are found exactly: a match inside a piece is one
    in the text, its patterns hold only classes and positive look-behinds, and no match
    holds a line break, so a match that ``finditer`` steps over lies in a line it
    visits.

    >>> [(base, piece) for base, piece in _suspect_pieces("ok\\nCafÃ©\\nfine\\n")]
    [(3, 'CafÃ©\\n')]
    """
    done = 0  # where the last line visited ends
    for hit in _first_look().finditer(text):
        at = hit.start()
        if at < done:
            continue
        start = line_start(text, at)
        match = LINE.match(text, start)
        done = match.end() if match else len(text)
        for offset, piece in _pieces(text[start:done]):
            if piece and _suspect(piece) and not _inert(piece):
                yield start + offset, piece


# A non-ASCII character with ASCII (or the piece's edge) on both sides, such as a one-letter
# word ("в", "и", or "В " itself). Whatever byte a single-byte reader gives it, UTF-8
# cannot hold it there: a lead byte needs a continuation byte after it, a continuation
# byte a lead before it. Written to open with one class, which the engine skips to in C.
_LONE_HIGH = LazyPattern("[^\x00-\x7f](?<![^\x00-\x7f].)(?![^\x00-\x7f])")


def _inert(piece: str) -> bool:
    """Nothing in this stage can change ``piece``, though ``_suspect`` took it: its only
    suspect sequences are leads whose 0xA0 became a space (a Russian line opening with
    the preposition "В ", cp1251's view of C2 A0), and each step that could read them
    back is ruled out, exactly:

    * the per-sequence round trips take only a sequence that holds something other than
      a basic letter (``_shown``, less the 0xA0 form), and every such character is an
      anchor (``_anchors``): there is none in the piece;
    * under ``_config``, ftfy changes text without C1 controls or surrogates (anchors
      too) only through ``fix_encoding``, which leaves text alone that its badness
      measure calls clean;
    * the whole-line reading needs the piece's bytes under some reader to be UTF-8,
      which a lone non-ASCII character between ASCII ones (``_LONE_HIGH``) rules out;
      without one, the reading is asked (``НЕ ДЕЛАЙТЕ``: no reader decodes it).

    A Russian catalogue put "В " on one line in 80, and each went through ftfy, 18
    round trips and the whole-line readers for nothing (issue 12: clean text).

    >>> _inert("В файле нет и строки"), _inert("Ã bientôt"), _inert("В «файле»")
    (True, False, False)
    """
    if _anchors()[0].search(piece) is not None:
        return False
    from ftfy.badness import is_bad

    if is_bad(piece):
        return False
    return _LONE_HIGH.search(piece) is not None or _whole_line_reading(piece) is None


def _change(start: int, end: int, before: str, after: str, steps: tuple[Step, ...]) -> Change:
    try:
        replays = replay(steps, before) == after
    except (ValueError, UnicodeError):
        replays = False
    exact = replays and all(s.op in (Op.ENCODE, Op.DECODE, Op.TRANSCODE) for s in steps)
    kind = Kind.MOJIBAKE if _mojibake_steps(steps) else Kind.HYGIENE
    return Change(
        kind=kind,
        start=start,
        end=end,
        before=before,
        after=after,
        reason=_reason(steps),
        confidence=CONFIDENCE_ROUND_TRIP if exact else CONFIDENCE_HEURISTIC,
        steps=steps if replays else (Step(Op.REPLACE, after),),
    )


def _mojibake_steps(steps: tuple[Step, ...]) -> bool:
    return any(
        s.op is Op.DECODE or s.arg in ("decode_inconsistent_utf8", "replace_lossy_sequences")
        for s in steps
    )


def _reason(steps: tuple[Step, ...]) -> str:
    encodes = [s.arg for s in steps if s.op is Op.ENCODE]
    decodes = [s.arg for s in steps if s.op is Op.DECODE]
    if encodes and decodes:
        return f"{decodes[-1]} text read as {encodes[0].removeprefix('sloppy-')} (ftfy)"
    if any(s.arg == "decode_inconsistent_utf8" for s in steps):
        return "UTF-8 read as Windows-1252 inside otherwise correct text (ftfy)"
    names = ", ".join(s.arg for s in steps)
    return f"Unicode hygiene: {names} (ftfy)"


def _spans(before: str, after: str) -> list[tuple[int, int, str]]:
    """The edited spans of one line as (start, end, replacement).

    Nearby edits merge, and each span widens over neighbouring Latin-1/cp1252
    characters that the diff happened to align as equal (``Å“`` → ``“`` keeps the
    ``“``), so that the recorded steps replay on the span alone.
    """
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[list[int]] = []  # [i1, i2, j1, j2]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= MERGE_GAP:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    for span in spans:
        i1, i2, j1, j2 = span
        while (
            i1 > 0 and j1 > 0 and before[i1 - 1] == after[j1 - 1] and _WIDEN.match(before[i1 - 1])
        ):
            i1, j1 = i1 - 1, j1 - 1
        while (
            i2 < len(before)
            and j2 < len(after)
            and before[i2] == after[j2]
            and _WIDEN.match(before[i2])
        ):
            i2, j2 = i2 + 1, j2 + 1
        span[:] = [i1, i2, j1, j2]
    merged: list[list[int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1], merged[-1][3] = span[1], span[3]
        else:
            merged.append(span)
    return [(i1, i2, after[j1:j2]) for i1, i2, j1, j2 in merged]


# Characters a single-byte codec can produce from UTF-8 bytes: what a span may widen over.
_WIDEN = LazyPattern(f"[\u00a0-\u00ff{_CONT}]")


# --- round trips ftfy does not make ---------------------------------------------------
# ftfy's badness measure calls some garble clean (``┬┐que``, ``pi√π``, ``mГ©dicament``)
# and ftfy never tries the DOS, KOI8 and ISO code pages. Each whole UTF-8 sequence a
# reader shows (``_reader_patterns``) is decoded on its own, and the reader's reading of
# a line is applied only when every one of its sequences there passes both tests:
#   * the input is out of place where it stands: box drawing or a math operator, a
#     letter of another script than its word (or line), a Latin-1 symbol between two
#     letters, a C1 control;
#   * the result is in place: a letter or digit of that same script (Latin-1's letters
#     for Latin, ¿ and ¡), never a rarer letter (ſ, ɒ, Ũ) or a symbol.
# The "0xA0 became a space" form (``Г bien`` → ``à bien``) is tried only once the
# reader's strict sequences on the line passed, as ftfy does within one codec.
_OUT_OF_PLACE = LazyPattern("[\u2200-\u22ff\u2500-\u259f\u0080-\u009f\u2310\u2320\u2321]")
_LATIN1_SYMBOL = LazyPattern("[\u00a1-\u00bf]")
_SCRIPT_RANGES = (
    *ALPHABETS,
    # one CJK character garbled among correct ones (研ç©¶人员: 究 read as Windows-1252)
    ("cjk", CJK_LETTERS),
)
_SCRIPTS = tuple((name, LazyPattern(f"[{chars}]")) for name, chars in _SCRIPT_RANGES)
# What a repaired sequence may be, per script of its context.
_IN_PLACE = {
    "latin": LazyPattern("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e\u00a1\u00bf]"),
    "cyrillic": LazyPattern("[\u0401\u0410-\u044f\u0451]"),
    "greek": LazyPattern("[\u0386-\u03ce]"),
    "arabic": LazyPattern("[\u0621-\u064a\u0660-\u0669]"),
    "hebrew": LazyPattern("[\u05d0-\u05ea]"),
    "cjk": LazyPattern(f"[{CJK_LETTERS}\u3000-\u303f\uff01-\uff5e]"),
}
_A0_FORM = LazyPattern(" ")
# Characters after "Ã " that ftfy's A_GRAVE_WORD_RE looks at ("quele", "s ").
A_GRAVE_REACH = 6


def _round_trips(line: str, ftfy_readers: list[str]) -> tuple[str, tuple[Step, ...]]:
    """``line`` with the sequences another reader garbled repaired, and that reader's steps.

    Of the readers whose every sequence on the line passes, the one that explains the
    most sequences wins (cp850 shows ``├®`` where cp437 has no ``®``); ties go to ftfy's
    readers and then to the order of ``SINGLE_BYTE_READERS``.
    """
    best: list[tuple[int, int, str]] = []
    best_codec = ""
    for codec in dict.fromkeys((*ftfy_readers, *SINGLE_BYTE_READERS)):
        pattern = _reader_patterns().get(codec)
        if pattern is None or _marks(codec).search(line) is None:
            continue  # no sequence of this reader can pass (see ``_marks``)
        found = [
            m for m in pattern.finditer(line) if "\ufffd" not in m.group() and _shown(m.group())
        ]
        strict = [m for m in found if not _A0_FORM.search(m.group())]
        if not strict:
            continue
        # the context is what the reader's sequences leave: they are not text of the line
        masked = list(line)
        for m in found:
            masked[m.start() : m.end()] = " " * (m.end() - m.start())
        context = "".join(masked)
        main = _script_of(context)
        edits = [_judged(line, context, m, codec, main) for m in strict]
        if any(e is None for e in edits) or not all(_touches(line, m, found) for m in strict):
            continue
        if main is None and len({_script_of(e[2]) for e in edits if e is not None}) > 1:
            continue  # nothing but garble on the line: its readings must share a script
        loose = [
            _judged(line, context, m, codec, main) for m in found if _A0_FORM.search(m.group())
        ]
        done = [e for e in edits + loose if e is not None]
        if len(done) > len(best):
            best, best_codec = done, codec
    if not best:
        return line, ()
    parts: list[str] = []
    pos = 0
    for start, end, after in sorted(best):
        parts += [line[pos:start], after]
        pos = end
    steps = (Step(Op.ENCODE, best_codec), Step(Op.DECODE, "utf-8"))
    return "".join(parts) + line[pos:], steps


@functools.cache
def _marks(codec: str) -> re.Pattern[str]:
    """What ``codec`` shows for a high byte that is no basic letter. A sequence of this
    reader that ``_round_trips`` takes (``_shown``, with no space: not the 0xA0 form)
    holds one, so a line without any is passed over without matching the reader's
    pattern (a Russian line with « and » asked the 18 readers for nothing: issue 12)."""
    marks = frozenset(upper_half(codec, 0x80, 0xFF)) - _BASIC_LETTERS
    return re.compile(_cls(marks) if marks else "(?!)")


# A whole line read back by one reader must hold at least this many UTF-8 sequences: one
# is as often a correct letter that happens to pair with its neighbour as garble.
MIN_WHOLE_LINE_SEQUENCES = 2
# ... and read better than ftfy's answer, or a second reader's, by this much over the
# whole line (decibans, the letter tables' unit): about what one letter out of place
# costs (letters.UNKNOWN_EXTRA), so a near codec's one wrong letter (crÚme) decides.
MIN_WHOLE_LINE_GAIN = 12.0


# A combining mark or a control in a reading is a byte the reader put there, not text
# (MacRoman reads ``Ã©`` as CC A9: ``caf`` + U+0329, a combining mark the letter tables
# do not score).
_MARK_OR_CONTROL = re.compile("[\u0300-\u036f\u0000-\u0008\u000e-\u001f\u007f-\u009f]")


def _whole_line_reading(line: str) -> tuple[str, tuple[Step, ...]] | None:
    """The line read back whole: the reading, among the single-byte readers whose bytes
    of the entire line decode strictly as UTF-8 into words of one alphabet, that reads
    clearly best (every non-ASCII character takes part in a UTF-8 sequence, which
    correct text does not do by chance). ftfy and the per-sequence readers repair parts of a line with a
    near codec (ISO-8859-15 for ISO-8859-1, KOI8-R for KOI8-U); the whole line says which
    reader it was.

    >>> _whole_line_reading("Le chУЂteau oУЙ la crУЈme")[0]
    'Le château où la crème'
    >>> _whole_line_reading("Le château où la crème") is None
    True
    >>> _whole_line_reading("cafÃ© crÃ¨me")[0]  # not MacRoman's caf + U+0329
    'café crème'

    """
    readings: dict[str, str] = {}
    for reader in SINGLE_BYTE_READERS:
        try:
            after = line.encode(reader).decode("utf-8")
        except UnicodeError:
            continue
        if after != line and evidence.one_alphabet(after) and not _MARK_OR_CONTROL.search(after):
            readings.setdefault(after, reader)
    if not readings:
        return None
    ranked = sorted(readings, key=_line_cost)
    if len(ranked) > 1 and not _reads_better(ranked[0], ranked[1]):
        return None  # two readers read it about as well: nothing says which it was
    after = ranked[0]
    reader = readings[after]
    if sum(1 for ch in after if not ch.isascii()) < MIN_WHOLE_LINE_SEQUENCES:
        return None
    return after, (Step(Op.ENCODE, reader), Step(Op.DECODE, "utf-8"))


_WORD = re.compile(r"[^\W\d_]+")


def _doubtful(fixed: str) -> bool:
    """ftfy's answer (with the per-sequence readers') still shows garble or a near
    codec's mark: a word with a non-ASCII capital after a small letter (``crÚme``, ``мяпЁких``) or with
    letters of two alphabets (``цЁdy``). Only then may a whole-line reading replace it:
    where ftfy's answer reads as plain words it stands (``Straße``, not ISO-8859-15's
    ``Straþe``, which the letter tables happen to like as well).

    >>> _doubtful("la crÚme"), _doubtful("Straße in Köln"), _doubtful("getValue")
    (True, False, False)
    """
    from ftfy.badness import is_bad

    if _suspect(fixed) or is_bad(fixed):
        return True  # garble left (ch├óteau)
    for word in _WORD.findall(fixed):
        if any(b.isupper() and not b.isascii() and a.islower() for a, b in pairwise(word)):
            return True
        if len({_script_of(ch) for ch in word if not ch.isascii()} - {None}) > 1:
            return True
    return False


def _line_cost(text: str) -> float:
    return letters.text_cost(text, letters.models_for(text))[0]


def _reads_better(whole: str, fixed: str) -> bool:
    return _line_cost(whole) + MIN_WHOLE_LINE_GAIN <= _line_cost(fixed)


def _touches(line: str, m: re.Match[str], found: list[re.Match[str]]) -> bool:
    """A sequence touches a letter or another sequence: it sits inside a word or a run
    of garble, no symbol standing on its own (``= √π`` is mathematics)."""
    return (
        line[m.start() - 1 : m.start()].isalpha()
        or line[m.end() : m.end() + 1].isalpha()
        or any(f.end() == m.start() or f.start() == m.end() for f in found if f is not m)
    )


def _judged(
    line: str, context: str, m: re.Match[str], codec: str, main: str | None
) -> tuple[int, int, str] | None:
    """(start, end, repaired) for one sequence, or ``None`` when it fails either test."""
    from ftfy.fixes import A_GRAVE_WORD_RE

    run = m.group()
    try:
        data = run.encode(codec)
    except UnicodeEncodeError:
        return None
    # ftfy's own rule: "Ã " before a word is the word "à" whose 0xA0 was lost
    follow = line[m.end() : m.end() + A_GRAVE_REACH].encode(codec, "replace")
    a_grave = A_GRAVE_WORD_RE.match(data + follow) is not None
    data = data.replace(b" ", b"\xa0")
    try:
        after = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    start, end = m.span()
    word_start, word_end = start, end
    while word_start > 0 and not line[word_start - 1].isspace():
        word_start -= 1
    while word_end < len(line) and not line[word_end].isspace():
        word_end += 1
    script = _script_of(context[word_start:word_end]) or main or _script_of(after)
    if script == "latin" and _cp1252_view(run):
        return None  # ftfy's own ground: its badness model decides (DrÃ¥ber stays)
    if a_grave:
        after = "à "
    if script is None or not _IN_PLACE[script].fullmatch(after.rstrip(" ")):
        return None
    letters = [_script_of(ch) for ch in run if ch.isalpha()]
    out_of_place = (
        _OUT_OF_PLACE.search(run) is not None
        or any(s is not None and s != script for s in letters)
        or any(
            _LATIN1_SYMBOL.match(ch)
            and line[start + i - 1 : start + i].isalpha()
            and line[start + i + 1 : start + i + 2].isalpha()
            for i, ch in enumerate(run)
            if start + i > 0
        )
    )
    return (start, end, after) if out_of_place else None


def _script_of(text: str) -> str | None:
    """The script most letters of ``text`` belong to (of those in ``_SCRIPT_RANGES``)."""
    counts = {name: len(rx.findall(text)) for name, rx in _SCRIPTS}
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return name if count else None


def _letter_before_space(line: str, fixed: str) -> bool:
    """ftfy's only repair is a capital letter plus a no-break space after another capital
    (``MISUTÂ\\xa0AJIKKO``): the last letter of an upper-case word and a space, which
    is correct text as often as it is a UTF-8 no-break space read as Latin-1."""
    diff = [
        (i1, i2)
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
            None, line, fixed, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]
    if len(diff) != 1:
        return False
    i1, i2 = diff[0]
    span = line[max(0, i1 - 1) : i2 + 1]
    m = re.search("[A-Z\\u00c0-\\u00de]{2}\\xa0(?![a-z\\u00df-\\u00ff])", span)
    return m is not None


def _without_lost(after: str, steps: tuple[Step, ...]) -> str:
    """A lossy repair (``replace_lossy_sequences``) leaves U+FFFD for each lost byte, as
    ftfy means it to; judge the rest of the result."""
    if any(step.arg == "replace_lossy_sequences" for step in steps):
        return after.replace("\ufffd", "")
    return after


def _cp1252_view(run: str) -> bool:
    """``run`` is something a Windows-1252 reader could show: in Latin text, that is
    ftfy's ground, judged by its badness model, whichever reader matched it."""
    try:
        run.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _suspect_regex() -> re.Pattern[str]:
    """The confirming pattern: each reader's own (one alternation, run only near a hit)."""
    patterns = _reader_patterns().values()
    return re.compile("|".join(dict.fromkeys(p.pattern for p in patterns)))


_CJK_LETTER = LazyPattern(f"[{CJK_LETTERS}]")


def _glued_in_cjk(line: str, start: int, end: int, after: str) -> bool:
    """The repair puts letters of an alphabet between two CJK characters, with no space
    or punctuation: no word of an alphabet stands so. It is what is left of GBK or Big5
    text read as Latin-1 once the CJK stage repaired the garble around it (``印出Ô\x93資料``
    would read as 印出ԓ資料; seen by benchmarks/bench_recall.py), so it is left as it is.

    >>> _glued_in_cjk("印出Ô\x93資料", 2, 4, "ԓ"), _glued_in_cjk("東京Ã©", 2, 4, "é")
    (True, False)
    """
    return (
        start > 0
        and end < len(line)
        and _CJK_LETTER.match(line[start - 1]) is not None
        and _CJK_LETTER.match(line[end]) is not None
        and after.isalpha()
        and _CJK_LETTER.search(after) is None
    )


def _mixed_word(fixed: str, start: int, end: int) -> bool:
    """The repaired line ``fixed`` holds, at ``[start, end)``, a repair that leaves a word
    whose non-ASCII letters are of two alphabets. Garble's own repair is a word of one
    script (``CafÃ©`` → Café, ``IL2RÎ³cKO`` → IL2RγcKO, ``Ð¿Ñ€Ð¸`` → при); line
    noise quoted in a Polish fortune (``^ÄŃ§ył``, ``Ţ×˛ć``) read as ``Äѧył``, ``Ţײć``.

    >>> _mixed_word("x ^Äѧył", 4, 5), _mixed_word("Café au", 3, 4), _mixed_word("IL2RγcKO", 4, 5)
    (True, False, False)
    """
    lo, hi = start, end
    while lo > 0 and fixed[lo - 1].isalpha():
        lo -= 1
    while hi < len(fixed) and fixed[hi].isalpha():
        hi += 1
    letters = "".join(ch for ch in fixed[lo:hi] if not ch.isascii())
    return sum(1 for name, rx in _SCRIPTS if name != "cjk" and rx.search(letters)) > 1


def _script_clash(line: str, start: int, end: int, after: str) -> bool:
    """The span's letters are of the script of the word around it, and the repair puts a
    letter of another script there: correct text taken for garble (Serbian ``ОДЕЉАК``
    read back through Windows-1251 gives ``ОДŊАК``, Ukrainian ``Дійсне`` gives ``ĳйсне``).
    Real garble is out of place where it stands (``CafÃ©``: Ã is a letter, © is not)."""
    lo, hi = start, end
    while lo > 0 and not line[lo - 1].isspace():
        lo -= 1
    while hi < len(line) and not line[hi].isspace():
        hi += 1
    context = line[lo:start] + line[end:hi]
    # the word's own script is that of its non-ASCII letters when it has any (groff's
    # ``\fB`` and ``\fP`` glue ASCII letters to Cyrillic words)
    around = _script_of("".join(ch for ch in context if not ch.isascii())) or _script_of(context)
    if around is None:
        return False
    before = line[start:end]
    if not all(ch.isalpha() for ch in before):
        return False  # symbols or controls in the span: not the word's own letters
    if any(_script_of(ch) != around for ch in before):
        return False
    return any(ch.isalpha() and _script_of(ch) != around for ch in after)
