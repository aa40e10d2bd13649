"""Bytes → text: BOMs, strict UTF-8, legacy detection, binary and ambiguous input."""

from __future__ import annotations

import codecs

import pytest

from fixenc.decode import decode, newline_style
from fixenc.errors import AmbiguousEncodingError, BinaryInputError, DecodeError, Option, Spelling

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
