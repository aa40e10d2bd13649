"""The plausibility model (fixenc/plausibility.py): cheap pass, scores, encoding ranking."""

from __future__ import annotations

import pytest

from fixenc import plausibility
from fixenc.decode import legacy
from fixenc.plausibility.suspects import derive_rare_classes, read_rare_classes

CLEAN = [
    pytest.param("这是一段完全正常的中文，没有任何乱码。", id="zh-Hans"),
    pytest.param("這是一段完全正常的中文，沒有任何亂碼。", id="zh-Hant"),
    pytest.param("今日は天気がとても良いので、公園を散歩しました。", id="ja"),
    pytest.param("오늘은 날씨가 아주 좋아서 공원을 산책했습니다.", id="ko"),
    pytest.param("The quick brown fox jumps over the lazy dog.", id="en"),
    pytest.param("Москва — столица России.", id="ru"),
    pytest.param("中华人民共和国成立于1949年10月1日。", id="zh-digits"),
]
GARBLE = [
    pytest.param("浣犲ソ涓栫晫", id="utf8-as-gbk"),
    pytest.param("ÄãºÃÊÀ½ç", id="gbk-as-latin1"),
    pytest.param("荳ｭ譁�郛也｢ｼ", id="utf8-as-sjis"),
    pytest.param("╓╨╬─▒α┬δ", id="gbk-as-cp437"),
    pytest.param("锟斤拷锟斤拷", id="fffd-as-gbk"),
    pytest.param("涓�鏂囩紪鐮佹祴璇�", id="lossy-utf8-as-gbk"),
    pytest.param("規(guī)?;?、", id="dbcs-out-of-step"),
    pytest.param("笢恅晤鎢聆彸", id="gbk-as-big5"),
]


@pytest.mark.parametrize("text", CLEAN)
def test_cheap_pass_clears_clean_text(text: str) -> None:
    assert plausibility.suspects(text) == []
    assert not plausibility.has_suspects(text)


@pytest.mark.parametrize("text", GARBLE)
def test_cheap_pass_flags_garble(text: str) -> None:
    assert plausibility.suspects(text)


@pytest.mark.parametrize("text", [p for p in CLEAN if p.id not in ("en", "ru")])
def test_clean_cjk_is_plausible(text: str) -> None:
    score = plausibility.score(text)
    assert score.plausible, score


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("浣犲ソ涓栫晫", id="utf8-as-gbk"),
        pytest.param("笢恅晤鎢聆彸", id="gbk-as-big5"),
        pytest.param("鏂囩紪鐮佹祴", id="utf8-as-gbk-no-kana"),
        pytest.param("荳ｭ譁郛也", id="utf8-as-sjis"),
    ],
)
def test_garble_is_implausible(text: str) -> None:
    assert not plausibility.score(text).plausible


def test_garble_costs_clearly_more_than_clean_text() -> None:
    clean = plausibility.score("我们今天去公园散步").cost
    garble = plausibility.score("鎴戜滑浠婂ぉ鍘诲叕鍥").cost
    assert garble - clean > plausibility.PLAUSIBLE_COST / 2


@pytest.mark.parametrize(
    ("data", "candidates", "lang", "first", "thin"),
    [
        pytest.param(
            "你好世界，今天天气很好。".encode("gbk"),
            ["big5", "gbk", "shift_jis"],
            None,
            "gbk",
            False,
            id="gbk",
        ),
        pytest.param(
            "這是繁體中文的句子。".encode("big5"),
            ["gbk", "big5", "shift_jis"],
            None,
            "big5",
            False,
            id="big5",
        ),
        pytest.param(
            "日本語の文章です。".encode("shift_jis"),
            ["gbk", "big5", "shift_jis"],
            None,
            "shift_jis",
            False,
            id="sjis",
        ),
        pytest.param(
            "한국어 문장입니다.".encode("cp949"),
            ["gbk", "cp949", "big5"],
            None,
            "cp949",
            False,
            id="cp949",
        ),
        pytest.param(
            "设计".encode("gbk"),
            ["mac-roman", "gbk", "big5"],
            None,
            "gbk",
            True,
            id="4-byte-gbk-is-thin",
        ),
        pytest.param(
            "你好".encode("gbk"),
            ["big5", "gbk"],
            "zh",
            "gbk",
            True,
            id="5-byte-gbk-with-hint-still-thin",
        ),
    ],
)
def test_rank_encodings(
    data: bytes, candidates: list[str], lang: str | None, first: str, thin: bool
) -> None:
    ranked = legacy.rank_by_plausibility(data, candidates, lang=lang)
    assert ranked[0].encoding == first
    if thin:
        assert ranked[0].confidence <= legacy.THIN_CONFIDENCE_CAP
        assert "thin evidence" in ranked[0].reason
    else:
        assert ranked[0].confidence > legacy.THIN_CONFIDENCE_CAP


def test_rank_encodings_drops_strict_failures() -> None:
    ranked = legacy.rank_by_plausibility("中文".encode(), ["ascii", "utf-8"])
    assert [g.encoding for g in ranked] == ["utf-8"]


def test_shipped_rare_classes_are_derived_from_the_tables() -> None:
    """fixenc/data/rare-classes.txt is what the tables give (rebuild it with
    scripts/build_rare_classes.py after rebuilding the tables)."""
    assert read_rare_classes() == derive_rare_classes()


@pytest.mark.parametrize(
    ("lang", "script", "word"),
    [
        pytest.param("cy", "latin", "â", id="welsh-with"),
        pytest.param("cy", "latin", "ôl", id="welsh-after"),
        pytest.param("et", "latin", "või", id="estonian-or"),
        pytest.param("kk", "cyrillic", "мен", id="kazakh-i"),
    ],
)
def test_dictionary_languages_price_their_short_words_as_words(
    lang: str, script: str, word: str
) -> None:
    """Welsh, Estonian and Kazakh tables come from spelling dictionaries (type
    frequencies): their short words cost what a word of real text costs, not what the
    letters' rarity among dictionary entries would say."""
    from fixenc.plausibility import letters

    assert letters.languages()[lang] == script
    model = next(m for m in letters.load_script(script) if m.lang == lang)
    assert word in model.words
    assert letters.word_cost(word, model) <= letters.KNOWN_WORD_COST * len(word)


def test_a_documents_language_narrows_the_models_only_when_it_fits() -> None:
    """Dutch prose is judged as Dutch; Welsh (no wordfreq list, its dictionary table
    aside) and a jumble of short tokens keep every model."""
    from fixenc.plausibility import letters

    latin = letters.load_script("latin")
    dutch = "het is een bijzondere tijd voor de mensen die hier wonen en werken, " * 5
    assert [m.lang for m in letters.fitting_models(dutch, latin)] == ["nl"]
    assert letters.fitting_models("ab cd ef", latin) == latin
    no_welsh = tuple(m for m in latin if m.lang != "cy")
    welsh = "mae'r cyngor wedi cytuno i weithio gyda'r trigolion yng nghymru heddiw, " * 5
    assert letters.fitting_models(welsh, no_welsh) == no_welsh


@pytest.mark.parametrize("name", plausibility.MODELS)
def test_tables_share_one_float_per_distinct_cost(name: str) -> None:
    """The tables hold whole decibans: one float object per distinct value, not one per
    entry (a fifth of the tables' memory, and in a forked worker each cost read would
    copy the page of its own float)."""
    model = plausibility.load_model(name)
    for table in (model.uni, model.bi, model.words):
        assert len({id(v) for v in table.values()}) == len(set(table.values())) < 100
