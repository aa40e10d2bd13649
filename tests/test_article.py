"""The seed article (samples/000_825338dbf911db84.txt), repaired end to end.

Its damage: characters converted to Traditional one at a time by a table; pinyin for a
fixed list of them inserted by byte replacement on the GBK bytes; full-width punctuation
narrowed the same way; a lossy GBK decode. Two byte replacements matched across a
character boundary and left garbles (``規(guī)?;?`` = 規模化, ``當(dāng)?shù)仄髽I(yè)`` = 當地企業)
that the East-Asian mojibake stage (``fixenc/mojibake/lost_bytes.py``, running before this
one) turns into ``規(guī)模化`` and ``當(dāng)地企業(yè)``. The whole article must match both gold
files exactly; the masked comparison keeps the rest checked on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from fixenc.model import Kind, Op, Options, Target
from fixenc.pipeline import repair
from fixenc.replay import replay

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAME = "000_825338dbf911db84"
RAW = (SAMPLES / f"{NAME}.txt").read_text(encoding="utf-8")
GOLD = {
    "keep": (SAMPLES / f"{NAME}.gold-keep.txt").read_text(encoding="utf-8"),
    "zh-Hans": (SAMPLES / f"{NAME}.gold-zh-Hans.txt").read_text(encoding="utf-8"),
}
# The two garbles and what the mojibake stage makes of them (its documented output).
GARBLES = {"規(guī)?;?": "規(guī)模化", "當(dāng)?shù)仄髽I(yè)": "當(dāng)地企業(yè)"}
# In any output: from the garbled word's first character (either script) to the next
# enumeration comma / to 作用, which follow each garble in the article.
_MASKS = (
    re.compile("(?<=[規规]).*?(?=、組織化|、组织化)"),
    re.compile("(?<=[當当]).{0,12}?(?=作用)"),
)
TARGETS: list[Target] = ["keep", "zh-Hans"]


def mask(text: str) -> str:
    """Blank out the two garbled spans so the rest can be compared exactly.

    >>> mask("規?;?、組織化 當?shù)仄髽I作用")
    '規…、組織化 當…作用'
    """
    for pattern in _MASKS:
        text, n = pattern.subn("…", text, count=1)
        assert n == 1, pattern.pattern
    return text


def with_mojibake_stage(text: str) -> str:
    """What the input of this branch's stages will be once the mojibake stage runs."""
    for garble, repaired in GARBLES.items():
        assert garble in text
        text = text.replace(garble, repaired)
    return text


@pytest.mark.parametrize("target", TARGETS)
def test_whole_article_exact(target: Target) -> None:
    assert repair(RAW, Options(target=target)).text == GOLD[target]


@pytest.mark.parametrize("target", TARGETS)
def test_article_outside_the_two_garbles(target: Target) -> None:
    assert mask(repair(RAW, Options(target=target)).text) == mask(GOLD[target])


@pytest.mark.parametrize("target", TARGETS)
def test_article_line_by_line(target: Target) -> None:
    """Every line is exact, the one holding both garbles (line 4) included."""
    out = repair(RAW, Options(target=target)).text.split("\n")
    gold = GOLD[target].split("\n")
    assert len(out) == len(gold) == 8
    assert [i for i, (a, b) in enumerate(zip(out, gold, strict=True)) if a != b] == []


@pytest.mark.parametrize("target", TARGETS)
def test_article_after_mojibake_stage_is_exact(target: Target) -> None:
    assert repair(with_mojibake_stage(RAW), Options(target=target)).text == GOLD[target]


@pytest.mark.parametrize("target", TARGETS)
def test_second_run_changes_nothing(target: Target) -> None:
    once = repair(with_mojibake_stage(RAW), Options(target=target))
    twice = repair(once.text, Options(target=target))
    assert twice.changes == ()
    assert twice.text == once.text


def test_every_annotation_is_its_own_change() -> None:
    result = repair(with_mojibake_stage(RAW), Options(target="keep"))
    annotations = [c for c in result.changes if c.kind is Kind.ANNOTATION]
    # 176 bracketed syllables in the input, all removed, one change each
    assert len(annotations) == len(
        re.findall(r"\([a-zü\u00e0-\u01dc]+\)", with_mojibake_stage(RAW))
    )
    assert len(annotations) == 176
    assert Counter(c.kind for c in result.changes) == {Kind.ANNOTATION: 176}
    for change in annotations:
        assert change.steps == (change.steps[0],) and change.steps[0].op is Op.DELETE
        assert change.before.startswith("(") and change.after == ""
        assert change.line >= 1 and change.column >= 1
        assert replay(change.steps, change.before) == ""


def test_every_conversion_is_its_own_change() -> None:
    result = repair(with_mojibake_stage(RAW), Options(target="zh-Hans"))
    conversions = [c for c in result.changes if c.kind is Kind.VARIANT]
    # One per run of changed lines (render._convert_piece): every line of a change
    # differs from its conversion. The article is one paragraph whose lines all change.
    assert conversions
    for change in conversions:
        assert change.steps[0].op is Op.OPENCC and change.steps[0].arg == "t2s"
        assert "t2s" in change.reason
        assert replay(change.steps, change.before) == change.after
        lines, converted = change.before.split("\n"), change.after.split("\n")
        assert all(a != b for a, b in zip(lines, converted, strict=True))


def test_keep_reports_mainland_vocabulary() -> None:
    """The article was converted from Simplified: Taiwan would write 專案 for 項目."""
    result = repair(with_mojibake_stage(RAW), Options(target="keep"))
    words = {f.text for f in result.findings if f.kind is Kind.VARIANT}
    assert "項目" in words
    assert all("machine-converted" in f.reason for f in result.findings)


def test_clean_gold_is_a_fixed_point() -> None:
    """The expected outputs themselves need nothing under their own target."""
    for target in TARGETS:
        assert repair(GOLD[target], Options(target=target)).changes == ()
