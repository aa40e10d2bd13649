"""Whole-document conversion: the runs of changed lines, their records, and the scans
that decide a document is converted whole (issue 11).

``render._changed_runs`` finds the runs with C-level comparisons of the two texts' lines
and counts line offsets once when the configuration keeps lengths; each table compares
it with a plain line-by-line walk (``_line_by_line``), on hand-picked and random texts,
through real OpenCC conversions (length-keeping and length-changing) and through
arbitrary edits. ``Change.many`` must build exactly what the constructor builds, and a
class that ``_Candidates`` scans along with the Simplified candidates must really be
absent when it says so.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fixenc.chars import KANA_HANGUL_ANY, LINE_BREAK
from fixenc.convert import convert_with
from fixenc.model import _CHANGE_FIELDS, Change, Kind, Op, Step
from fixenc.replay import replays
from fixenc.stages.variant import evidence, render, whole
from fixenc.stages.variant.plan import _any_mark
from fixenc.stages.variant.prefilter import prefilters
from fixenc.targets import names as target_names
from fixenc.targets import spec

Run = tuple[int, int, str, str]


def _line_by_line(piece: str, out: str, offset: int = 0) -> list[Run]:
    """The reference: walk the lines of both texts (``chars.LINE_BREAK``) in turn,
    extending a run while their contents differ."""
    runs: list[Run] = []
    run: list[int] | None = None  # [start in piece, start in out, end in piece, end in out]
    for (i, j), (k, m) in zip(_line_spans(piece), _line_spans(out), strict=True):
        if piece[i:j] != out[k:m]:
            if run is None:
                run = [i, k, 0, 0]
            run[2:] = [j, m]
        elif run is not None:
            runs.append(_run(piece, out, offset, run))
            run = None
    if run is not None:
        runs.append(_run(piece, out, offset, run))
    return runs


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each line's content, without its line break."""
    spans, start = [], 0
    for m in LINE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    return [*spans, (start, len(text))]


def _run(piece: str, out: str, offset: int, run: list[int]) -> Run:
    i, k, j, m = run
    return offset + i, offset + j, piece[i:j], out[k:m]


def _keeps_length(config: str) -> bool:
    filters = prefilters()
    return filters is not None and filters.keeps_length(config)


CONVERTED = [
    pytest.param("头发\n", "s2t", id="one-line"),
    pytest.param("头发", "s2t", id="no-final-break"),
    pytest.param("头发\r\n中文\r\n头发\r\n", "s2t", id="crlf"),
    pytest.param("头发\r中文\r头发\r", "s2t", id="cr-only"),
    pytest.param("\r头发\r\r头发", "s2t", id="blank-cr-line-ends-a-run"),
    pytest.param("头发\r\r\n头发\r", "s2t", id="cr-then-crlf"),
    pytest.param("头发\n头发\r\n\r\n头发\n", "s2t", id="blank-crlf-line-ends-a-run"),
    pytest.param("头发\n\n头发\n头发\n中文\n头发", "s2t", id="runs-between-unchanged-lines"),
    pytest.param("\n\n头发\n\n", "s2t", id="blank-lines-around"),
    pytest.param("中文\nabc\n", "s2t", id="nothing-changes"),
    pytest.param("内存\n中文\nU盘和内存\n内存", "s2twp", id="length-grows"),
    pytest.param("記憶體\n中文\n隨身碟\r\n記憶體", "tw2sp", id="length-shrinks"),
    pytest.param("頭髮\r\n後來\r\n\r\n乾淨", "t2s", id="traditional-crlf"),
    pytest.param("着急\n裏面", "s2hk", id="hong-kong"),
]


@pytest.mark.parametrize(("piece", "config"), CONVERTED)
def test_runs_of_a_conversion_match_the_line_walk(piece: str, config: str) -> None:
    out = convert_with(config, piece)
    expected = _line_by_line(piece, out, offset=7)
    assert render._changed_runs(piece, out, offset=7) == expected
    if _keeps_length(config):
        assert render._changed_runs(piece, out, offset=7, same_length=True) == expected
    for _start, _end, before, after in expected:
        assert convert_with(config, before) == after  # each run replays on its own


def test_length_keeping_configurations_are_known() -> None:
    """The configurations the stage converts with most keep lengths, so their offsets
    are counted once; the ones with regional vocabulary do not."""
    if prefilters() is None:
        pytest.skip("the prefilters were derived from another OpenCC version")
    assert all(_keeps_length(c) for c in ("s2t", "t2s", "s2hk", "tw2s", "hk2s", "t2tw"))
    assert not any(_keeps_length(c) for c in ("s2twp", "tw2sp"))


TOKENS = [
    *("头发", "頭髮", "天文台", "内存", "記憶體", "U盘", "后来", "後來", "裏面", "裡面"),
    *("着急", "中文", "𠮷", "abc", " ", "\n", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n"),
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.sampled_from(["s2t", "t2s", "s2twp", "tw2sp", "s2hk", "tw2s"]),
)
def test_runs_match_the_line_walk_on_random_texts(piece: str, config: str) -> None:
    out = convert_with(config, piece)
    if out == piece:
        return
    expected = _line_by_line(piece, out)
    assert render._changed_runs(piece, out) == expected
    if _keeps_length(config):
        assert render._changed_runs(piece, out, same_length=True) == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ab头", max_size=4),
            st.sampled_from(["same", "upper", "grow", "shrink"]),
            st.sampled_from(["\n", "\r\n", "\r"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_runs_match_the_line_walk_on_arbitrary_edits(lines: list[tuple[str, str, str]]) -> None:
    """Any edit that keeps the line breaks, not only OpenCC's: each line kept, changed
    in place, made longer or shorter, ended by LF, CRLF or CR."""
    edit = {
        "same": lambda s: s,
        "upper": lambda s: s.upper().replace("头", "頭"),
        "grow": lambda s: s + "x",
        "shrink": lambda s: s[1:],
    }
    piece = "".join(line + end for line, _how, end in lines)
    out = "".join(edit[how](line) + end for line, how, end in lines)
    # A CR before a line that was empty and is no longer would end a CRLF in one text only.
    assume(LINE_BREAK.findall(piece) == LINE_BREAK.findall(out))
    expected = _line_by_line(piece, out, offset=3)
    assert render._changed_runs(piece, out, offset=3) == expected
    if all(how in ("same", "upper") for _line, how, _end in lines):
        assert render._changed_runs(piece, out, offset=3, same_length=True) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        pytest.param("这是 `头发` 的说明。\n头发\n", 0, 3, id="before-a-code-span"),
        pytest.param("这是 `头发` 的说明。\n头发\n", 9, 17, id="after-a-code-span"),
        pytest.param("甲\r\n头发\r\n乙头发", 2, 11, id="piece-of-crlf-text"),
    ],
)
def test_piece_records_point_into_the_whole_text(text: str, start: int, end: int) -> None:
    """A piece between protected regions gives records at whole-text offsets, and each
    replays with its configuration."""
    changes = render._convert_piece(text, start, end, "s2t", "why", 0.5)
    assert changes
    for change in changes:
        assert start <= change.start < change.end <= end
        assert text[change.start : change.end] == change.before
        assert replays(change)


def test_many_builds_what_the_constructor_builds() -> None:
    assert set(_CHANGE_FIELDS) == {f.name for f in dataclasses.fields(Change)}
    steps = (Step(Op.OPENCC, "s2t"),)
    spans = [(0, 2, "头发", "頭髮"), (5, 6, "后", "後")]
    built = Change.many(spans, kind=Kind.VARIANT, reason="why", confidence=0.5, steps=steps)
    expected = [
        Change(Kind.VARIANT, s, e, "why", 0.5, before=b, after=a, steps=steps)
        for s, e, b, a in spans
    ]
    assert built == expected
    assert [hash(c) for c in built] == [hash(c) for c in expected]
    assert [c.to_dict() for c in built] == [c.to_dict() for c in expected]
    assert [repr(c) for c in built] == [repr(c) for c in expected]
    assert dataclasses.replace(built[0], line=3) == dataclasses.replace(expected[0], line=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].start = 1  # type: ignore[misc]


CANDIDATE_TEXTS = [
    pytest.param("我們在台灣的軟體公司工作，這裡的同事都很友善。\n", id="taiwan"),
    pytest.param("他在天文臺工作，大家一起喫飯。\n", id="opencc-standard"),
    pytest.param("頭髮很長，大家一起工作。\n", id="traditional-unmarked"),
    pytest.param("裏面的羣衆很多。\n", id="opencc-variants"),
    pytest.param("我们是学生。\n", id="simplified"),
    pytest.param("我们是學生。\n", id="mixed"),
    pytest.param("東京の天気。頭髮。\n", id="kana"),
    pytest.param("頭髮𠮷野家。\n", id="supplementary"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("text", CANDIDATE_TEXTS)
def test_candidates_scanned_together_say_what_each_scan_says(text: str, target: str) -> None:
    found = whole._Candidates(text, spec(target))
    trad = evidence._candidate_regex(evidence._PROBES_TRAD)
    simp = evidence._candidate_regex(evidence._PROBES_SIMP)
    assert found.trad == (trad.search(text) is not None)
    assert found.simp == (simp.search(text) is not None)
    assert found.foreign == (re.search("[ぁ-ヿ가-힯]", text) is not None)
    for pattern in whole._also(target):
        if found.absent(pattern):
            assert pattern.search(text) is None


KANA_TEXTS = [
    pytest.param("頭髮很長。東京の天気。\n", id="kana-after-traditional"),
    pytest.param("東京の天気。頭髮很長。\n", id="kana-before-traditional"),
    pytest.param("头发很长。東京の天気。\n", id="kana-after-simplified"),
    pytest.param("頭髮很長，大家一起工作。\n" * 50 + "한국어\n", id="hangul-at-the-end"),
    pytest.param("裏面的羣衆很多。\n" * 50 + "ｱｲｳ", id="half-width-kana-at-the-end"),
]


@pytest.mark.parametrize(
    "order", list(itertools.permutations(("trad", "simp", "foreign"))), ids="-".join
)
@pytest.mark.parametrize("target", ["zh-Hans", "zh-TW", "keep"])
@pytest.mark.parametrize("text", CANDIDATE_TEXTS + KANA_TEXTS)
def test_candidates_answer_alike_in_any_order(
    text: str, target: str, order: tuple[str, ...]
) -> None:
    """The kana scan starts where a combined scan stopped, whichever question comes first."""
    found = whole._Candidates(text, spec(target))
    got = {name: getattr(found, name) for name in order}
    assert got == {
        "trad": evidence._candidate_regex(evidence._PROBES_TRAD).search(text) is not None,
        "simp": evidence._candidate_regex(evidence._PROBES_SIMP).search(text) is not None,
        "foreign": re.search(f"[{KANA_HANGUL_ANY}]", text) is not None,
    }


@pytest.mark.parametrize(
    ("text", "target", "pattern"),
    [
        pytest.param("頭髮很長，大家一起工作。\n", "zh-Hans", _any_mark, id="no-marks"),
        pytest.param(
            "我們在台灣的軟體公司工作，這裡的同事都很友善。\n",
            "zh-TW",
            lambda: prefilters().change_class("t2tw"),  # type: ignore[union-attr]
            id="nothing-for-t2tw",
        ),
    ],
)
def test_one_scan_proves_the_next_question(text: str, target: str, pattern: object) -> None:
    """The shortcut is not dead: for a clean Traditional document the Simplified scan
    also answers the question its target asks next."""
    if prefilters() is None:
        pytest.skip("the prefilters were derived from another OpenCC version")
    asked = pattern()  # type: ignore[operator]
    assert asked in whole._also(target)
    assert whole._Candidates(text, spec(target)).absent(asked)
    assert not whole._Candidates(text).absent(asked)  # without a target: unknown


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("[a-c]", True, id="class"),
        pytest.param("[a\\]b]", True, id="escaped-bracket"),
        pytest.param("[^a]", False, id="negated"),
        pytest.param("(?!)", False, id="never"),
        pytest.param("[a]|[b]", False, id="two-classes"),
        pytest.param("[a]b", False, id="class-and-more"),
    ],
)
def test_only_plain_classes_are_scanned_together(pattern: str, expected: bool) -> None:
    assert whole._is_class(re.compile(pattern)) is expected
    assert whole._is_class(re.compile(pattern, re.IGNORECASE)) is False


@pytest.mark.parametrize("target", target_names())
def test_combined_class_is_its_parts_over_the_whole_bmp(target: str) -> None:
    """The one class ``_Candidates`` scans matches, among BMP characters, exactly the
    Simplified candidates, kana, hangul and the target's ``_also`` classes (its parts are
    joined as text: a bogus range would show here), and every supplementary character
    that one of them matches."""
    parts = [evidence._candidate_regex(evidence._PROBES_SIMP), *whole._also(target)]
    combined = whole._combined(evidence._PROBES_SIMP, whole._also(target))
    kana_hangul = re.compile(f"[{KANA_HANGUL_ANY}]")
    wrong = [
        c
        for c in map(chr, range(0x10000))
        if not 0xD800 <= ord(c) <= 0xDFFF
        and (combined.match(c) is not None)
        != (kana_hangul.match(c) is not None or any(p.match(c) for p in parts))
    ]
    assert wrong == []
    for c in ("𠮷", "\U0003134f", "\U00010000", "\U0010ffff"):
        if any(p.match(c) for p in parts):
            assert combined.match(c) is not None
