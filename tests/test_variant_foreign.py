"""Japanese and Korean paragraphs are cut out of the variant stage's work exactly.

``variant.foreign`` finds the paragraphs the full analysis marks Japanese or Korean
without segmenting the text, so that a Japanese or Korean document, or the Japanese and
Korean paragraphs of a document that mixes scripts, cost about a scan. Each table checks
it against the analysis itself: the stage against ``variant._full_stage``, the spans
against the analysis's passages, the chunked kana count against a plain count.
"""

from __future__ import annotations

import bisect
import random
import sysconfig
from pathlib import Path

import pytest
from conftest import catalogue_lines, paragraphs_line_by_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc.model import Context, Options, Region, StageOutput, Target
from fixenc.stages import variant
from fixenc.stages.variant import evidence, foreign, segment
from fixenc.targets import names as target_names


def _cpython(name: str, fallback: str) -> str:
    """One of CPython's real test texts (``Lib/test/cjkencodings``), when installed."""
    path = Path(sysconfig.get_path("stdlib")) / "test" / "cjkencodings" / name
    return path.read_text(encoding="utf-8") if path.exists() else fallback


def _doc(*paragraphs: str, newline: str = "\n") -> str:
    return (newline * 2).join(p.replace("\n", newline) for p in paragraphs) + newline


JAPANESE = "東京の天気は晴れです。\n国語の勉強をしました。"
# Kanji-only lines (a heading, a numbered article) inside Japanese paragraphs.
JAPANESE_KANJI_LINES = (
    "第一章　総則\n日本国民は、正当に選挙された国会における代表者を通じて行動する。\n第二条　国会"
)
# A list with few kana: Japanese by its neighbours (every character is in JIS X 0208).
JAPANESE_LIST = "東京都新宿区\n大阪府大阪市北区\n京都府京都市"
KOREAN_HANJA = "大韓民國의 首都는 서울이다. 學校에 갑니다.\n經濟 發展을 위한 計劃을 세웠다."
KOREAN = "오늘은 날씨가 좋습니다. 우리는 공원에 갔습니다."
# Chinese paragraphs long enough that the document is not Japanese or Korean as a whole.
SIMPLIFIED = "我们这里的软件很好用，大家都说这个办法不错。" * 12
TRADITIONAL = "我們這裡的軟體很好用，大家都說這個辦法不錯。" * 12
# 說 keeps it Chinese beside Japanese paragraphs (Japanese writes 説; every other
# character here is in JIS X 0208).
MAINLAND_IN_TRADITIONAL = "這個軟件很好用，信息也很多，他們說我們坐出租車去機場。" * 9
OPENCC_TRADITIONAL = "他在天文臺工作，這裏的羣衆很多，他說大家一起喫飯。" * 12
# Every character in JIS X 0208: beside a Japanese paragraph, Japanese too.
ALL_JIS_TRADITIONAL = "他在天文臺工作，這裏的羣衆很多，大家一起喫飯。" * 12
MIXED_LINE = "我们是學生，這个很好，这里的东西很多。" * 12
NO_EVIDENCE = "中文中文，天下大同。" * 30
STRAY_NO = "我的手机坏了，这个の问题很大，大家都说这个办法不错。" * 12  # の for 的: web slang
# Many kana around a mixed line's CJK runs: the line is cut down to its runs, so the
# paragraph is Chinese although kana are a third of its letters.
KANA_AROUND_RUNS = "ああああ東京の们这东京们这东京ああああ"
RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей чаю."
ENGLISH = "The committee met on Tuesday to review the café’s renovation plans."

DOCUMENTS = [
    pytest.param(_doc(JAPANESE, JAPANESE_KANJI_LINES, JAPANESE_LIST), id="japanese-document"),
    pytest.param(_cpython("shift_jis-utf8.txt", JAPANESE), id="cpython-japanese"),
    pytest.param(_cpython("euc_kr-utf8.txt", KOREAN), id="cpython-korean"),
    pytest.param(_cpython("cp949-utf8.txt", KOREAN_HANJA), id="cpython-korean-cp949"),
    pytest.param(_doc(KOREAN_HANJA, KOREAN), id="korean-with-hanja"),
    pytest.param(_doc(JAPANESE, SIMPLIFIED), id="simplified-beside-japanese"),
    pytest.param(_doc(JAPANESE, TRADITIONAL, JAPANESE), id="traditional-between-japanese"),
    pytest.param(_doc(JAPANESE, MAINLAND_IN_TRADITIONAL), id="mainland-words-beside-japanese"),
    pytest.param(_doc(OPENCC_TRADITIONAL, JAPANESE), id="opencc-standard-beside-japanese"),
    pytest.param(_doc(ALL_JIS_TRADITIONAL, JAPANESE), id="all-jis-traditional-beside-japanese"),
    pytest.param(_doc(JAPANESE, SIMPLIFIED, TRADITIONAL), id="two-variants-beside-japanese"),
    pytest.param(_doc(MIXED_LINE, JAPANESE), id="mixed-line-beside-japanese"),
    pytest.param(_doc(JAPANESE, NO_EVIDENCE), id="no-evidence-beside-japanese"),
    pytest.param(
        _doc(JAPANESE_KANJI_LINES, SIMPLIFIED, SIMPLIFIED, JAPANESE_KANJI_LINES),
        id="kanji-only-lines-beside-simplified",
    ),
    pytest.param(
        _doc(JAPANESE, JAPANESE_LIST, TRADITIONAL, TRADITIONAL), id="japanese-list-beside-chinese"
    ),
    pytest.param(_doc(KOREAN_HANJA, TRADITIONAL, TRADITIONAL), id="hanja-beside-traditional"),
    pytest.param(_doc(KOREAN_HANJA, SIMPLIFIED, SIMPLIFIED), id="hanja-beside-simplified"),
    pytest.param(
        _doc(KOREAN, JAPANESE_LIST, SIMPLIFIED, JAPANESE, SIMPLIFIED),
        id="korean-japanese-and-chinese",
    ),
    pytest.param(_doc(STRAY_NO, JAPANESE), id="stray-no-in-chinese"),
    pytest.param(_doc(KANA_AROUND_RUNS, SIMPLIFIED, SIMPLIFIED), id="kana-around-cjk-runs"),
    pytest.param(
        _doc(*[SIMPLIFIED, JAPANESE, KOREAN, RUSSIAN, ENGLISH] * 3), id="mixed-scripts-document"
    ),
    pytest.param(
        _doc(*[SIMPLIFIED * 2, JAPANESE, KOREAN, RUSSIAN, TRADITIONAL * 2, ENGLISH] * 3),
        id="mixed-scripts-mostly-chinese",
    ),
    pytest.param(
        _doc(JAPANESE, TRADITIONAL + "\n" + JAPANESE, SIMPLIFIED * 2),
        id="japanese-line-inside-a-chinese-paragraph",
    ),
    pytest.param(_doc(JAPANESE, TRADITIONAL, newline="\r\n"), id="crlf"),
    pytest.param(_doc(ENGLISH * 80, KOREAN_HANJA, TRADITIONAL), id="hanja-after-a-preamble"),
    pytest.param(_doc(ENGLISH * 80, TRADITIONAL, JAPANESE), id="japanese-after-a-preamble"),
    pytest.param(
        _doc(JAPANESE, "這是 `这个命令` 的說明。" + TRADITIONAL), id="simplified-in-a-code-span"
    ),
    pytest.param(
        _doc("```\n" + JAPANESE, TRADITIONAL + "\n```", SIMPLIFIED), id="fence-across-paragraphs"
    ),
]


def _full(text: str, options: Options) -> StageOutput | None:
    """The stage with every fast path forced off (as in ``test_variant_fastpath``)."""
    if not variant._HAN.search(text) or options.lang in ("ja", "ko"):
        return None
    return variant._full_stage(text, options)


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("text", DOCUMENTS)
def test_stage_equals_full_analysis(text: str, target: Target) -> None:
    for code in (False, True):
        options = Options(target=target, is_source_code=code)
        assert variant.stage(text, Context(options)) == _full(text, options)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_spans_hold_exactly_the_chinese_passages(text: str) -> None:
    """Every passage the analysis marks Japanese or Korean lies outside the spans, every
    other one inside a span."""
    spans = foreign.chinese_spans(text)
    if spans is None:
        pytest.skip("the segmentation decides this text (see test_undecided_text)")
    for passage in segment.passages(text):
        inside = any(s <= passage.start and passage.end <= e for s, e in spans)
        outside = all(passage.end <= s or e <= passage.start for s, e in spans)
        assert outside if passage.region is Region.FOREIGN else inside, passage


def test_undecided_text_takes_the_analysis() -> None:
    """Kana around a mixed line's CJK runs: the paragraph's share of kana says Japanese,
    the share in its units (which the segmentation cuts) says Chinese."""
    text = _doc(KANA_AROUND_RUNS, SIMPLIFIED, SIMPLIFIED)
    assert foreign.chinese_spans(text) is None
    first = segment.passages(text)[0]
    assert first.region is not Region.FOREIGN and first.start > 0


class _AnalysisCalled(Exception):
    pass


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise _AnalysisCalled


@pytest.mark.parametrize("target", ["keep", "zh-Hans", "zh-Hant", "zh-TW"])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_cpython("shift_jis-utf8.txt", JAPANESE) * 20, id="cpython-japanese"),
        pytest.param(_cpython("euc_kr-utf8.txt", KOREAN) * 20, id="cpython-korean"),
        pytest.param(_doc(*[KOREAN_HANJA, KOREAN] * 20), id="korean-with-hanja"),
        pytest.param(_doc(*[JAPANESE, JAPANESE_KANJI_LINES] * 20), id="kanji-only-lines"),
        pytest.param(
            _doc(*[SIMPLIFIED, JAPANESE, KOREAN, RUSSIAN, ENGLISH] * 20), id="mixed-scripts"
        ),
        # kana and hangul only after foreign.KANA_PEEK characters: the candidate scans
        # come first, then the cut
        pytest.param(_doc(ENGLISH * 80, *[KOREAN_HANJA] * 20), id="korean-after-a-preamble"),
        pytest.param(_doc(ENGLISH * 80, *[JAPANESE] * 20), id="japanese-after-a-preamble"),
    ],
)
def test_japanese_and_korean_documents_skip_the_analysis(
    text: str, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(variant, "_Analysis", _refuse)
    assert variant.stage(text, Context(Options(target=target))) is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        pytest.param(_doc(*[JAPANESE, SIMPLIFIED] * 5), "keep", id="simplified-keep"),
        pytest.param(_doc(*[JAPANESE, SIMPLIFIED] * 5), "zh-Hans", id="simplified-zh-Hans"),
        pytest.param(_doc(*[JAPANESE, TRADITIONAL] * 5), "keep", id="traditional-keep"),
        pytest.param(_doc(*[JAPANESE, TRADITIONAL] * 5), "zh-Hant", id="traditional-zh-Hant"),
        pytest.param(_doc(*[JAPANESE, TRADITIONAL] * 5), "zh-TW", id="traditional-zh-TW"),
        pytest.param(
            _doc(*[JAPANESE, JAPANESE_LIST, TRADITIONAL] * 5), "keep", id="list-beside-traditional"
        ),
        pytest.param(
            _doc(*[KOREAN_HANJA, TRADITIONAL, TRADITIONAL] * 5),
            "zh-Hant",
            id="hanja-beside-traditional",
        ),
    ],
)
def test_clean_chinese_beside_japanese_skips_the_analysis(
    text: str, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Japanese paragraphs' kanji (国, 東, 語) are candidates of both scripts; cut
    out, they no longer make the document look mixed."""
    assert not segment._is_foreign(text, 0, len(text))  # Japanese paragraphs, not document
    monkeypatch.setattr(variant, "_Analysis", _refuse)
    assert variant.stage(text, Context(Options(target=target))) is None


@pytest.mark.parametrize(
    ("text", "target", "analysed"),
    [
        pytest.param(_doc(JAPANESE, SIMPLIFIED), "zh-Hant", False, id="simplified-to-zh-Hant"),
        pytest.param(_doc(JAPANESE, SIMPLIFIED), "zh-TW", False, id="simplified-to-zh-TW"),
        pytest.param(
            _doc(*[JAPANESE, TRADITIONAL] * 3), "zh-Hans", False, id="traditional-to-zh-Hans"
        ),
        pytest.param(
            _doc(JAPANESE, OPENCC_TRADITIONAL), "zh-TW", False, id="opencc-standard-to-zh-TW"
        ),
        pytest.param(_doc(KOREAN_HANJA, SIMPLIFIED, SIMPLIFIED), "zh-HK", False, id="beside-hanja"),
        # two scripts, or mainland words to report: the analysis decides
        pytest.param(_doc(JAPANESE, TRADITIONAL, SIMPLIFIED), "keep", True, id="two-variants"),
        pytest.param(
            _doc(JAPANESE, TRADITIONAL, SIMPLIFIED), "zh-Hans", True, id="two-variants-zh-Hans"
        ),
        pytest.param(_doc(JAPANESE, MAINLAND_IN_TRADITIONAL), "keep", True, id="mainland-words"),
        pytest.param(
            _doc(JAPANESE, MAINLAND_IN_TRADITIONAL), "zh-Hant", True, id="mainland-words-zh-Hant"
        ),
    ],
)
def test_chinese_that_needs_work_still_gets_it(
    text: str, target: Target, analysed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chinese paragraphs in one script beside Japanese or Korean ones are converted at
    once (``foreign.whole_chinese``), exactly as the analysis converts them; the
    Japanese and Korean paragraphs are left as they are."""
    options = Options(target=target)
    expected = _full(text, options)
    assert expected is not None and (expected.changes or expected.findings)
    if not analysed:
        monkeypatch.setattr(variant, "_Analysis", _refuse)
    out = variant.stage(text, Context(options))
    assert out == expected
    assert not any(segment._KANA_HANGUL.search(c.before) for c in out.changes)


def _naive_is_foreign(text: str, start: int, end: int) -> bool:
    """The rule as first written: count everything, then compare."""
    kana = len(segment._KANA_HANGUL.findall(text, start, end))
    if not kana:
        return False
    return kana / (kana + len(evidence._HAN.findall(text, start, end))) >= segment.FOREIGN_SHARE


SHARES = [
    pytest.param("の" + "中" * 9, id="exactly-a-tenth"),
    pytest.param("の" + "中" * 10, id="just-under-a-tenth"),
    pytest.param("中" * 9 + "の", id="kana-last"),
    pytest.param("中" * 90 + "の" * 10 + "abc" * 50, id="kana-late-then-latin"),
    pytest.param("の" * 10 + "中" * 91, id="kana-first-under"),
    pytest.param("한" * 3 + "abc" * 40 + "中" * 27, id="hangul"),
    pytest.param("abc" * 30, id="no-cjk"),
    pytest.param("𠮷" * 9 + "の", id="supplementary-han"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("chunk", [1, 3, 7, segment.SHARE_CHUNK])
@pytest.mark.parametrize("text", SHARES)
def test_chunked_share_equals_the_plain_count(
    text: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment, "SHARE_CHUNK", chunk)
    for start, end in [(0, len(text)), (1, len(text)), (0, max(len(text) - 1, 0))]:
        assert segment._is_foreign(text, start, end) == _naive_is_foreign(text, start, end)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["の", "한", "中", "𠮷", "a", "\n", "。"]), max_size=60).map("".join),
    st.integers(1, 8),
)
def test_chunked_share_equals_the_plain_count_on_random_text(text: str, chunk: int) -> None:
    original = segment.SHARE_CHUNK
    segment.SHARE_CHUNK = chunk
    try:
        assert segment._is_foreign(text, 0, len(text)) == _naive_is_foreign(text, 0, len(text))
    finally:
        segment.SHARE_CHUNK = original


# Catalogue lines per language for the real documents below (a few thousand characters
# each: many rounds of a small chunk, and several of the real one once joined).
SHARE_LINES = 1500


def _real_share_documents() -> list[tuple[str, str]]:
    """Real Japanese or Korean lines among real Chinese ones, in shares of lines around
    the rule's own, first, last and interleaved; and CPython's Japanese and Korean texts."""
    out = [
        (name, _cpython(name, ""))
        for name in ("shift_jis-utf8.txt", "cp949-utf8.txt", "euc_jisx0213-utf8.txt")
    ]
    chinese = list(catalogue_lines("zh_CN", SHARE_LINES))
    for lang in ("ja", "ko"):
        foreign = list(catalogue_lines(lang, SHARE_LINES))
        if not chinese or not foreign:
            continue
        # the fewest foreign lines that make the first-order document foreign: that
        # document and the one with a line fewer lie on either side of the rule
        flip = bisect.bisect(
            range(len(foreign) + 1),
            False,
            key=lambda n: _naive_is_foreign("\n".join(foreign[:n] + chinese), 0, 10**9),
        )
        for share in (0.01, 0.05, 0.2, 0.5, 1.0, (flip - 1) / len(chinese), flip / len(chinese)):
            n = round(len(chinese) * share)
            rng = random.Random(f"{lang}{share}")
            mixed = foreign[:n] + chinese[: len(chinese) - n]
            rng.shuffle(mixed)
            for order, lines in (
                ("first", foreign[:n] + chinese),
                ("last", chinese + foreign[:n]),
                ("shuffled", mixed),
            ):
                out.append((f"{lang}-{share}-{order}", "\n".join(lines)))
    return [(name, text) for name, text in out if text]


@pytest.mark.parametrize("chunk", [64, 4_096, segment.SHARE_CHUNK])
def test_chunked_share_equals_the_plain_count_on_real_text(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Japanese documents settle on their kana alone (Han are counted only once the kana
    fall below the share of what was read): the same answer as counting everything."""
    monkeypatch.setattr(segment, "SHARE_CHUNK", chunk)
    documents = _real_share_documents()
    assert documents
    for name, text in documents:
        for start, end in [(0, len(text)), (len(text) // 3, len(text))]:
            expected = _naive_is_foreign(text, start, end)
            assert segment._is_foreign(text, start, end) == expected, (name, start)
        for start, end in segment._paragraphs(text)[:200]:
            assert segment._is_foreign(text, start, end) == _naive_is_foreign(text, start, end)


PARAGRAPHS = [
    JAPANESE,
    JAPANESE_KANJI_LINES,
    JAPANESE_LIST,
    KOREAN_HANJA,
    KOREAN,
    SIMPLIFIED,
    TRADITIONAL,
    MAINLAND_IN_TRADITIONAL,
    OPENCC_TRADITIONAL,
    MIXED_LINE,
    NO_EVIDENCE,
    STRAY_NO,
    KANA_AROUND_RUNS,
    ENGLISH,
    "日本国憲法",
    "我们",
    "這個",
    "ですね",
    "`这个` の 這個",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=8),
    st.lists(st.sampled_from(["\n\n", "\n", "\n \n\n", "\r\n\r\n"]), min_size=7, max_size=7),
    st.sampled_from(target_names()),
)
def test_stage_equals_full_analysis_on_random_documents(
    paragraphs: list[str], breaks: list[str], target: Target
) -> None:
    text = "".join(p + b for p, b in zip(paragraphs, breaks, strict=False))
    options = Options(target=target)
    assert variant.stage(text, Context(options)) == _full(text, options)
    spans = foreign.chinese_spans(text)
    if spans is not None:
        for passage in segment.passages(text):
            inside = any(s <= passage.start and passage.end <= e for s, e in spans)
            assert inside == (passage.region is not Region.FOREIGN), passage


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "中", " ", "\u3000", "\t", "\x0b", "\x85", "\u2028", "\r", "\n"]),
        max_size=40,
    ).map("".join)
)
def test_paragraphs_as_the_analysis_reads_lines(text: str) -> None:
    assert segment._paragraphs(text) == paragraphs_line_by_line(text)


@pytest.mark.parametrize("codec", ["shift_jis", "euc_kr"])
def test_lacking_class_is_the_charset_test(codec: str) -> None:
    """``foreign._lacking`` agrees with ``evidence._in_charset`` on every Han character,
    the supplementary ones included (which the class takes whole)."""
    pattern = foreign._lacking(codec)
    for first, last in [*evidence._BMP_HAN, (0x20000, 0x3134F)]:
        for i in range(first, last + 1):
            c = chr(i)
            assert (pattern.match(c) is None) == evidence._in_charset.__wrapped__(c, codec), c
