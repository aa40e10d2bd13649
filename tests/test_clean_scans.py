"""The whole-text scans that clear clean text, each against the slower path it replaces.

Issue 12: clean text should cost about one scan, so scans that asked related questions
were merged, and counts stop once the answer is settled. Each such shortcut is compared
here with the plain form it replaces, on real text (the samples, CPython's CJK codec test
texts, Debian's gettext translations when installed), on each of its lines, and on
random text drawn from the characters each rule turns on.
"""

from __future__ import annotations

import functools
import importlib
import random
import re
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, catalogue_lines

from fixenc import plausibility
from fixenc.model import Context, Finding, Options
from fixenc.stages import mojibake_cjk as cjk
from fixenc.stages import mojibake_latin as latin
from fixenc.stages.lost_bytes import unrecoverable

# Catalogue lines taken per language: enough for every script's signs, a fraction of a
# second to read.
CATALOGUE_LINES = 600
CATALOGUE_LANGS = ("zh_CN", "zh_TW", "ja", "ko", "ru", "fr", "de")


def _real_texts() -> list[tuple[str, str]]:
    """(id, text) of every real text this machine has."""
    cjk = Path(sysconfig.get_path("stdlib")) / "test" / "cjkencodings"
    paths = [*sorted(SAMPLES.glob("*.txt")), *sorted(cjk.glob("*-utf8.txt"))]
    out = [(p.name, text) for p in paths if (text := _utf8(p))]
    out += [
        (f"catalogue-{lang}", "\n".join(catalogue_lines(lang, CATALOGUE_LINES)))
        for lang in CATALOGUE_LANGS
    ]
    return [(name, text) for name, text in out if text]


def _utf8(path: Path) -> str:
    """The file's text, or ``""`` for the samples in legacy encodings."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def _pieces(text: str) -> list[str]:
    """The text itself and each of its lines: a line is a text too, with fewer signs."""
    return [text, *text.splitlines()]


REAL = _real_texts()
# The cheap pass's module (the package's ``suspects`` is its function of that name).
suspects = importlib.import_module("fixenc.plausibility.suspects")


# --- the Latin stage's first look: one scan for both anchors ---------------------------


def _either_anchor(text: str) -> bool:
    return any(anchor.search(text) is not None for anchor in latin._anchors())


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_one_anchor_scan_equals_both_on_real_text(text: str) -> None:
    for piece in _pieces(text):
        assert (latin._any_anchor().search(piece) is not None) == _either_anchor(piece), piece


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("中文 Â 中文", id="lead-space"),
        pytest.param("中文 Â中文", id="lead-glued"),
        pytest.param("中文Â", id="lead-at-end"),
        pytest.param("В работе", id="cyrillic-lead-space"),
        pytest.param("«Москва»", id="guillemets"),
        pytest.param("中文\x85", id="c1-control"),
        pytest.param("中文\ufffd", id="replacement"),
        pytest.param("中文 ├ 中文", id="box-lead-space"),
        pytest.param("中文，繁體。", id="chinese-only"),
        pytest.param("", id="empty"),
    ],
)
def test_one_anchor_scan_equals_both_on_edges(text: str) -> None:
    assert (latin._any_anchor().search(text) is not None) == _either_anchor(text)


def test_one_anchor_scan_equals_both_on_random_text() -> None:
    shown = latin._anchors()[0].pattern
    leads = sorted(latin._a0_forms())
    signs = [ch for ch in map(chr, range(0x80, 0x2600)) if re.fullmatch(shown, ch)]
    rng = random.Random(12)
    alphabet = [*leads, *rng.sample(signs, 20), " ", "\n", "a", "中", "В", "\xa0"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        assert (latin._any_anchor().search(text) is not None) == _either_anchor(text), text


# --- the syllables CP949 reads from two-byte UTF-8: one scan for three questions ------


def _plain_places(text: str) -> plausibility.PairPlaces:
    """What the three patterns find, each in a scan of its own."""
    return plausibility.PairPlaces(
        in_context=[m.start() for m in suspects._PAIRS_IN_CONTEXT.finditer(text)],
        word_starts=[m.start() for m in suspects._PAIRS_OPENING_WORD.finditer(text)],
        alone=[m.start() for m in cjk._LONE_SYLLABLE.finditer(text)],
    )


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_one_pair_scan_equals_three_on_real_text(text: str) -> None:
    for piece in _pieces(text):
        assert suspects._pair_places(piece) == _plain_places(piece), piece


_PAIR_EDGES = [
    pytest.param("챕", id="alone"),
    pytest.param("ativos 챕 exibido.", id="alone-between-words"),
    pytest.param("caf챕 챕t챕 x챕y", id="touching-letters"),
    pytest.param("챕x 챕. 챕,챕 (챕)", id="opening-before-letter-and-punctuation"),
    pytest.param("트리 표시줄 키 바인딩", id="korean-words"),
    pytest.param("Ctrl키 키Ctrl 1키 키1", id="digits-are-no-letters"),
    pytest.param("\u3000키\u3000", id="ideographic-space"),
]


@pytest.mark.parametrize("text", _PAIR_EDGES)
def test_one_pair_scan_equals_three_on_edges(text: str) -> None:
    assert suspects._pair_places(text) == _plain_places(text)


def test_one_pair_scan_equals_three_on_random_text() -> None:
    rng = random.Random(13)
    alphabet = ["챕", "키", "트", "가", "中", "a", "Z", "1", " ", "\n", ".", "?", "(", "\u3000"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert suspects._pair_places(text) == _plain_places(text), text


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_shared_pair_places_leave_the_cjk_stage_as_it_was(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CJK stage takes the lone syllables from the cheap pass's scan (or its proof
    that there are none): the same repairs as with a scan of its own."""
    shared = cjk.find_repairs(text, Context(Options()))
    monkeypatch.setattr(plausibility, "pair_places", lambda text, context=None: _plain_places(text))
    assert shared == cjk.find_repairs(text, Context(Options()))


def _garbled_one_letter_words() -> str:
    """Real French and Portuguese lines whose one-letter words (à, é) were read as CP949
    (횪, 챕), among real Korean and Chinese lines: lone syllables the stage repairs."""
    lines: list[str] = []
    for lang, word in (("fr", " à "), ("pt_BR", " é ")):
        garbled = " " + word.strip().encode("utf-8").decode("cp949") + " "
        lines += [line.replace(word, garbled) for line in catalogue_lines(lang, CATALOGUE_LINES)]
    lines += [*catalogue_lines("ko", CATALOGUE_LINES), *catalogue_lines("zh_CN", 100)]
    random.Random(14).shuffle(lines)
    return "\n".join(lines)


def test_shared_pair_places_repair_lone_syllables_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _garbled_one_letter_words()
    if "횪" not in text and "챕" not in text:
        pytest.skip("no French or Portuguese gettext catalogues on this machine")
    shared = cjk.find_repairs(text, Context(Options()))
    assert sum(r.after in ("à", "é") for r in shared) > 20  # the rule had work to do
    monkeypatch.setattr(plausibility, "pair_places", lambda text, context=None: _plain_places(text))
    assert shared == cjk.find_repairs(text, Context(Options()))


# --- Han, and Han or Hangul: the variant stage's question answered by the cheap pass --


def _asked_in_turn(text: str) -> tuple[bool, bool]:
    """``has_han_or_hangul`` then ``has_han`` through one context, as the pipeline asks."""
    context = Context(Options())
    either = plausibility.has_han_or_hangul(text, context)
    return either, plausibility.has_han(text, context)


def _asked_apart(text: str) -> tuple[bool, bool]:
    """Each question with a scan of its own."""
    return plausibility.has_han_or_hangul(text), plausibility.has_han(text)


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_shared_han_answers_equal_their_own_scans_on_real_text(text: str) -> None:
    for piece in _pieces(text):
        assert _asked_in_turn(piece) == _asked_apart(piece), piece


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Москва", id="neither"),
        pytest.param("〇 and 키", id="han-outside-the-rare-blocks-first"),
        pytest.param("키 then 〇", id="hangul-first"),
        pytest.param("𠀀", id="supplementary-han-only"),
        pytest.param("키", id="hangul-only"),
        pytest.param("中", id="han"),
        pytest.param("\u3400", id="extension-a"),
        pytest.param("\uf900", id="compatibility-ideograph"),
        pytest.param("", id="empty"),
    ],
)
def test_shared_han_answers_equal_their_own_scans_on_edges(text: str) -> None:
    assert _asked_in_turn(text) == _asked_apart(text)


def test_shared_han_answers_equal_their_own_scans_on_random_text() -> None:
    rng = random.Random(15)
    alphabet = ["a", "é", "Д", "키", "中", "〇", "𠀀", "\u3400", "\uf900", "の", " "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        assert _asked_in_turn(text) == _asked_apart(text), text


# --- the unrecoverable patterns' needles: one pass for all the suspects' windows ------


def _flag_window_by_window(text: str) -> list[Finding]:
    """``unrecoverable.flag`` with a ``str.find`` of its own in each suspect's window."""
    near = unrecoverable._near

    def own_find(*args: Any, cursor: object = None) -> Iterator[re.Match[str]]:
        return near(*args[:6])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(unrecoverable, "_near", own_find)
        return unrecoverable.flag(text, Context(Options()), [])


@functools.cache
def _damaged_lines() -> str:
    """Real Korean and Chinese lines, some with characters lost to '?' and U+FFFD or
    replaced by 锟斤拷 and 烫烫烫, and the damaged samples."""
    rng = random.Random(16)
    lines = [*catalogue_lines("ko", CATALOGUE_LINES), *catalogue_lines("zh_CN", CATALOGUE_LINES)]
    marks = ["??", "?", "\ufffd", "\ufffd\ufffd", "锟斤拷", "烫烫烫", "屯屯屯"]
    out = []
    for line in lines:
        if line and rng.random() < 0.2:
            at = rng.randrange(len(line))
            line = line[:at] + rng.choice(marks) + line[at + 1 :]
        out.append(line)
    out += [text for name, text in REAL if name in ("unrecoverable.txt", "utf8-read-as-gbk.txt")]
    return "\n".join(out)


@pytest.mark.parametrize("reach", [8, 200, unrecoverable.UNRECOVERABLE_REACH])
def test_needle_cursors_flag_what_window_finds_flag(
    reach: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unrecoverable, "UNRECOVERABLE_REACH", reach)
    texts = [t for _n, t in REAL] + [_damaged_lines()]
    flagged = 0
    for text in texts:
        found = unrecoverable.flag(text, Context(Options()), [])
        assert found == _flag_window_by_window(text)
        flagged += len(found)
    assert flagged > 20  # the damage was met


def test_needle_cursors_flag_what_window_finds_flag_on_random_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(unrecoverable, "UNRECOVERABLE_REACH", 6)
    rng = random.Random(17)
    alphabet = ["中", "文", "?", "??", "\ufffd", "锟斤拷", "烫", "a", " ", "\n", "浣", "犲"]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert unrecoverable.flag(text, Context(Options()), []) == _flag_window_by_window(text)


def test_a_needle_cursor_answers_as_find_in_any_order() -> None:
    rng = random.Random(18)
    for _ in range(2000):
        text = "".join(rng.choice("??a\ufffd") for _ in range(rng.randint(0, 30)))
        needle = rng.choice(["??", "?", "\ufffd", "a?"])
        cursor = unrecoverable._Cursor(text, needle)
        asked = sorted(rng.randint(0, len(text) + 1) for _ in range(8))
        if rng.random() < 0.3:
            rng.shuffle(asked)  # out of order: each such one gets a find of its own
        for lo in asked:
            assert cursor.first(lo) == text.find(needle, lo), (text, needle, asked)


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_needle_presence_equals_in_on_real_text(text: str) -> None:
    for piece in [text, *text.splitlines()[:300]]:
        for needle in unrecoverable._NEEDLES:
            assert unrecoverable._holds(piece, needle) == (needle in piece), needle


def test_needle_presence_equals_in_on_random_text() -> None:
    rng = random.Random(19)
    alphabet = ["锟", "斤", "拷", "烫", "屯", "?", "\ufffd", "a", "中", ".", "*"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        for needle in unrecoverable._NEEDLES:
            assert unrecoverable._holds(text, needle) == (needle in text), (text, needle)


# --- the light pattern anywhere: a match tried at each trigger instead of a scan -------


def test_light_matches_open_with_a_trigger_or_the_punctuation_left_out() -> None:
    """The premise of ``_light_anywhere``: every character a light match can open with
    (its leading class) is a trigger, or one of ``CP1252_CJK_PUNCTUATION``."""
    light = suspects._light_sign().pattern
    opening = re.compile(light[: light.index("]") + 1])
    trigger = suspects._trigger_regex()
    left_out = {
        ch
        for ch in map(chr, range(0x10000))
        if opening.match(ch) and not trigger.match(ch) and not 0xD800 <= ord(ch) < 0xE000
    }
    assert left_out == set(suspects.CP1252_CJK_PUNCTUATION)


def _light_scan(text: str) -> bool:
    return suspects._light_sign().search(text) is not None


def _triggers(text: str) -> list[int]:
    return [m.start() for m in suspects._trigger_regex().finditer(text)]


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_light_anywhere_from_triggers_equals_the_scan_on_real_text(text: str) -> None:
    for piece in [text, *text.splitlines()[:300]]:
        assert suspects._light_anywhere(piece, _triggers(piece)) == _light_scan(piece), piece


def test_light_anywhere_from_triggers_equals_the_scan_on_random_text() -> None:
    rng = random.Random(20)
    alphabet = ["中", "這", "?", " ", "\n", "a", "é", "·", "\xa0", "“", "…", "—", "─", "\ufffd"]
    alphabet += ["\ue000", "ｱ", "馃", "烫", "锟", "챕", "\x85", '"', ")", "。", "!"]
    met = 0
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        want = _light_scan(text)
        assert suspects._light_anywhere(text, _triggers(text)) == want, text
        met += want
    assert 500 < met < 4500  # both answers were met


def _confirmed_both_ways(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The cheap pass's confirmation of every trigger, given them all (near a rare
    character by bisection, the light pattern by a match at each) and not."""
    hits = _triggers(text)
    return (
        suspects._confirmed(text, hits, every_trigger=hits),
        suspects._confirmed(text, hits),
    )


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_confirming_with_every_trigger_known_changes_nothing_on_real_text(text: str) -> None:
    for piece in [text, *text.splitlines()[:300]]:
        given, plain = _confirmed_both_ways(piece)
        assert given == plain, piece


def test_confirming_with_every_trigger_known_changes_nothing_on_random_text() -> None:
    rng = random.Random(21)
    alphabet = ["中", "這", "?", " ", "\n", "é", "·", "“", "…", "─", "\ufffd", "浣", "犲"]
    alphabet += ["\ue000", "ｱ", "馃", "烫", "锟", "\x85", "。", "乂", "丂", "ソ", "Ã"]
    flagged = 0
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        given, plain = _confirmed_both_ways(text)
        assert given == plain, text
        flagged += bool(plain)
    assert 500 < flagged < 3900


def test_damaged_catalogues_take_the_shared_paths_as_the_plain_ones() -> None:
    """Real lines with lost characters, 锟斤拷 and 烫烫烫 in them: the needles and the
    confirmation of the triggers answer as the plain forms."""
    text = _damaged_lines()
    for needle in unrecoverable._NEEDLES:
        assert unrecoverable._holds(text, needle) == (needle in text), needle
    given, plain = _confirmed_both_ways(text)
    assert given == plain
    assert len(plain) > 50  # the damage was met
