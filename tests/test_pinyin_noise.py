"""Converter-inserted pinyin annotations (fixenc/stages/pinyin_noise.py), with real pypinyin/OpenCC."""

from __future__ import annotations

import random
import time

import pytest
from pypinyin import Style, pinyin

from fixenc.convert import convert_with
from fixenc.model import Context, Kind, Op, Options, Step
from fixenc.pipeline import repair
from fixenc.stages import pinyin_noise

# A Simplified news paragraph, unrelated to the seed article.
NEWS = (
    "记者从市交通运输局获悉，为进一步方便市民出行，本市将开通三条新的公交线路。"
    "新线路经过医院、学校和商业区，预计下个月正式运营。"
    "交通部门表示，将根据乘客反馈及时调整发车时间，确保服务质量。\n"
    "据了解，今年以来全市共新开和优化公交线路二十条，乘客满意度明显提高。\n"
)
# The converter's fixed list: Traditional characters whose pinyin it inserts.
ANNOTATED = frozenset("從進為運務醫學預營據區時確調質門條滿顯開線來")


def damage(simplified: str, *, style: Style = Style.TONE, brackets: str = "()") -> tuple[str, str]:
    """The forensic process of the seed article, re-enacted on other text: convert
    character by character with a table, then append the first reading of every
    character on the fixed list, whatever the context. Returns (damaged, clean)."""
    clean = "".join(convert_with("s2t", c) for c in simplified)
    out = []
    for c in clean:
        out.append(c)
        if c in ANNOTATED:
            out.append(brackets[0] + pinyin(c, style=style)[0][0] + brackets[1])
    return "".join(out), clean


@pytest.mark.parametrize(
    ("style", "brackets"),
    [
        pytest.param(Style.TONE, "()", id="tone-marks"),
        pytest.param(Style.TONE3, "()", id="tone-numbers"),
        pytest.param(Style.TONE, "（）", id="full-width-brackets"),
    ],
)
def test_reenacted_damage_is_removed(style: Style, brackets: str) -> None:
    damaged, clean = damage(NEWS, style=style, brackets=brackets)
    assert damaged != clean
    result = repair(damaged, Options(target="keep"))
    assert result.text == clean
    assert {c.kind for c in result.changes} == {Kind.ANNOTATION}
    assert len(result.changes) == damaged.count(brackets[0])
    for change in result.changes:
        assert change.after == "" and change.steps == (Step(Op.DELETE),)
        assert damaged[change.start : change.end] == change.before
        assert damaged[change.start - 1] in ANNOTATED
        assert change.before.strip("()（）") in change.reason


def test_reenacted_damage_to_simplified_target() -> None:
    damaged, _clean = damage(NEWS)
    # OpenCC phrase conversion needs the annotations gone first: 下個(gè)月 is one word
    assert repair(damaged, Options(target="zh-Hans")).text == convert_with(
        "t2s", "".join(convert_with("s2t", c) for c in NEWS)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "來(lái)源:各界導(dǎo)報(bào)-各界新聞網(wǎng)\n",
            "來源:各界導報-各界新聞網\n",
            id="seed-style",
        ),
        pytest.param("來(lai2)源:導(dao3)報(bao4)網(wang3)\n", "來源:導報網\n", id="tone-numbers"),
        pytest.param("來（lái）源：導（dǎo）報（bào）\n", "來源：導報\n", id="full-width"),
        pytest.param(
            "來(la\u0301i)源:導(da\u030co)報(ba\u0300o)\n", "來源:導報\n", id="combining-tone-marks"
        ),
        pytest.param("綠(lǜ)色的導(dǎo)報(bào)\n", "綠色的導報\n", id="u-umlaut"),
        pytest.param("綠(lv4)色的導(dao3)報(bao4)\n", "綠色的導報\n", id="u-umlaut-as-v"),
        pytest.param("他們(men)來(lái)的導(dǎo)報\n", "他們來的導報\n", id="neutral-tone"),
        pytest.param(
            "見 `來(lái)源` 之外的導(dǎo)報(bào)們(men)\n",
            "見 `來(lái)源` 之外的導報們\n",
            id="code-span-protected",
        ),
    ],
)
def test_removed(text: str, expected: str) -> None:
    assert repair(text, Options()).text == expected


TEXTBOOK = "你(nǐ)好(hǎo)！我(wǒ)們(men)是(shì)學(xué)生(shēng)。\n"

KEPT = [
    pytest.param(TEXTBOOK, id="textbook-traditional"),
    pytest.param(
        "你(nǐ)好(hǎo)！我(wǒ)们(men)是(shì)学(xué)生(shēng)。\n", id="textbook-simplified"
    ),
    pytest.param(
        "銀行(yínháng)、學校(xuéxiào)、醫院(yīyuàn)、電話(diànhuà)\n", id="glossary-words"
    ),
    pytest.param(
        "書(shū)：book\n車(chē)：car\n門(mén)：door\n電(diàn)：power\n", id="glossary-headwords"
    ),
    pytest.param("劉(Liú)先生說(Shuō)話，張(Zhāng)先生聽(Tīng)。\n", id="names-capitalised"),
    pytest.param("張偉(Zhāng Wěi)和陳靜(Chén Jìng)、林(lín)\n", id="name-readings"),
    pytest.param("來(qù)源:各界導(xiě)報(bào)\n", id="wrong-readings-break-the-pattern"),
    pytest.param("來(lai)源:各界導(dao)報(bao)網(wang)\n", id="toneless-is-not-evidence"),
    pytest.param("中文(Chinese)與英文(English)，導(dǎo)報\n", id="english-glosses"),
    pytest.param("調用函數 f(x) 和 g(y)，見說明(1)\n", id="maths-and-numbers"),
    pytest.param("这是来(lái)源和导(dǎo)报(bào)\n", id="simplified-characters-not-converted"),
    pytest.param("來(lái)源:導(dǎo)報\n", id="only-twice-is-reported-not-removed"),
    pytest.param(
        "長(zhǎng)輩的長(cháng)度，樂(yuè)器和樂(lè)觀，還(hái)是還(huán)錢\n",
        id="polyphones-taught-on-purpose",
    ),
]


@pytest.mark.parametrize("text", KEPT)
def test_kept(text: str) -> None:
    result = repair(text, Options(target="keep"))
    assert result.text == text
    assert not any(c.kind is Kind.ANNOTATION for c in result.changes)


def test_too_few_is_reported() -> None:
    result = repair("來(lái)源:導(dǎo)報\n", Options())
    assert [f.text for f in result.findings] == ["(lái)", "(dǎo)"]
    assert all(f.kind is Kind.ANNOTATION and f.candidates[0].text == "" for f in result.findings)


def test_textbook_line_inside_damaged_document_survives() -> None:
    damaged, clean = damage(NEWS)
    result = repair(damaged + TEXTBOOK, Options())
    assert result.text == clean + TEXTBOOK


def test_idempotent() -> None:
    damaged, _clean = damage(NEWS)
    once = repair(damaged, Options()).text
    assert repair(once, Options()).changes == ()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("No brackets at all, just English. " * 5000, id="english"),
        pytest.param("没有括号的中文文本。" * 20000, id="chinese-without-brackets"),
        pytest.param("Text (with) brackets (but) no Han. " * 5000, id="brackets-without-han"),
    ],
)
def test_fast_path(text: str) -> None:
    start = time.perf_counter()
    assert pinyin_noise.stage(text, Context(Options())) is None
    assert time.perf_counter() - start < 0.05  # one regex scan over ~200 KB: ~1 ms


def _pypinyin_readings(char: str) -> frozenset[str]:
    """What ``chars.readings`` must answer, asked of pypinyin itself (tone marks and
    TONE3 numbers with ü as v, the neutral tone bare and as 5 or 0)."""
    out: set[str] = set()
    for style in (Style.TONE, Style.TONE3):
        for reading in pinyin(char, style=style, heteronym=True, errors="ignore")[0:1]:
            out.update(r.replace("ü", "v") if style is Style.TONE3 else r for r in reading)
    neutral = {r for r in out if r.isascii() and r.isalpha()}
    out |= {r + "5" for r in neutral} | {r + "0" for r in neutral}
    return frozenset(out)


def test_readings_match_pypinyin_for_every_character() -> None:
    """``chars.readings`` reads pypinyin's character table without importing pypinyin
    (issue 12: its phrase dictionary costs a worker about 56 MiB): every character of
    that table, and a few outside it, must get exactly pypinyin's readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    from fixenc.chars import readings

    outside = [ord("A"), ord("あ"), ord("가"), ord("。")]
    wrong = [
        chr(code)
        for code in [*pinyin_dict, *outside]
        if readings(chr(code)) != _pypinyin_readings(chr(code))
    ]
    assert len(pinyin_dict) > 40_000
    assert wrong == []


def test_readings_leave_pypinyin_unimported() -> None:
    """A fresh process that looks up readings (the pinyin stage on annotations such as
    ``子(fd)``, common in technical Chinese) does not import pypinyin."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fixenc.pipeline import repair\n"
        "repair('文件描述子(fd)和解码(demangle)，來(lai)源 來(lai)自 來(lai)往\\n')\n"
        "from fixenc.chars import readings\n"
        "assert 'lái' in readings('來')\n"
        "print('pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# Texts whose brackets sit in every position the bracket-led search must get right.
_BRACKETS = [
    pytest.param("來(lái)源（yuán）", id="both-bracket-kinds"),
    pytest.param("(lái)來(lái)", id="bracket-at-start"),
    pytest.param("來((lái)", id="doubled-bracket"),
    pytest.param("來(lái)(lái)源", id="annotation-after-annotation"),
    pytest.param("𠀀(a)來(b c)", id="astral-han"),
    pytest.param("word(lái) 來 (lái)", id="no-han-before"),
    pytest.param("來(lái", id="unclosed"),
    pytest.param("來(ok)源(x-y')長(zhǎng)", id="mixed-bodies"),
]


@pytest.mark.parametrize("text", _BRACKETS)
def test_bracket_led_search_equals_the_plain_one(text: str) -> None:
    plain = [m.span() for m in pinyin_noise._ANNOTATION.finditer(text)]
    assert [m.span() for m in pinyin_noise._annotations(text)] == plain


def test_bracket_led_search_on_random_text() -> None:
    rng = random.Random(11)
    alphabet = "來源長好 a(b)（）'-1\n𠀀"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        plain = [m.span() for m in pinyin_noise._ANNOTATION.finditer(text)]
        assert [m.span() for m in pinyin_noise._annotations(text)] == plain, text
