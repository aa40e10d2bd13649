"""The whole-text scans that clear clean text, each against the slower path it replaces.

Issue 12: clean text should cost about one scan, so scans that asked related questions
were merged, and counts stop once the answer is settled. Each such shortcut is compared
here with the plain form it replaces, on real text (the samples, CPython's CJK codec test
texts, Debian's gettext translations when installed), on each of its lines, and on
random text drawn from the characters each rule turns on.
"""

from __future__ import annotations

import random
import re
import sysconfig
from pathlib import Path

import pytest
from conftest import SAMPLES, catalogue_lines

from fixenc.stages import mojibake_latin as latin

# Catalogue lines taken per language: enough for every script's signs, a fraction of a
# second to read.
CATALOGUE_LINES = 600
CATALOGUE_LANGS = ("zh_CN", "zh_TW", "ja", "ko", "ru", "fr", "de")


def _real_texts() -> list[tuple[str, str]]:
    """(id, text) of every real text this machine has."""
    cjk = Path(sysconfig.get_path("stdlib")) / "test" / "cjkencodings"
    paths = [*sorted(SAMPLES.glob("*.txt")), *sorted(cjk.glob("*-utf8.txt"))]
    out = [(p.name, text) for p in paths if (text := _utf8(p))]
    out += [
        (f"catalogue-{lang}", "\n".join(catalogue_lines(lang, CATALOGUE_LINES)))
        for lang in CATALOGUE_LANGS
    ]
    return [(name, text) for name, text in out if text]


def _utf8(path: Path) -> str:
    """The file's text, or ``""`` for the samples in legacy encodings."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def _pieces(text: str) -> list[str]:
    """The text itself and each of its lines: a line is a text too, with fewer signs."""
    return [text, *text.splitlines()]


REAL = _real_texts()


# --- the Latin stage's first look: one scan for both anchors ---------------------------


def _either_anchor(text: str) -> bool:
    return any(anchor.search(text) is not None for anchor in latin._anchors())


@pytest.mark.parametrize("text", [t for _n, t in REAL], ids=[n for n, _t in REAL])
def test_one_anchor_scan_equals_both_on_real_text(text: str) -> None:
    for piece in _pieces(text):
        assert (latin._any_anchor().search(piece) is not None) == _either_anchor(piece), piece


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("中文 Â 中文", id="lead-space"),
        pytest.param("中文 Â中文", id="lead-glued"),
        pytest.param("中文Â", id="lead-at-end"),
        pytest.param("В работе", id="cyrillic-lead-space"),
        pytest.param("«Москва»", id="guillemets"),
        pytest.param("中文\x85", id="c1-control"),
        pytest.param("中文\ufffd", id="replacement"),
        pytest.param("中文 ├ 中文", id="box-lead-space"),
        pytest.param("中文，繁體。", id="chinese-only"),
        pytest.param("", id="empty"),
    ],
)
def test_one_anchor_scan_equals_both_on_edges(text: str) -> None:
    assert (latin._any_anchor().search(text) is not None) == _either_anchor(text)


def test_one_anchor_scan_equals_both_on_random_text() -> None:
    shown = latin._anchors()[0].pattern
    leads = sorted(latin._a0_forms())
    signs = [ch for ch in map(chr, range(0x80, 0x2600)) if re.fullmatch(shown, ch)]
    rng = random.Random(12)
    alphabet = [*leads, *rng.sample(signs, 20), " ", "\n", "a", "中", "В", "\xa0"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        assert (latin._any_anchor().search(text) is not None) == _either_anchor(text), text
