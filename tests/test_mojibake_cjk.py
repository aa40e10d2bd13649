"""East-Asian round-trip mojibake (fixenc/mojibake/cjk.py), through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import load_cases

from fixenc.chars import UTF8_PAIRS_AS_CP949
from fixenc.model import Context, Kind, Op, Options, Step
from fixenc.pipeline import repair
from fixenc.replay import replay
from fixenc.stages import mojibake_cjk as cjk

REPAIRS = load_cases("mojibake.json", "text", "expected", "garbled_by", "garbled")
NEGATIVE = load_cases("mojibake_negative.json", "text")


@pytest.mark.parametrize(("text", "expected", "garbled_by", "garbled"), REPAIRS)
def test_repairs_exactly(
    text: str, expected: str, garbled_by: list[list[str]], garbled: str
) -> None:
    # the row is honest: garbling its span along its path gives the input
    value = garbled
    for enc, dec in garbled_by:
        value = value.encode(enc).decode(dec)
    assert text == expected.replace(garbled, value, 1)
    result = repair(text)
    assert result.text == expected
    for change in result.changes:
        assert (
            replay(change.steps, change.before) == change.after
        )  # every change replays from its steps
    assert repair(result.text).changes == ()  # idempotent


@pytest.mark.parametrize("text", NEGATIVE)
def test_clean_text_is_left_alone(text: str) -> None:
    result = repair(text)
    assert result.text == text
    assert result.changes == ()
    assert result.findings == ()


# Windows-1252 and Latin-1 agree on these bytes; the first codec in ROUND_TRIPS wins.
SINGLE = ("cp1252", "latin-1")


@pytest.mark.parametrize(
    ("text", "encoders", "decoder"),
    [
        pytest.param("浣犲ソ涓栫晫", ("gbk",), "utf-8", id="utf8-as-gbk"),
        pytest.param("ÖÐÎÄ±àÂë", SINGLE, "gbk", id="gbk-as-latin1"),
        pytest.param("¤¤¤å½s½X´ú¸Õ", SINGLE, "big5", id="big5-as-latin1"),
        pytest.param("笢恅晤鎢聆彸", ("big5",), "gbk", id="gbk-as-big5"),
        pytest.param("╓╨╬─▒α┬δ▓Γ╩╘", ("cp437",), "gbk", id="gbk-as-cp437"),
    ],
)
def test_change_records_the_codec_path(text: str, encoders: tuple[str, ...], decoder: str) -> None:
    out = cjk.stage(text, Context(Options()))
    assert out is not None
    (change,) = out.changes
    assert change.kind is Kind.MOJIBAKE
    assert change.steps[0].op is Op.ENCODE and change.steps[0].arg in encoders
    assert change.steps[1:] == (Step(Op.DECODE, decoder),)
    steps = change.steps
    assert replay(change.steps, change.before) == change.after
    # lossless: the inverse path gives the input back
    assert change.after.encode(steps[1].arg).decode(steps[0].arg) == change.before


@pytest.mark.parametrize(
    ("text", "expected", "reason_part"),
    [
        pytest.param("CafÃ© au lait", "Café au lait", "ftfy", id="utf8-as-latin1-stays-ftfys"),
        pytest.param("ÖÐÎÄ±àÂë²âÊÔ", "中文编码测试", "gbk text read as", id="not-ftfys-worse-fix"),
        pytest.param(
            "正常的第一段。\n浣犲ソ涓栫晫锛岃繖鏄竴涓祴璇曘��\n正常的最后一段。",
            "正常的第一段。\n浣犲ソ涓栫晫锛岃繖鏄竴涓祴璇曘��\n正常的最后一段。",
            "",
            id="lossy-utf8-as-gbk-is-not-a-round-trip",
        ),
    ],
)
def test_arbitration_with_ftfy(text: str, expected: str, reason_part: str) -> None:
    result = repair(text)
    if reason_part:
        assert result.text == expected
        assert any(reason_part in c.reason for c in result.changes)
    else:
        assert not any(c.steps and c.steps[0].op is Op.ENCODE for c in result.changes)


def test_one_garbled_paragraph_among_many_changes_only_that_paragraph() -> None:
    clean = "这是第一段，内容完全正常。\n第二段也没有问题。\n"
    text = clean + "ÎÒÃÇ½ñÌìÈ¥¹«Ô°" + "\n" + clean
    result = repair(text)
    assert result.text == clean + "我们今天去公园" + "\n" + clean
    (change,) = result.changes
    assert (change.line, change.column) == (3, 1)


_LENIENT = "sloppy-windows-1252"


def _path(text: str, wrote: str, read: str) -> str:
    return text.encode(wrote).decode(read)


# Shapes of garble met in the generated sets of tests/test_east_asian_directions.py that
# the stage used to leave half repaired, each with the rule that now covers it.
@pytest.mark.parametrize(
    ("text", "wrote", "read"),
    [
        # a printf conversion between CJK quotes is no ASCII word glued to CJK
        pytest.param(
            "訊息的類型，「%s」，不符合預期的類型「%s」", "gbk", _LENIENT, id="printf-in-quotes"
        ),
        # a C1 control (0x81) leads the ASCII trail byte of 。: not a word cut
        pytest.param(
            "ユーザーがファイル作成時のマスクを MODE に設定します。MODE が指定されない場合",
            "shift_jis",
            _LENIENT,
            id="c1-lead-ascii-trail",
        ),
        # one particle between Han words is Japanese, not a stray kana of garble
        pytest.param("SH エラー: 不明な再配置型 %d です", "shift_jis", _LENIENT, id="particle"),
        # the line's closing 。 and short user-defined pieces, under the line's consensus
        pytest.param(
            "您需要指定 NEWS 檔作為輸出，或是用「-」列印至 stdout。",
            "big5",
            "gb18030",
            id="lone-punct",
        ),
        pytest.param("用法：%s [選項] 輸入檔案", "big5", "gb18030", id="short-pua-pieces"),
        # CP949-only syllables (혻, 횪) join the EUC-KR readings of their line
        pytest.param(
            "Aide générale sur l'utilisation de logiciels GNU\xa0: <http://www.gnu.org/gethelp/>",
            "utf-8",
            "cp949",
            id="nbsp-cp949",
        ),
        pytest.param(
            "Chaque NOM correspond à une commande pour laquelle un réglage d'auto-complètement",
            "utf-8",
            "cp949",
            id="euc-kr-and-cp949-one-reader",
        ),
        pytest.param("-S, --buffer-size=GRÖẞE     GRÖẞE für", "utf-8", "cp949", id="latin-ext-add"),
        pytest.param("äquivalent", "utf-8", "cp949", id="word-start"),
        # a one-letter word alone in a line of Latin words
        pytest.param("O tipo de tamanho é desconhecido.", "utf-8", "cp949", id="lone-letter"),
        # an emoji read back is a clause's worth of evidence for its line
        pytest.param("长度 %d [🙏", "utf-8", "gbk", id="emoji-consensus"),
        pytest.param("%s：fread 失败👍", "utf-8", "gbk", id="emoji-punct-before-ascii"),
    ],
)
def test_generated_shapes_are_repaired(text: str, wrote: str, read: str) -> None:
    garbled = _path(text, wrote, read)
    assert garbled != text
    result = repair(garbled)
    assert result.text == text
    assert all(replay(c.steps, c.before) == c.after for c in result.changes)
    assert repair(result.text).changes == ()


# Correct text beside those rules' edges: each stays as it is.
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Ctrl키 + C", id="korean-noun-after-word"),
        pytest.param("Press Ctrl 키 or Alt 키", id="korean-word-alone-among-latin"),
        pytest.param("첫 page of the manual", id="korean-word-first"),
        pytest.param("Open the Windows 창 now", id="korean-word-welsh-letter"),
        pytest.param("이 값은 é 입니다", id="latin-letter-in-korean"),
        pytest.param("이 파일은 Linux판입니다", id="korean-suffix-after-word"),
        pytest.param("情報の取得中", id="japanese-particle"),
        pytest.param("用Python写的「soft」程序", id="ascii-word-in-chinese"),
        pytest.param("a `CafÃ©` b", id="code-span-quoted"),
        pytest.param("%s「%s」", id="printf-in-quotes"),
    ],
)
def test_text_beside_the_new_rules_is_left_alone(text: str) -> None:
    result = repair(text)
    assert result.text == text
    assert result.changes == ()


def test_full_width_colons_around_printf_are_no_big5_look_alike() -> None:
    """GBK read as Big5 turned ``：%s:%s：`` into ``券%s:%s券`` beside a repaired span:
    two double-byte characters are a look-alike, whatever ASCII stands between them."""
    text = "%s：%s:%s：無序："
    garbled = text.replace("序", "序".encode().decode(_LENIENT))
    assert repair(garbled).text == text


def _swap(text: str) -> str:
    """``text`` written as GBK and read as Big5, the look-alike swap of the Chinese codecs."""
    return text.encode("gbk").decode("big5")


# Real words that the swap of the Chinese codecs reads, losslessly, as other plausible
# words: four-character idioms and reduplications standing alone, and a second layer of
# two characters. Each stays as it is (the audit of real files, issue 12: fixenc
# rewrote the first three in pypinyin's data file).
@pytest.mark.parametrize(
    "text",
    [
        # pypinyin 0.55 pypinyin/phrases_dict.json, one key per line
        pytest.param('"目眢心忳": [', id="pypinyin-idiom-read-as-kana"),
        pytest.param('"疲疲沓沓": [', id="pypinyin-reduplication-two-swaps"),
        pytest.param('"蝎蝎螫螫": [', id="pypinyin-two-character-second-layer"),
        # OpenCC 1.4.2 data/dictionary/STPhrases.txt
        pytest.param("蒙蒙眬眬\t矇矇矓矓", id="opencc-reduplication"),
        pytest.param("峇峇娘惹\t峇峇孃惹", id="opencc-two-character-second-layer"),
        # constructed: the same shapes in prose
        pytest.param("雾里的山矇矇矓矓的。", id="reduplication-in-a-sentence"),
        pytest.param("他整天疲疲沓沓，什么也不想做。", id="reduplication-before-a-comma"),
        pytest.param("峇峇娘惹是土生華人", id="two-characters-then-more"),
        pytest.param("天天向上 高高兴兴 明明白白", id="reduplications-side-by-side"),
    ],
)
def test_rare_words_are_no_codec_swap(text: str) -> None:
    result = repair(text)
    assert result.text == text
    assert result.changes == ()


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        pytest.param(_swap("我们明天早"), "我们明天早", id="five-characters-alone"),
        pytest.param(
            f"{_swap('图书馆里')} {_swap('他在图书馆里读了一下午的历史书。')}",
            "图书馆里 他在图书馆里读了一下午的历史书。",
            id="four-characters-beside-a-clear-swap",
        ),
        # the price of MIN_DBCS_SWAP: four swapped characters alone are a look-alike
        pytest.param(_swap("图书馆里"), _swap("图书馆里"), id="four-characters-alone-stay"),
    ],
)
def test_a_codec_swap_needs_five_characters_or_a_line_that_shows_it(
    garbled: str, expected: str
) -> None:
    assert repair(garbled).text == expected


# Documents whose suspect pieces recur: each piece is judged once (``_repair_piece``'s
# memo), and must come out as it does judged afresh at every place.
RECURRING = [
    pytest.param("浣犲ソ涓栫晫\n", id="utf8-as-gbk-line"),
    pytest.param("Ctrl 키 누르기\nWindows 창 닫기\n", id="lone-syllables-stay"),
    pytest.param("ativos 챕 exibido e caf챕 servido.\n", id="utf8-latin-as-cp949"),
    pytest.param("ÖÐÎÄ±àÂë и «popd +1»\xa0— второй\n", id="gbk-as-latin-1-and-russian"),
    pytest.param("☆첫가끝: 날아라 쓔쓔쓩~ 닁큼! 家훀 ⓡⓖ훀¿¿¿\n", id="cp949-test-text"),
]


@pytest.mark.parametrize("line", RECURRING)
def test_a_recurring_piece_is_judged_once_and_alike(
    line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = line * 3 + "x " + line  # the same pieces at several offsets
    original = cjk._repair_piece

    def fresh(
        text: str, start: int, end: int, lang: str | None, memo: dict[str, list[cjk.Repair]]
    ) -> list[cjk.Repair]:
        return original(text, start, end, lang, {})

    remembered = cjk.find_repairs(text, Context(Options()))
    asked: list[str] = []
    judge = cjk._piece_repairs

    def counted(piece: str, lang: str | None) -> list[cjk.Repair]:
        asked.append(piece)
        return judge(piece, lang)

    monkeypatch.setattr(cjk, "_piece_repairs", counted)
    cjk.find_repairs(text, Context(Options()))
    assert asked and len(asked) == len(set(asked))  # each piece judged once
    monkeypatch.setattr(cjk, "_repair_piece", fresh)
    assert cjk.find_repairs(text, Context(Options())) == remembered


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("챕", id="alone"),
        pytest.param("ativos 챕 exibido", id="between-words"),
        pytest.param("x챕 챕y 챕. 챕\n챕\t(챕) 챕,챕", id="glued-and-punctuated"),
        pytest.param("가챕 챕가 챕챕 키 키", id="among-hangul"),
    ],
)
def test_the_lone_syllable_pattern_reads_as_its_look_behind_first_form(text: str) -> None:
    """The pattern opens with its class for speed; it must find what ``(?<!\\S)`` first
    finds, from every starting position."""
    import re

    reference = re.compile(f"(?<!\\S)[{UTF8_PAIRS_AS_CP949}](?![^\\s.,;:!?])")
    for pos in range(len(text) + 1):
        assert [m.span() for m in cjk._LONE_SYLLABLE.finditer(text, pos)] == [
            m.span() for m in reference.finditer(text, pos)
        ]
