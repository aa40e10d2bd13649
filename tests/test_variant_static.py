"""The variant stage's static evidence gives exactly what the per-character probes give.

``evidence._StaticEvidence`` labels text from character classes and asks OpenCC only
about the candidates whose context can matter (near a key that can keep them); the
analysis then labels a paragraph in one script at once (``segment._Analysis.
_static_units``). Each table compares it with ``evidence._Evidence`` and the line-by-line
analysis — the same code with the static path forced off — on OpenCC's own keys, on
mixed documents and on random text.
"""

from __future__ import annotations

import functools
import random
import re
import sys

import pytest
from conftest import catalogue_lines, paragraphs_line_by_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc.chars import LINE, LineIndex
from fixenc.convert import chain, convert_with, dictionary
from fixenc.model import Options, Passage, Region
from fixenc.protect import Protection
from fixenc.stages import variant
from fixenc.stages.variant import evidence, segment
from fixenc.targets import names as target_names

PROBES = [
    pytest.param(evidence._PROBES_SIMP, id="simplified"),
    pytest.param(evidence._PROBES_TRAD, id="traditional"),
]


def _positions(found: evidence._StaticEvidence, text: str) -> tuple[list[int], list[int]]:
    """Every evidence position of ``found``, read back through its per-range answers."""
    trad, simp = found.chars(text, 0, len(text))
    at_trad = [i for i in range(len(text)) if found.counts(i, i + 1)[0]]
    at_simp = [i for i in range(len(text)) if found.counts(i, i + 1)[1]]
    assert [text[i] for i in at_trad] == trad
    assert [text[i] for i in at_simp] == simp
    return at_trad, at_simp


def _compare(text: str, options: Options | None = None) -> None:
    protection = Protection.of(text, options or Options())
    static = evidence._StaticEvidence.of(text, protection)
    assert static is not None
    probed = evidence._Evidence.of(text, protection)
    assert _positions(static, text) == (probed._trad_sorted, probed._simp_sorted)
    for m in LINE.finditer(text):
        s, e = m.span()
        assert static.counts(s, e) == probed.counts(s, e)
        assert static.has(s, e) == tuple(n > 0 for n in probed.counts(s, e))


@functools.cache
def _keys(probes: tuple[str, ...]) -> tuple[str, ...]:
    """Every key of more than one character of the probes' dictionaries (but those
    holding a character that sends text to the probes anyway)."""
    names = {name for config in probes for stage in chain(config) for name in stage}
    keys = {k for name in names for k, _v in dictionary(name) if len(k) > 1}
    return tuple(sorted(k for k in keys if not evidence._STATIC_UNSAFE.search(k)))


@pytest.mark.parametrize("probes", PROBES)
def test_every_key_on_its_own_line(probes: tuple[str, ...]) -> None:
    """Each multi-character key of every dictionary the probes use, on its own line: the
    contexts where a character's evidence can depend on its neighbours."""
    _compare("".join(k + "\n" for k in _keys(probes)))


@pytest.mark.parametrize("probes", PROBES)
def test_every_key_written_in_the_other_script(probes: tuple[str, ...]) -> None:
    """Each key as the other script writes it (魏韻芝 as 魏韵芝): where a later stage
    can turn back what the first one changed (Hong Kong's 魏韵芝 keeps 韵)."""
    back = "t2s" if probes == evidence._PROBES_SIMP else "s2t"
    keys = [convert_with(back, k) for k in _keys(probes)]
    _compare("".join(k + "\n" for k in keys if not evidence._STATIC_UNSAFE.search(k)))


def test_a_later_stage_can_turn_a_character_back() -> None:
    """Why ``s2hk`` has keepers of its own: s2t writes 韻, Hong Kong's phrase keeps 韵."""
    assert convert_with("s2t", "魏韵芝") == "魏韻芝"
    assert convert_with("s2hk", "魏韵芝") == "魏韵芝"
    _compare("魏韵芝说\n")


@pytest.mark.parametrize("probes", PROBES)
def test_keys_run_together(probes: tuple[str, ...]) -> None:
    """Keys glued to each other in a shuffled order, so that OpenCC's greedy matching
    cuts them elsewhere than at their own edges."""
    keys = list(_keys(probes))
    random.Random(11).shuffle(keys)
    lines = ["".join(keys[i : i + 12]) for i in range(0, len(keys), 12)]
    _compare("\n".join(lines) + "\n")


def test_static_characters_are_changed_inside_every_key() -> None:
    """A candidate outside every context class is changed by every probe inside every
    key that holds it, as alone: the claim the static classes rest on, checked on each
    BMP Han character against OpenCC itself."""
    for probes in (evidence._PROBES_SIMP, evidence._PROBES_TRAD):
        static = evidence._static_classes(probes)
        assert static is not None
        sometimes = set().union(*(chars for _c, chars, _k in static.context))
        always = evidence._candidate_class(probes) - sometimes
        assert always  # the classes are not empty
        holding = [k for k in _keys(probes) if not always.isdisjoint(k)]
        for config in probes:
            out = convert_with(config, "\n".join(holding)).split("\n")
            for key, converted in zip(holding, out, strict=True):
                for j, c in enumerate(key):
                    if c in always:
                        assert converted[j] != c, (config, key, c)


MIXED = [
    pytest.param("我们是学生。\n\n這個很好。\n干涉\n干部\n", id="mixed-paragraphs"),
    pytest.param("一种方法，各种各样。\n种师道是宋朝人。\n拮据的生活。\n", id="context-characters"),
    pytest.param("这是拮据，這是天文台。\n洪适和南宫适。\n", id="keepers-in-a-mixed-line"),
    pytest.param("這個\r\n头发\r\n\r\n  \n\u3000\n我们", id="crlf-and-blank-lines"),
    pytest.param("see `这个种放` and http://例子.com/们 種\n", id="protected-regions"),
    pytest.param("abc\n\n中文中文\n\n这个\n\n", id="paragraph-without-evidence"),
    pytest.param("Title\n\n中文\n我们\nEnglish\n\n", id="none-lines-around-a-passage"),
    pytest.param("我们\r\nab\rcd\nef\r\n\r\n這個\rx\n", id="trailing-lines-with-every-break"),
    pytest.param("\x1c\n我们\x85\n\n這個\u2028\n", id="unusual-whitespace"),
    pytest.param(
        "我们的软件。\n\n這個軟件很好用，信息也很多。\n這個軟體很好。\n\n臺灣的資訊。\n",
        id="mainland-words-in-a-traditional-paragraph",
    ),
    pytest.param("这个软件，這個軟件。\n信息，資訊。\n", id="mainland-words-in-mixed-lines"),
]


@pytest.mark.parametrize("text", MIXED)
def test_static_evidence_is_the_probed_evidence(text: str) -> None:
    _compare(text)


def _passages(text: str, options: Options) -> tuple[tuple[Passage, ...], tuple[Passage, ...]]:
    static = segment._Analysis(text, options)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evidence._StaticEvidence, "of", classmethod(lambda cls, t, p, **_k: None))
        m.setattr(segment._Analysis, "_no_mainland_line", lambda self, s, e: False)
        probed = segment._Analysis(text, options)
    assert static._static is not None and probed._static is None
    return static.passages, probed.passages


@pytest.mark.parametrize("text", MIXED)
def test_paragraphs_in_one_script_give_the_line_by_line_passages(text: str) -> None:
    static, probed = _passages(text, Options())
    assert static == probed


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("text", MIXED)
def test_stage_with_static_evidence_is_the_probed_stage(text: str, target: str) -> None:
    options = Options(target=target)
    fast = variant._full_stage(text, options)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evidence._StaticEvidence, "of", classmethod(lambda cls, t, p, **_k: None))
        m.setattr(segment._Analysis, "_no_mainland_line", lambda self, s, e: False)
        slow = variant._full_stage(text, options)
    assert fast == slow


TOKENS = [
    *("我们", "這個", "种", "種", "拮据", "种放", "洪适", "适合", "確", "确", "祕", "昇"),
    *("头发", "頭髮", "天文台", "干涉", "中文", "软件", "軟體", "后来", "後來", "著", "着"),
    *("軟件", "信息", "出租車", "裡面", "説"),
    *("\n", "\n", "\n\n", "\r\n", "\r", " ", "\u3000", "abc", "，", "。", "`x`", "http://a.b/们 "),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join), st.sampled_from(target_names()))
def test_static_path_is_the_probed_path_on_random_text(text: str, target: str) -> None:
    options = Options(target=target)
    if evidence._StaticEvidence.of(text, Protection.of(text, options)) is None:
        return
    _compare(text, options)
    static, probed = _passages(text, options)
    assert static == probed


def _majority(trad: int, simp: int) -> tuple[bool, bool, bool]:
    return trad > 0, simp > 0, trad > simp


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.sampled_from([1, 3, evidence.TOTAL_CHUNK]),
)
def test_totals_decide_as_the_passages_sums(text: str, chunk: int) -> None:
    """The whole text's evidence counts, the larger cut short, tell the same majority
    as the sums over the passages (which the line-by-line path adds up)."""
    analysis = segment._Analysis(text, Options())
    if analysis._static is None:
        return
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evidence, "TOTAL_CHUNK", chunk)
        fast = analysis.evidence_totals()
    trad = sum(analysis.evidence.counts(p.start, p.end)[0] for p in analysis.passages)
    simp = sum(analysis.evidence.counts(p.start, p.end)[1] for p in analysis.passages)
    assert _majority(*fast) == _majority(trad, simp)
    assert min(fast) == min(trad, simp)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*TOKENS, "の", "한"]), max_size=40).map("".join))
def test_units_carry_their_passages_labels(text: str) -> None:
    """The stage skips building passages from their units' labels: the two agree, on the
    static path and the line-by-line one (kana and hangul take the latter)."""
    analysis = segment._Analysis(text, Options())
    assert [u.label for u in analysis.units] == [p.label for p in analysis.passages]
    assert [u.foreign for u in analysis.units] == [
        p.region is Region.FOREIGN for p in analysis.passages
    ]


UNSAFE = [
    pytest.param("⿰们们\n", id="ideographic-description"),
    pytest.param("们\ufe00\n", id="variation-selector"),
    pytest.param("\uf900们\n", id="compatibility-ideograph"),
    pytest.param("𠮷们\n", id="supplementary-han"),
]


@pytest.mark.parametrize("text", UNSAFE)
def test_text_the_classes_do_not_model_takes_the_probes(text: str) -> None:
    assert evidence._StaticEvidence.of(text, Protection(())) is None
    assert segment._Analysis(text, Options())._static is None


def test_ideographic_description_sequence_keeps_its_characters() -> None:
    """Why ``_STATIC_UNSAFE`` holds the description characters: OpenCC copies the
    sequence as it is, so its 们 is no evidence there."""
    assert convert_with("s2t", "⿰们们") == "⿰们们"
    assert evidence._all_changed("⿰们们", evidence._PROBES_SIMP, Protection(())) == set()


def test_backslash_s_is_str_isspace() -> None:
    """``segment._PARAGRAPH`` reads a blank line as ``str.strip`` does."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert (space.match(c) is not None) == c.isspace(), hex(code)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" " * 200_000, id="one-long-blank-line"),
        pytest.param((" " * 50_000 + "\n") * 4 + "中文", id="long-blank-lines"),
        pytest.param("中" + " " * 200_000, id="long-line"),
    ],
)
def test_long_runs_of_spaces_are_paragraphs_in_one_pass(text: str) -> None:
    """A run of spaces is tried from its line's start only: from each of its characters
    this took seconds at 8,000 (and would not end at these sizes)."""
    assert segment._paragraphs(text) == paragraphs_line_by_line(text)


def test_many_lines_after_the_last_han_line_are_walked_once() -> None:
    """A paragraph of one Chinese line and many without Han (a log, a source file):
    the walk back to its last Han line looks for each break once (a search from the
    paragraph's start per line would not end at this size)."""
    for brk in ("\n", "\r\n"):
        text = "我们\n" + ("some English" + brk) * 100_000 + "end"
        static, probed = _passages("我们\n" + ("x" + brk) * 50 + "y", Options())
        assert static == probed
        units = segment._Analysis(text, Options()).units
        assert [(u.start, u.label) for u in units] == [(0, "zh-Hans"), (3, "none")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "中", " ", "\t", "\u3000", "\x1c", "\n", "\r", "\r\n"])))
def test_paragraphs_are_the_line_by_line_paragraphs(parts: list[str]) -> None:
    text = "".join(parts)
    assert segment._paragraphs(text) == paragraphs_line_by_line(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "中", "\n", "\r", "\r\n", "\n\n"])).map("".join))
def test_line_numbers_are_line_index_numbers(text: str) -> None:
    analysis = segment._Analysis(text, Options())
    index = LineIndex(text)
    assert [analysis.line_of(i) for i in range(len(text) + 1)] == [
        index.position(i)[0] for i in range(len(text) + 1)
    ]


# Lines of each catalogue mixed into one document: enough for every shape of mixing
# below, a fraction of a second per target.
CATALOGUE_LINES = 400


def _catalogue_lines(lang: str) -> tuple[str, ...]:
    """Human translations from the Debian gettext catalogues installed here."""
    return catalogue_lines(lang, CATALOGUE_LINES)


def _mixed_catalogues(shape: str) -> str:
    cn, tw = list(_catalogue_lines("zh_CN")), list(_catalogue_lines("zh_TW"))
    if not cn or not tw:
        pytest.skip("no Chinese gettext catalogues on this machine")
    rng = random.Random(shape)
    if shape == "lines":
        lines = cn + tw
        rng.shuffle(lines)
        return "\n".join(lines) + "\n"
    if shape == "paragraphs":
        lines = cn + tw
        rng.shuffle(lines)
        cuts = range(0, len(lines), 5)
        return "\n\n".join("\n".join(lines[i : i + rng.randint(1, 5)]) for i in cuts)
    return "\n".join(a + "，" + b for a, b in zip(cn, tw, strict=False))  # within lines


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("shape", ["lines", "paragraphs", "clauses"])
def test_static_path_is_the_probed_path_on_real_mixed_text(shape: str, target: str) -> None:
    """Real Simplified and Traditional translations mixed line by line, paragraph by
    paragraph and within lines: the same changes, findings and reasons either way."""
    text = _mixed_catalogues(shape)
    options = Options(target=target)
    assert segment._Analysis(text, options)._static is not None
    fast = variant._full_stage(text, options)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evidence._StaticEvidence, "of", classmethod(lambda cls, t, p, **_k: None))
        m.setattr(segment._Analysis, "_no_mainland_line", lambda self, s, e: False)
        slow = variant._full_stage(text, options)
    assert fast == slow
