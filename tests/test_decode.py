"""Bytes → text: BOMs, strict UTF-8, legacy detection, binary and ambiguous input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import fixenc
from fixenc import pipeline, process
from fixenc.decode import charsets, declared, decode, newline_style
from fixenc.errors import AmbiguousEncodingError, BinaryInputError, DecodeError, Option, Spelling
from fixenc.model import Decoded, Kind, Options, Origin

ZH_HANS = "这是一段简体中文的测试文字，用来检查编码检测是否可靠。"
ZH_HANT = "這是一段繁體中文的測試文字，用來檢查編碼偵測是否可靠。"
JA = "これは日本語のテキストです。文字コードの判定を確認します。"
KO = "이것은 한국어 텍스트입니다. 문자 인코딩 감지를 확인합니다."


@pytest.mark.parametrize(
    ("data", "encoding", "bom", "text"),
    [
        pytest.param(
            codecs.BOM_UTF8 + "你好".encode(), "utf-8", codecs.BOM_UTF8, "你好", id="utf8-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + "你好".encode("utf-16-le"),
            "utf-16-le",
            codecs.BOM_UTF16_LE,
            "你好",
            id="utf16le-bom",
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + "你好".encode("utf-16-be"),
            "utf-16-be",
            codecs.BOM_UTF16_BE,
            "你好",
            id="utf16be-bom",
        ),
        pytest.param(
            codecs.BOM_UTF32_LE + "你好".encode("utf-32-le"),
            "utf-32-le",
            codecs.BOM_UTF32_LE,
            "你好",
            id="utf32le-bom",
        ),
        pytest.param("你好".encode(), "utf-8", b"", "你好", id="utf8"),
        pytest.param(b"plain", "ascii", b"", "plain", id="ascii"),
        pytest.param(b"", "ascii", b"", "", id="empty"),
    ],
)
def test_unicode_inputs(data: bytes, encoding: str, bom: bytes, text: str) -> None:
    decoded = decode(data)
    assert (decoded.encoding, decoded.bom, decoded.text, decoded.confidence) == (
        encoding,
        bom,
        text,
        1.0,
    )


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        pytest.param(ZH_HANS, "gbk", "gb18030", id="gbk"),
        pytest.param(ZH_HANT, "big5", "big5", id="big5"),
        pytest.param(JA, "shift_jis", "shift_jis", id="shift-jis"),
        pytest.param(KO, "euc-kr", "cp949", id="euc-kr"),
        pytest.param(
            "Ceci est un café très agréable, à côté de la forêt.", "cp1252", "cp1252", id="cp1252"
        ),
    ],
)
def test_legacy_encodings(text: str, codec: str, expected: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.encoding == expected
    assert decoded.text == text
    assert decoded.candidates[0].encoding == expected


@pytest.mark.parametrize(
    ("data", "lang"),
    [
        pytest.param("设计".encode("gbk"), None, id="4-byte-gbk"),
        pytest.param("漢字".encode("big5"), None, id="4-byte-big5"),
    ],
)
def test_too_little_evidence_is_ambiguous(data: bytes, lang: str | None) -> None:
    with pytest.raises(AmbiguousEncodingError) as info:
        decode(data, lang=lang)
    assert len(info.value.candidates) > 1
    # The library's message speaks keyword arguments; the command line's, flags.
    assert info.value.advice == (Option.ASSUME_ENCODING, Option.LANG)
    assert "assume_encoding=" in str(info.value) and "--" not in str(info.value)
    assert "--assume-encoding" in info.value.in_words(Spelling.COMMAND_LINE)


@pytest.mark.parametrize(
    ("data", "kwargs", "text"),
    [
        pytest.param("设计".encode("gbk"), {"assume_encoding": "gbk"}, "设计", id="assume"),
        pytest.param("漢字".encode("big5"), {"lang": "zh-hant"}, "漢字", id="lang-hint"),
    ],
)
def test_user_hint_settles_short_input(data: bytes, kwargs: dict[str, str], text: str) -> None:
    assert decode(data, **kwargs).text == text


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png-nul"),
        pytest.param(bytes(range(1, 9)) * 100, id="control-bytes"),
    ],
)
def test_binary_is_rejected(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode(data)


@pytest.mark.parametrize(
    ("data", "kwargs"),
    [
        pytest.param(
            b"\xff\xfe\xfd\xfc" * 2 + b"\x81", {"assume_encoding": "utf-8"}, id="wrong-assumed"
        ),
        pytest.param(b"abc", {"assume_encoding": "no-such-codec"}, id="unknown-codec"),
    ],
)
def test_bad_hints_raise_clear_errors(data: bytes, kwargs: dict[str, str]) -> None:
    with pytest.raises(DecodeError, match=r"assume_encoding=|codec"):
        decode(data, **kwargs)


@pytest.mark.parametrize(
    ("text", "style"),
    [
        pytest.param("a\nb\n", "\n", id="lf"),
        pytest.param("a\r\nb\r\n", "\r\n", id="crlf"),
        pytest.param("a\rb\r", "\r", id="cr"),
        pytest.param("a\r\nb\n", None, id="mixed"),
        pytest.param("ab", None, id="none"),
    ],
)
def test_newline_style(text: str, style: str | None) -> None:
    assert newline_style(text) == style
    assert decode(text.encode()).newline == style


@pytest.mark.parametrize(
    ("data", "lang", "expected"),
    [
        pytest.param(
            "Grüße aus München".encode("cp1252"), "de", "Grüße aus München", id="german-hint"
        ),
        pytest.param("你好世界".encode("gbk"), "zh", "你好世界", id="zh-hint"),
    ],
)
def test_language_hint_picks_that_languages_encoding(data: bytes, lang: str, expected: str) -> None:
    assert decode(data, lang=lang).text == expected


def test_plausibility_overrules_a_confident_wrong_detector() -> None:
    """Big5 text that GBK also decodes strictly: the reading that looks like real text wins."""
    text = "這是一段繁體中文的測試文字，用來檢查編碼偵測。"
    decoded = decode(text.encode("big5"))
    assert decoded.encoding == "big5" and decoded.text == text
    assert [g.encoding for g in decoded.candidates][:1] == ["big5"]


# Everyday prose in the single-byte code pages chardet knows (issue 9: every one of them
# was read as cp1252 and "repaired" into CJK garble by a plain `fixenc fix`).
SINGLE_BYTE = [
    (
        "cp1251",
        "Вчера вечером в городе прошёл сильный дождь, и многие жители остались дома. Сегодня утром погода улучшилась, и на улицах снова появились люди.",
    ),
    (
        "koi8-r",
        "Вчера вечером в городе прошёл сильный дождь, и многие жители остались дома. Сегодня утром погода улучшилась, и на улицах снова появились люди.",
    ),
    (
        "cp866",
        "Вчера вечером в городе прошёл сильный дождь, и многие жители остались дома. Сегодня утром погода улучшилась, и на улицах снова появились люди.",
    ),
    (
        "cp1253",
        "Χθες το βράδυ έβρεξε πολύ στην πόλη και πολλοί κάτοικοι έμειναν στο σπίτι. Σήμερα το πρωί ο καιρός βελτιώθηκε.",
    ),
    (
        "cp1255",
        "אתמול בערב ירד גשם חזק בעיר ותושבים רבים נשארו בבית. הבוקר מזג האוויר השתפר והאנשים חזרו לרחובות.",
    ),
    (
        "cp1256",
        "هطلت أمطار غزيرة في المدينة مساء أمس وبقي كثير من السكان في منازلهم. وتحسن الطقس صباح اليوم.",
    ),
    (
        "cp1254",
        "Dün akşam şehirde şiddetli yağmur yağdı ve birçok kişi evde kaldı. Bugün sabah hava düzeldi ve insanlar sokaklara döndü.",
    ),
    (
        "cp1250",
        "Wczoraj wieczorem w mieście padał ulewny deszcz i wielu mieszkańców zostało w domu. Dziś rano pogoda się poprawiła, a ludzie wrócili na ulice.",
    ),
    (
        "iso8859-2",
        "Včera večer ve městě silně pršelo a mnoho obyvatel zůstalo doma. Dnes ráno se počasí zlepšilo a lidé se vrátili do ulic.",
    ),
    (
        "cp1257",
        "Vakar vakare mieste smarkiai lijo, ir daugelis gyventojų liko namuose. Šiandien ryte oras pagerėjo, žmonės grįžo į gatves.",
    ),
    ("cp874", "เมื่อคืนนี้ฝนตกหนักในเมืองและผู้คนจำนวนมากอยู่บ้าน เช้าวันนี้อากาศดีขึ้นและผู้คนกลับมาที่ถนน"),
    (
        "cp850",
        "Gestern Abend hat es in der Stadt stark geregnet, und viele Einwohner blieben zu Hause. Heute Morgen wurde das Wetter schöner, und die Straßen füllten sich.",
    ),
]


@pytest.mark.parametrize(("codec", "text"), [pytest.param(c, t, id=c) for c, t in SINGLE_BYTE])
def test_single_byte_legacy_text_is_read_and_left_alone(codec: str, text: str) -> None:
    """Right text, and the only change is the decoding: no stage "repairs" it."""
    result = fixenc.fix_bytes((text + "\n").encode(codec))
    assert result.text == text + "\n"
    assert [c.kind for c in result.changes] == [Kind.DECODE]
    assert not result.findings


def test_decoding_origin_is_a_typed_fact_the_stages_obey() -> None:
    """The CJK stage would read cp1251 ``÷åðå`` as GBK garble (``特釣``) in plain text;
    text decoded from a single-byte legacy file carries Origin.LEGACY_SINGLE_BYTE and is
    left alone."""
    garble = "÷åðå ÷åðå"
    as_text = pipeline.repair(garble, Options())
    decoded = Decoded(garble, "cp1252", 1.0)
    as_legacy = pipeline.repair(garble, Options(), decoded=decoded)
    assert as_legacy.text == garble
    assert [c.kind for c in as_legacy.changes] == [Kind.DECODE]
    assert pipeline._origin(decoded) is Origin.LEGACY_SINGLE_BYTE
    assert as_text.text != garble or not as_text.changes  # what the origin prevents


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        pytest.param("Grüße aus München\n", "utf-16-le", id="utf16le-latin"),
        pytest.param("中文编码 测试\n", "utf-16-be", id="utf16be-cjk"),
        pytest.param("Привет, мир\n", "utf-32-le", id="utf32le-cyrillic"),
        pytest.param("Ελληνικά κείμενα\n", "utf-32-be", id="utf32be-greek"),
    ],
)
def test_utf16_and_utf32_without_bom_are_text_not_binary(text: str, layout: str) -> None:
    decoded = decode(text.encode(layout))
    assert (decoded.encoding, decoded.text) == (layout, text)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        pytest.param("東京の天気は晴れです。〜明日も晴れ。", "shift_jis", id="shift-jis-base"),
        pytest.param("①番の部屋で会議をします。今日の予定です。", "cp932", id="cp932-when-needed"),
        pytest.param("Ceci coûte 5 €, c’est « très » cher pour un café.", "cp1252", id="cp1252-c1"),
        pytest.param("ภาษาไทย “ทดสอบ” การเข้ารหัส แบบวินโดวส์", "cp874", id="cp874-c1"),
    ],
)
def test_superset_only_when_the_bytes_need_it(text: str, codec: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == codec


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param('<meta charset="euc-jp">', '<meta charset="UTF-8">', id="html5-meta"),
        pytest.param("<META CHARSET=Shift_JIS>", "<META CHARSET=UTF-8>", id="unquoted-upper"),
        pytest.param(
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
            id="http-equiv",
        ),
        pytest.param(
            "<?xml version='1.0' encoding='windows-1251'?>",
            "<?xml version='1.0' encoding='UTF-8'?>",
            id="xml-declaration",
        ),
        pytest.param('<meta charset="utf-8">', '<meta charset="utf-8">', id="already-utf8"),
        pytest.param("charset=gbk in prose", "charset=gbk in prose", id="not-markup"),
    ],
)
def test_declarations_are_updated_to_utf8(head: str, expected: str) -> None:
    assert declared.update_text(head) == expected


@pytest.mark.parametrize(
    ("codec", "doc"),
    [
        pytest.param(
            "euc-jp",
            '<html><head><meta charset="euc-jp"><title>テスト</title></head>'
            "<body>日本語のページです。文字コードの確認をします。</body></html>\n",
            id="html-euc-jp",
        ),
        pytest.param(
            "gbk",
            '<?xml version="1.0" encoding="gbk"?>\n'
            "<doc>这是一份用 GBK 保存的简体中文文件，很多老旧的程序仍然默认使用这种编码。</doc>\n",
            id="xml-gbk",
        ),
    ],
)
def test_transcoded_file_declares_utf8_as_a_recorded_change(
    tmp_path: Path, codec: str, doc: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(doc.encode(codec))
    result = fixenc.fix_path(path)
    written = path.read_bytes().decode("utf-8")
    assert written == declared.update_text(doc) != doc
    declaration = [c for c in result.changes if c.kind is Kind.DECODE and c.after == "UTF-8"]
    assert len(declaration) == 1 and declaration[0].before.lower() == codec
    kept = tmp_path / "kept.html"
    kept.write_bytes(doc.encode(codec))
    assert process.process_path(kept, process.Job(Options(), write=True, keep_encoding=True))
    assert kept.read_bytes() == doc.encode(codec)  # written back as it was: declaration kept


@pytest.mark.parametrize(
    ("text", "codec", "lang"),
    [
        pytest.param("Grüße", "cp1252", "de", id="german-one-word"),
        pytest.param("设计", "gbk", "zh-hans", id="chinese-two-characters"),
    ],
)
def test_a_language_hint_settles_what_the_bytes_cannot(text: str, codec: str, lang: str) -> None:
    """Too few bytes to choose between code pages: ambiguous, and the hint narrows the
    candidates to the language's encodings and letter tables."""
    data = text.encode(codec)
    with pytest.raises(AmbiguousEncodingError) as info:
        decode(data)
    assert len(info.value.candidates) > 1
    assert decode(data, lang=lang).text == text


def test_every_encoding_chardet_names_is_read() -> None:
    """Generated from chardet's registry: each legacy encoding it can name is a Python
    codec fixenc tries (with its base and supersets), and chardet names over 70."""
    from chardet.registry import REGISTRY

    names = {charsets.codec(info.name) for info in REGISTRY.values()}
    legacy_names = {n for n in names if not n.startswith("utf") and n != "ascii"}
    assert legacy_names == set(charsets.known())
    assert len(legacy_names) > 70
    for name in legacy_names:
        assert name in charsets.chain(name) or charsets.VENDOR_BASE.get(name)


@pytest.mark.parametrize(
    ("base", "superset"),
    [
        pytest.param("iso8859-1", "cp1252", id="latin1-cp1252"),
        pytest.param("iso8859-9", "cp1254", id="latin5-cp1254"),
        pytest.param("tis-620", "cp874", id="tis620-cp874"),
    ],
)
def test_windows_supersets_are_derived_from_the_codec_tables(base: str, superset: str) -> None:
    assert superset in charsets.supersets(base)
    for b in range(0xA0, 0x100):  # every printable byte of the base reads the same
        try:
            char = bytes([b]).decode(base)
        except UnicodeDecodeError:
            continue
        assert bytes([b]).decode(superset) == char
    assert "iso8859-2" not in charsets.supersets("iso8859-2")
    assert "cp1250" not in charsets.supersets("iso8859-2")  # differs in 0xA0–0xBF: no


def _ebcdic(text: str, codec: str) -> bytes:
    """``text`` in an EBCDIC page with ASCII line ends, as files converted byte for byte
    from ASCII keep them (their 0x0A reads as a C1 control)."""
    return b"\n".join(line.encode(codec) for line in text.split("\n"))


# Sibling code pages that read the same bytes as different, individually plausible texts
# (issue 9: chardet ties them, and each was ambiguous or written wrong before the rule
# named in the id). Every text is prose written for this table.
SIBLINGS = [
    pytest.param(
        _ebcdic(
            "Die große Auktion beginnt morgen früh um zehn Uhr!\nWir freuen uns auf Ihre "
            "Gebote und wünschen allen Käufern viel Glück!\nDie Bedingungen für alle Bieter "
            "finden Sie unten.\nSchöne Grüße aus München und bis bald!\n",
            "cp500",
        ),
        "cp500",
        id="ebcdic-separator-glued-to-a-word",  # cp1140 reads "Uhr|"
    ),
    pytest.param(
        _ebcdic(
            "Bokmål er en av to offisielle målformer av norsk skriftspråk.[1][2] Den brukes "
            "av flertallet i Norge.\nNynorsk er den andre målformen.[3] Begge står på lik "
            "linje i loven.\n",
            "cp037",
        ),
        "cp037",
        id="ebcdic-brackets-pair-and-ascii-line-ends",  # cp500 reads "¬1|¬2|"
    ),
    pytest.param(
        (
            "De gemeente wil samen met de inwoners plannen maken om de buurt groener te "
            "maken. Iedereen die mee wil denken is van harte welkom op de bijeenkomst in "
            "het buurthuis volgende week. Samen kunnen we nieuwe kansen creëren voor de "
            "jongeren in de wijk en de oudere bewoners.\n"
        ).encode("cp437"),
        "cp437",
        id="one-letter-judged-in-the-documents-language",  # mac-roman "creâren" is French-like
    ),
    pytest.param(
        (
            "Ο ταξιδιώτης κάθισε έξω και κοίταξε την πόλη από μακριά. Η πόλη είναι όμορφη "
            "με παλιό γεφύρι, και οι κάτοικοί της αγαπούν τον τόπο τους. Πολλοί επισκέπτες "
            "από την Άρτα έρχονται κάθε καλοκαίρι.\n"
        ).encode("cp1253"),
        "cp1253",
        id="closing-quote-opening-a-word",  # iso8859-7 reads "’ρτα"
    ),
    pytest.param(
        (
            "Home » Travel Guides\n"
            + "This week we look at the best places to visit on the coast during the "
            "spring, with tips on where to stay, what to eat and how to get around. " * 2
        ).encode("cp1252"),
        "cp1252",
        id="currency-sign-without-an-amount",  # hp-roman8 reads "Home £ Travel"
    ),
    pytest.param(
        (
            '<div class="post"><p class="meta">posted 3 weeks ago</p><p>if the home side wins '
            "on saturday i stand to collect £120, not bad for a £5 stake.<br>two draws on the "
            "coupon<br>Leeds/Hull/Bristol City<br>three away wins<br>Derby/Stoke/Norwich</p>"
            "</div>\n"
        ).encode("iso8859-1"),
        "iso8859-1",
        id="markup-between-letters-is-the-files-own",  # "</p><p>if" is no code page's doing
    ),
    pytest.param(
        (
            "Mae'r cyngor wedi cytuno i weithio gyda'r trigolion er mwyn mynd i'r afael â "
            "phroblemau'r ardal. Yn ôl y cynghorydd, bydd y cynllun newydd yn helpu "
            "teuluoedd lleol i aros yn eu cymunedau.\n"
        ).encode("mac-roman"),
        "mac-roman",
        id="welsh-dictionary-words",  # cp1252 reads "afael ‰", "Yn ™l" (was written)
    ),
    pytest.param(
        (
            "Мен заңгермен сөйлескім келеді. Біз бүгін қалаға барамыз және досымызбен "
            "кездесеміз. Ертең ауа райы жақсы болады деп күтілуде, сондықтан балалар "
            "далада ойнайды.\n"
        ).encode("kz1048"),
        "kz1048",
        id="kazakh-dictionary-letters",  # ptcp154 reads Bashkir "ҫ", "ҙ"
    ),
    pytest.param(
        (
            "Järgnevas aknas kuvatakse kõik sisestatud andmed ning kasutaja saab neid "
            "vajadusel muuta. Palun kontrollige enne kinnitamist, et kõik väljad oleksid "
            "õigesti täidetud ja salvestage muudatused.\n"
        ).encode("cp775"),
        "cp775",
        id="estonian-dictionary-letters",  # cp1257 reads "J„rgnevas" (was written)
    ),
]


@pytest.mark.parametrize(("data", "codec"), SIBLINGS)
def test_sibling_code_pages_are_told_apart(data: bytes, codec: str) -> None:
    decoded = decode(data)
    assert decoded.text == data.decode(codec)


# Names from other languages in English prose, in Latin-1 (Debian 12's changelogs): a
# name's accented letter is no letter of the English table, and the contest between the
# readings once preferred a code page that reads it as a symbol splitting the name
# (V·clav, Bjˆrn in MacRoman, Sm°rgrav in CP437). A capitalised word is judged by the
# table that reads it best (``letters.foreign_word_cost``); common words stay judged in
# the document's language (Dutch creëren above).
CHANGELOG_NAMES = {
    # /usr/share/doc/libcommons-io-java/changelog.gz
    "libcommons-io-names": (
        "o IO-553: Thanks to Václav Haisman, Bruno P. Kinoshita.\n"
        "o IO-452: Thanks to Björn Buchner.\n"
        "o IO-389: FileUtils.sizeOf. Thanks to Ville Skyttä.\n"
        "o CharSequenceReader. Issue: IO-173. Thanks to Marcos Vinícius da Silva.\n"
    ),
    # /usr/share/doc/libpam0g/changelog.gz
    "libpam-one-name": "  * pam_handlers: BSD fix from Dag-Erling Smørgrav and Anton Berezin\n",
    # /usr/share/doc/libtimedate-perl/changelog.gz
    "libtimedate-names": (
        "  * Add Date::Language::Danish from Lars Skjærlund\n"
        "  * Fix tests for half-hour timezones (Ernesto Hernández-Novich)\n"
    ),
    # /usr/share/doc/psmisc/changelog.gz
    "psmisc-one-name": "  - Added French Language (thanks to Marc Léger)\n",
}
NAMES_IN_PROSE = [
    *(pytest.param(text, id=name) for name, text in CHANGELOG_NAMES.items()),
    # constructed: the same shape
    pytest.param(
        "Patches from José Núñez, Søren Ørsted and Zoë Müller; reviewed by João Conceição.\n",
        id="constructed-names",
    ),
    pytest.param("Thanks to Ångström and Gödel for the report.\n", id="constructed-two-names"),
]


@pytest.mark.parametrize("text", NAMES_IN_PROSE)
@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_names_from_other_languages_in_prose_read_as_written(text: str, codec: str) -> None:
    data = text.encode(codec)
    try:
        decoded = decode(data)
    except AmbiguousEncodingError:
        return  # refused is no harm; what must never happen is another text written
    assert decoded.text == text


def test_names_from_the_changelogs_are_decided() -> None:
    """The Debian files the audit met are decided, not only left alone."""
    for text in CHANGELOG_NAMES.values():
        assert decode(text.encode("latin-1")).text == text


# Mixed alphabets inside a word are a code page's doing: CPython 3.11's
# Lib/test/cjkencodings/big5hkscs.txt (23 bytes, five HKSCS characters) was decided as
# CP866 (``КsЛ┌Н╪``), its only plausible reading; it is now refused with candidates.
BIG5HKSCS_TEST_FILE = b"\x88E\x88\\\x8as\x8b\xda\x8d\xd8\n\x88f\x88b\x88\xa7 \x88\xa7\x88\xa3\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(BIG5HKSCS_TEST_FILE, id="cpython-big5hkscs-test-file"),
        pytest.param("𠄌Ě鵮罓洆\n".encode("big5hkscs"), id="first-line-alone"),
    ],
)
def test_a_reading_that_mixes_alphabets_in_a_word_is_not_written(data: bytes) -> None:
    try:
        decoded = decode(data)
    except AmbiguousEncodingError:
        return
    assert decoded.text == data.decode("big5hkscs")


MALTESE = (
    "Iż-żgħażagħ tal-għaqda ħadmu ħafna biex jiġbru l-għajnuna għall-ħaddiema. Il-ħames "
    "ġimgħat li għaddew kienu iebsa, iżda ż-żgħażagħ żammew il-ħeġġa tagħhom u ġabru "
    "għexieren ta' eluf ta' ewro.\n"
) * 4


def test_chardets_clear_lead_decides_a_language_without_a_letter_table() -> None:
    """Maltese (no letter table: ħ ġ ż cost as unknown letters) in ISO 8859-3, which
    chardet names at several times any other reading's confidence: its language model is
    the evidence, and the reason says so (before: ambiguous)."""
    decoded = decode(MALTESE.encode("iso8859-3"))
    assert decoded.text == MALTESE and decoded.encoding == "iso8859-3"
    assert "mt, which has no letter table" in decoded.candidates[0].reason


def test_an_apostrophe_read_as_a_capital_is_not_written() -> None:
    """Greek in ISO 8859-7 with one elided word (``απ’έξω``): windows-1253 reads the
    apostrophe as ``Ά`` inside the word, and was written before issue 9's contest knew
    that capitals do not sit inside words; with a single difference there is too little
    to write either reading, so the file is ambiguous with both candidates."""
    text = (
        "Ο ταξιδιώτης κάθισε απ’έξω και κοίταξε την πόλη από μακριά. Η πόλη είναι όμορφη "
        "με παλιό γεφύρι, και οι κάτοικοί της αγαπούν τον τόπο τους. Πολλοί επισκέπτες "
        "έρχονται κάθε καλοκαίρι για να δουν το κάστρο.\n"
    )
    with pytest.raises(AmbiguousEncodingError) as info:
        decode(text.encode("iso8859-7"))
    assert {"iso8859-7", "cp1253"} <= {g.encoding for g in info.value.candidates}


# A file in a single-byte legacy encoding with a UTF-8 island (a name pasted from a UTF-8
# source): the audit of real files found six (libxslt's Latin-1 changelog with a UTF-8
# ``Kłoczko``, fortunes-pl's Latin-2 changelog). Decoded whole in the legacy codec, the
# island is garble that a second run repairs (fix twice differs from fix once), and it can
# tip the decode contest itself (``Ĺ‚`` reads as Slovak: naïve became naďve). What it
# takes is mixed decoding: the file's valid UTF-8 sequences as UTF-8, the rest in the codec.
_MIXED_DECODING = "needs mixed decoding (UTF-8 islands in a single-byte legacy file)"
UTF8_ISLANDS = [
    pytest.param(
        "Changelog entry by Daniel Veillard, café and naïve résumé.\nThanks to Jan ",
        "latin-1",
        id="latin-1-tipped-to-cp1250",
        marks=pytest.mark.xfail(reason=_MIXED_DECODING, strict=True),
    ),
    pytest.param(
        "Version 2.9: fixed a crash in the parser (reported by Jürgen Müller and "
        "François Dupré).\nThanks to Jan ",
        "cp1252",
        id="cp1252-island-left-for-the-next-run",
        marks=pytest.mark.xfail(reason=_MIXED_DECODING, strict=True),
    ),
]


@pytest.mark.parametrize(("head", "codec"), UTF8_ISLANDS)
def test_a_utf8_island_in_a_legacy_file_reads_as_written(head: str, codec: str) -> None:
    text = head + "Kłoczko for the patch.\n"
    data = head.encode(codec) + "Kłoczko for the patch.\n".encode()
    result = fixenc.fix_bytes(data)
    assert result.text == text
    assert fixenc.fix_text(result.text) == result.text
