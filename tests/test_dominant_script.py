"""``letters.dominant_script`` (compiled classes, issue 12) against the character loop it
replaced: the same script for real text of every table script, legacy bytes read
through every single-byte code page, ties and random text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fixenc.decode import charsets
from fixenc.plausibility import letters

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def reference_dominant_script(text: str) -> str | None:
    """The character loop (the oracle): counts in order of each script's first letter,
    the first of the largest wins."""
    counts: dict[str, int] = {}
    other = 0
    for ch in text:
        if ch > "\x7f" and ch.isalpha():
            name = letters.script_of(ch)
            if name is not None:
                counts[name] = counts.get(name, 0) + 1
            else:
                other += 1
    if counts:
        return max(counts, key=counts.__getitem__)
    return "latin" if not other and letters._ASCII_LETTER.search(text) else None


CASES = [
    pytest.param("Привет, мир", "cyrillic", id="cyrillic"),
    pytest.param("Home » Black", "latin", id="ascii-letters"),
    pytest.param("สวัสดี", None, id="thai-no-table"),
    pytest.param("สวัสดี abc", None, id="thai-beside-ascii"),
    pytest.param("123 » 456", None, id="no-letters"),
    pytest.param("", None, id="empty"),
    pytest.param("é ж", "latin", id="tie-latin-first"),
    pytest.param("ж é", "cyrillic", id="tie-cyrillic-first"),
    pytest.param("ж é é", "latin", id="more-latin"),
    pytest.param("αβ жж é", "greek", id="tie-of-two-greek-first"),
    pytest.param("שלום مرحبا", "arabic", id="hebrew-four-arabic-five"),
    pytest.param("ǅ ǈ ȸ", "latin", id="title-case-and-extended"),
    pytest.param("\u0300\u0301 ж", "cyrillic", id="combining-marks-are-not-letters"),
    pytest.param("\u00d7\u00f7 é", "latin", id="signs-inside-the-latin-range"),
    pytest.param("Ự ж ж", "cyrillic", id="latin-extended-additional"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dominant_script(text: str, expected: str | None) -> None:
    assert letters.dominant_script(text) == expected
    assert reference_dominant_script(text) == expected


def _legacy_readings() -> list[str]:
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        data = path.read_bytes()[:4000]
        out.append(data.decode("utf-8", errors="replace"))
        for codec in charsets.known():
            if charsets.is_single_byte(codec):
                try:
                    out.append(data.decode(codec, errors="replace"))
                except LookupError:
                    continue
    return out


def test_equals_the_character_loop_on_legacy_readings() -> None:
    """Every sample read as every single-byte code page chardet knows (the readings the
    decoder judges)."""
    texts = _legacy_readings()
    assert len(texts) > 100
    for text in texts:
        assert letters.dominant_script(text) == reference_dominant_script(text), text[:80]


def test_equals_the_character_loop_on_random_text() -> None:
    """Random text drawn from every table script's range and their edges, Thai, CJK,
    digits and ASCII: close counts make the first-letter tie-break matter."""
    pool = [chr(cp) for _, lo, hi in letters.SCRIPT_RANGES for cp in range(lo - 2, hi + 3)]
    pool += [*"abc 12.»", "ก", "中", "ｱ", "\u0300"]
    rng = random.Random(12)
    for _ in range(3_000):
        text = "".join(rng.choices(pool, k=rng.randint(0, 12)))
        assert letters.dominant_script(text) == reference_dominant_script(text), text
