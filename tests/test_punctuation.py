"""Optional CJK punctuation restoration (fixenc/punctuation.py)."""

from __future__ import annotations

import pytest

from fixenc.model import Context, Kind, Options
from fixenc.pipeline import repair
from fixenc.replay import replay
from fixenc.stages import punctuation

ON = Options(cjk_punctuation=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("工作,打赢打好", "工作，打赢打好", id="comma"),
        pytest.param("来源:各界导报", "来源：各界导报", id="colon"),
        pytest.param("第一;第二", "第一；第二", id="semicolon"),
        pytest.param("真的!好的?是的", "真的！好的？是的", id="exclamation-question"),
        pytest.param("(作者:张福娟)\n编辑", "（作者：张福娟）\n编辑", id="parenthesised-line"),
        pytest.param(
            "(作者:张福娟)\r\n编辑", "（作者：张福娟）\r\n编辑", id="parenthesised-line-crlf"
        ),
        pytest.param("记者(张三)报道", "记者（张三）报道", id="parentheses-between-han"),
        pytest.param("推进“八个一批”,强化", "推进“八个一批”，强化", id="after-closing-quote"),
        pytest.param("為推進漢中工作,打贏", "為推進漢中工作，打贏", id="traditional"),
        pytest.param("(好的!)\n", "（好的！）\n", id="mark-next-to-widened-bracket"),
        pytest.param(
            "中文,中文 <!-- fixenc: off -->中文,中文",
            "中文，中文 <!-- fixenc: off -->中文,中文",
            id="switched-off-region",
        ),
    ],
)
def test_widened(text: str, expected: str) -> None:
    result = repair(text, ON)
    assert result.text == expected
    assert all(c.kind is Kind.PUNCTUATION and len(c.before) == 1 for c in result.changes)
    assert all(replay(c.steps, c.before) == c.after for c in result.changes)
    assert repair(result.text, ON).changes == ()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("你(nǐ)好(hǎo)", id="pinyin"),
        pytest.param("电话:029-63903870", id="colon-before-digits"),
        pytest.param("时间 12:30, 地点 A", id="latin-context"),
        pytest.param("函数 f(x) 返回", id="maths"),
        pytest.param("见 https://例子.com/a,b:c 吧", id="url"),
        pytest.param("运行 `甲,乙` 吧", id="code-span"),
        pytest.param("Hello, world: (yes)!", id="english"),
    ],
)
def test_not_widened(text: str) -> None:
    result = repair(text, ON)
    assert result.text == text
    assert result.changes == ()


def test_off_by_default() -> None:
    assert punctuation.stage("工作,打赢", Context(Options())) is None
    assert repair("工作,打赢", Options()).text == "工作,打赢"
