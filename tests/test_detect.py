"""Detection (``fixenc.detect``): damaged spans and their hypotheses, no edits."""

from __future__ import annotations

import pytest

from fixenc import detect
from fixenc.model import Finding, Kind

CLEAN = "这是一段正常的文字。\n第二段也很正常。\n"


def find_spans(text: str) -> list[Finding]:
    return list(detect(text).findings)


@pytest.mark.parametrize(
    ("text", "span", "kind", "hypothesis", "repair"),
    [
        pytest.param(
            CLEAN + "浣犲ソ涓栫晫\n" + CLEAN,
            "浣犲ソ涓栫晫",
            Kind.MOJIBAKE,
            "utf-8 text read as gbk",
            "你好世界",
            id="utf8-as-gbk-paragraph",
        ),
        pytest.param(
            CLEAN + "ÄãºÃÊÀ½ç£¡\n" + CLEAN,
            "ÄãºÃÊÀ½ç£¡",
            Kind.MOJIBAKE,
            "gbk text read as",
            "你好世界！",
            id="gbk-as-latin1-paragraph",
        ),
        pytest.param(
            CLEAN + "涓�鏂囩紪鐮佹祴璇�\n",
            "涓�鏂囩紪鐮佹祴璇�",
            Kind.MOJIBAKE,
            "UTF-8 read as a double-byte codec",
            "中文编码测试",
            id="lossy",
        ),
        pytest.param(
            CLEAN + "规(guī)?;?、组织化\n",
            "?;?",
            Kind.MOJIBAKE,
            "out of step",
            "模化",
            id="out-of-step",
        ),
        pytest.param(
            CLEAN + "锟斤拷锟斤拷\n",
            "锟斤拷锟斤拷",
            Kind.UNRECOVERABLE,
            "锟斤拷",
            None,
            id="unrecoverable",
        ),
    ],
)
def test_finds_the_span_and_its_hypothesis(
    text: str, span: str, kind: Kind, hypothesis: str, repair: str | None
) -> None:
    (finding,) = find_spans(text)
    assert text[finding.start : finding.end] == finding.text == span
    assert finding.kind is kind
    assert hypothesis in finding.reason
    if repair is None:
        assert finding.candidates == ()
    else:
        assert finding.candidates[0].text == repair


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(CLEAN, id="zh"),
        pytest.param("Café, naïve, Größe", id="latin"),
        pytest.param("王㑇和陈喆是同学。", id="rare-names"),
        pytest.param("ﾃｽﾄ用のﾃﾞｰﾀ", id="halfwidth-kana"),
    ],
)
def test_clean_text_has_no_spans(text: str) -> None:
    assert find_spans(text) == []


def test_detection_does_not_edit() -> None:
    text = CLEAN + "浣犲ソ涓栫晫"
    before = str(text)
    find_spans(text)
    assert text == before
