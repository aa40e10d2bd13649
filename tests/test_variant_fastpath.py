"""The variant stage's fast path gives exactly what the full analysis gives.

``variant.stage`` skips the whole analysis when two regex scans (and, for clean
Traditional text, the mainland-vocabulary lookup) prove it would find nothing. Each
table compares the stage against ``variant._full_stage`` — the same stage with the fast
path forced off — and checks that clean text really avoids the analysis.
"""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc.convert import convert_with
from fixenc.model import Context, Options, StageOutput, Target
from fixenc.stages import variant
from fixenc.stages.variant import evidence
from fixenc.targets import names as target_names

TAIWAN = "我們在台灣的軟體公司工作，這裡的同事都很友善。他被雇用了三年，常常去天文台看星星。\n"
HONG_KONG = "我哋喺香港返工，佢住喺天文台附近，裏面有好多人，每日食飯都好開心。\n"
OPENCC_TRADITIONAL = "他在天文臺工作，這裏的羣衆很多，大家一起喫飯。\n"
SIMPLIFIED = "我们在北京的软件公司工作，这里的同事都很友善。他被雇用了三年。\n"

INPUTS = [
    pytest.param(TAIWAN, id="clean-taiwan"),
    pytest.param(HONG_KONG, id="clean-hong-kong"),
    pytest.param(OPENCC_TRADITIONAL, id="clean-opencc-standard"),
    pytest.param(SIMPLIFIED, id="clean-simplified"),
    pytest.param("中文中文\n", id="no-distinguishing-characters"),
    pytest.param("Plain English, Café.\n", id="no-han"),
    pytest.param("我们是学生。\n\n這個很好。\n", id="mixed-document"),
    pytest.param("我们是學生，這个很好。\n", id="mixed-line"),
    pytest.param("The word 軟體 means software, 软件 too.\n", id="mixed-language-line"),
    pytest.param("這個軟件很好用，信息也很多。\n", id="mainland-vocabulary-in-traditional"),
    pytest.param("我們坐出租車去機場。\n", id="mainland-vocabulary-出租車"),
    pytest.param("這個軟體很好用，資訊也很多。\n", id="taiwan-vocabulary"),
    pytest.param("她被雇用了，在天文台工作。這是真的。\n", id="traditional-雇-天文台"),
    pytest.param("他们去了。這\n", id="simplified-with-one-traditional"),
    pytest.param("東京の天気は晴れです。国語の勉強をしました。\n", id="japanese"),
    pytest.param("日本国憲法\n\n東京の天気は晴れです。\n\n第一章　天皇\n", id="japanese-heading"),
    pytest.param("大韓民國의 首都는 서울이다. 學校에 갑니다.\n", id="korean"),
    pytest.param("這是 `这个命令` 的說明。\n", id="simplified-in-code-span"),
    pytest.param("這是說明，見 https://例子.com/软件 。\n", id="simplified-in-url"),
    pytest.param(
        "這是說明。\n# fixenc: off\n这是简体\n# fixenc: on\n", id="simplified-switched-off"
    ),
    pytest.param("這是 `軟件` 的說明。\n", id="mainland-word-in-code-span"),
    pytest.param("𠮷野家的說明。\n", id="supplementary-han-traditional"),
    pytest.param("𠮷野家的说明。\n", id="supplementary-han-simplified"),
    pytest.param(
        "你(nǐ)好(hǎo)！我(wǒ)們(men)是(shì)學(xué)生(shēng)。\n", id="pinyin-traditional"
    ),
    pytest.param("// 計算總數\nint 總數 = 0;  /* 這裡是註解 */\n", id="c-with-traditional"),
    pytest.param("", id="empty"),
    pytest.param("他在天文臺工作。\n\n我們在台灣。\n", id="opencc-and-taiwan-paragraphs"),
    pytest.param("純喫茶的店。\n喫飯\n", id="taiwan-variant-phrase"),
    pytest.param("這裏\r\n裡面\r裏\n", id="line-breaks-of-each-kind"),
    pytest.param("這是 `裏面` 的說明。\n", id="opencc-variant-in-code-span"),
    pytest.param(
        "這個軟件很好用，群組裡的人都說。\n\n我們在台灣，這裡很好。\n",
        id="mainland-and-taiwan-paragraphs",
    ),
    pytest.param("English only\nthanks to 张\nmore English\n", id="one-name-in-english"),
    pytest.param(
        "營業中\n台灣\n# fixenc: off裡面# fixenc: on\n", id="standard-mark-only-in-protected-line"
    ),
    pytest.param("東京の天気です。\n\n東京都新宿区\n\n我们这里\n", id="japanese-list-and-chinese"),
]


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("text", INPUTS)
def test_fast_path_equals_full_analysis(text: str, target: Target) -> None:
    for code in (False, True):
        options = Options(target=target, is_source_code=code)
        assert variant.stage(text, Context(options)) == _full(text, options)


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize(
    "name", ["clean-traditional.txt", "000_825338dbf911db84.gold-zh-Hans.txt", "README.md"]
)
def test_fast_path_equals_full_analysis_on_samples(name: str, target: Target) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    options = Options(target=target)
    assert variant.stage(text, Context(options)) == _full(text, options)


def _full(text: str, options: Options) -> StageOutput | None:
    """The stage with the fast path forced off (the no-Han exit is not the fast path)."""
    if not variant._HAN.search(text) or options.lang in ("ja", "ko"):
        return None
    return variant._full_stage(text, options)


class _AnalysisCalled(Exception):
    pass


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise _AnalysisCalled


@pytest.mark.parametrize(
    ("text", "target"),
    [
        pytest.param(TAIWAN * 50, "keep", id="taiwan-keep"),
        pytest.param(HONG_KONG * 50, "keep", id="hong-kong-keep"),
        pytest.param(TAIWAN * 50, "zh-Hant", id="taiwan-zh-Hant"),
        pytest.param(SIMPLIFIED * 50, "keep", id="simplified-keep"),
        pytest.param(SIMPLIFIED * 50, "zh-Hans", id="simplified-zh-Hans"),
        pytest.param("中文中文\n" * 50, "zh-TW", id="both-zh-TW"),
        pytest.param("中文中文\n" * 50, "zh-HK", id="both-zh-HK"),
        pytest.param("中文中文\n" * 50, "zh-Hant", id="both-zh-Hant"),
        pytest.param(TAIWAN * 50, "zh-TW", id="taiwan-zh-TW"),
        pytest.param(HONG_KONG * 50, "zh-HK", id="hong-kong-zh-HK"),
        pytest.param("我們在台灣。東京の天気は晴れです。\n" * 50, "keep", id="japanese-keep"),
        # kana are a tenth of the CJK letters: the whole document is Japanese
        pytest.param("東京の天気。\n\n这是简体。\n", "zh-Hant", id="japanese-document"),
    ],
)
def test_clean_text_skips_the_analysis(
    text: str, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(variant, "_Analysis", _refuse)
    assert variant.stage(text, Context(Options(target=target))) is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        pytest.param("我们是学生。\n\n這個很好。\n", "keep", id="mixed-document-keep"),
        pytest.param("這個軟件很好用。\n", "keep", id="mainland-vocabulary-keep"),
        pytest.param("這個軟件很好用。\n", "zh-Hant", id="mainland-vocabulary-zh-Hant"),
        pytest.param("這個軟件很好用。\n", "zh-TW", id="mainland-vocabulary-zh-TW"),
        pytest.param("我们是學生。\n", "zh-Hant", id="mixed-line"),
        pytest.param("東京の天気。\n\n这是简体。這是繁體。\n", "zh-Hant", id="japanese-paragraph"),
    ],
)
def test_suspicious_text_takes_the_analysis(
    text: str, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(variant, "_Analysis", _refuse)
    with pytest.raises(_AnalysisCalled):
        variant.stage(text, Context(Options(target=target)))


@pytest.mark.parametrize(
    "configs",
    [
        pytest.param(evidence._PROBES_TRAD, id="trad"),
        pytest.param(evidence._PROBES_SIMP, id="simp"),
    ],
)
def test_candidate_class_matches_each_character_alone(configs: tuple[str, ...]) -> None:
    """Converting all characters line by line agrees with converting each one alone."""
    other = evidence._OTHER_CHARSET[configs[0]]
    expected = {
        chr(i)
        for first, last in evidence._BMP_HAN
        for i in range(first, last + 1)
        if all(convert_with(c, chr(i)) != chr(i) for c in configs)
        and not evidence._in_charset(chr(i), other)
    }
    assert evidence._candidate_class(configs) == expected
    assert len(expected) > 1000  # thousands of characters differ between the scripts


TOKENS = [
    *("头发", "頭髮", "天文台", "天文臺", "了解", "雇用", "僱用", "软件", "軟體", "軟件"),
    *("信息", "資訊", "出租车", "出租車", "里面", "裡面", "裏面", "着急", "著急", "后来"),
    *("後來", "喫飯", "群众", "羣衆", "中文", "𠮷", "の", "학", "，", "。", "\n", "\n\n"),
    *(" ", "abc", "`代码`", "`軟件`", "https://例子.com/发", "# fixenc: off", "# fixenc: on"),
    *("\r\n", "\r", "\r\n\r\n", "臺灣", "為", "機場快線", "機場快綫", "一"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join), st.sampled_from(target_names()))
def test_fast_path_equals_full_analysis_on_random_documents(text: str, target: Target) -> None:
    options = Options(target=target)
    assert variant.stage(text, Context(options)) == _full(text, options)
