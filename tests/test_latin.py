"""Latin mojibake via ftfy in fixenc's restricted configuration."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import load_cases

import fixenc
from fixenc.chars import SINGLE_BYTE_READERS
from fixenc.model import Context, Kind, Options
from fixenc.replay import codec as codec_
from fixenc.replay import replay
from fixenc.stages import mojibake_latin as latin


@pytest.mark.parametrize(("text", "expected"), load_cases("latin.json", "text", "expected"))
def test_repairs_exactly(text: str, expected: str) -> None:
    result = fixenc.repair(text)
    assert result.text == expected
    assert all(replay(c.steps, c.before) == c.after for c in result.changes)
    assert fixenc.fix_text(result.text) == result.text  # idempotent


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param("CafÃ© au lait", [(3, 5, "Ã©", "é")], id="one-span"),
        pytest.param("a CafÃ© b naÃ¯ve", [(5, 7, "Ã©", "é"), (12, 14, "Ã¯", "ï")], id="two-spans"),
        pytest.param("x\nCafÃ©", [(5, 7, "Ã©", "é")], id="second-line"),
    ],
)
def test_changes_are_located(text: str, spans: list[tuple[int, int, str, str]]) -> None:
    changes = fixenc.repair(text).changes
    assert [(c.start, c.end, c.before, c.after) for c in changes] == spans
    assert all(text[c.start : c.end] == c.before for c in changes)
    assert all(c.kind is Kind.MOJIBAKE and 0 < c.confidence <= 1 for c in changes)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param("CafÃ©", 1, 4, id="first-line"),
        pytest.param("ok\r\nCafÃ©", 2, 4, id="after-crlf"),
        pytest.param("a\rb\nCafÃ©", 3, 4, id="after-lone-cr"),
    ],
)
def test_line_and_column(text: str, line: int, column: int) -> None:
    (change,) = fixenc.repair(text).changes
    assert (change.line, change.column) == (line, column)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("你好，世界！（测试）“引号”", id="fullwidth-not-narrowed"),
        pytest.param("ＡＢＣ", id="fullwidth-latin"),
        pytest.param("“curly”", id="quotes-not-uncurled"),
        pytest.param("ﬁne", id="ligature"),
        pytest.param("e\u0301", id="decomposed-not-normalised"),
        pytest.param("&amp; &lt;", id="html-not-unescaped"),
        pytest.param("\x1b[31mred\x1b[0m", id="terminal-escapes-kept"),
    ],
)
def test_stage_ignores_style(text: str) -> None:
    assert latin.stage(text, Context(Options())) is None or fixenc.fix_text(text) == text
    assert fixenc.fix_text(text) == text


def test_partial_repair_that_still_looks_damaged_is_reported_not_applied() -> None:
    """GBK read as Latin-1: ftfy "fixes" `Ä±` as UTF-8 and leaves garble (field notes).

    Whatever the CJK stage makes of it, the Latin stage alone must not apply that.
    """
    garble = "ÖÐÎÄ±àÂë"
    out = latin.stage(garble, Context(Options()))
    assert out is not None
    assert out.changes == ()
    assert [(f.kind, f.text) for f in out.findings] == [(Kind.MOJIBAKE, garble)]


# --- every single-byte reader, one mechanism --------------------------------------------
# One sentence per script, its UTF-8 read by each reader of chars.SINGLE_BYTE_READERS (the
# suspect patterns are generated from those codecs' tables). A line read back whole by one
# reader (mojibake_latin._whole_line_reading) settles the pairs where ftfy's plan picks a
# near codec (ISO-8859-15 ``crÚme``) or the CJK stage reads part of the line first (KOI8).
# Pairs not yet repaired whole go here as strict xfails.
READER_SAMPLES = {
    "fr": "Le château où la crème brûlée était servie à côté.",
    "ru": "Съешь же ещё этих мягких французских булок.",
    "el": "Καλημέρα σε όλους τους φίλους μας.",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy.",
}
READERS_NOT_YET: set[tuple[str, str]] = set()


def _reader_cases() -> list[Any]:
    params = []
    for codec in SINGLE_BYTE_READERS:
        for lang, text in READER_SAMPLES.items():
            try:
                # ftfy's sloppy-* codecs are registered on first use (replay.codec)
                garbled = text.encode("utf-8").decode(codec_(codec))
            except UnicodeDecodeError:
                continue  # this reader cannot show that script's UTF-8 at all
            marks = (
                [pytest.mark.xfail(reason="not yet repaired whole (see above)", strict=True)]
                if (codec, lang) in READERS_NOT_YET
                else []
            )
            params.append(pytest.param(garbled, text, id=f"{codec}-{lang}", marks=marks))
    return params


@pytest.mark.parametrize(("garbled", "text"), _reader_cases())
def test_utf8_read_by_each_single_byte_reader_is_repaired(garbled: str, text: str) -> None:
    assert fixenc.fix_text(garbled) == text


@pytest.mark.parametrize(
    ("garbled", "text"),
    [
        # ISO-8859-15 also reads this line whole (Ÿ → þ), and the letter tables like
        # Icelandic's Straþe as well: ftfy's plain answer stands
        pytest.param("StraÃŸe in KÃ¶ln", "Straße in Köln", id="ftfy-answer-stands"),
        # MacRoman reads Ã© as CC A9, a combining mark: no reading
        pytest.param("`cafÃ©` means cafÃ©", "`cafÃ©` means café", id="no-combining-mark"),
    ],
)
def test_whole_line_reading_never_overrides_a_plain_ftfy_answer(garbled: str, text: str) -> None:
    assert fixenc.fix_text(garbled) == text
