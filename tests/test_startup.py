"""Start-up (issue 12): what a short run imports and builds, as structural facts.

A pre-commit run pays fixenc's start-up on every commit, so the expensive parts (ftfy,
the Latin readers' generated patterns, the rare-character confirm pattern, pathspec, the
process pool's modules) must be loaded only by text or options that need them. The
times themselves are measured by ``benchmarks/bench_startup.py``, never here; these
tests check, in fresh interpreters, which modules and patterns a run really loaded, and
that the shortcuts find exactly what the full patterns find.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CASES, SAMPLES

from fixenc.plausibility.suspects import (
    _RARE_BLOCKS,
    CONFIRM_WINDOW,
    _confirm_regex,
    _rare_classes,
    _scan,
    _trigger_regex,
)


def _probe(setup: str, cwd: Path) -> dict[str, object]:
    """Run ``setup`` in a fresh interpreter and report what it loaded."""
    code = f"""
import json, sys
{setup}
import fixenc.stages.mojibake_latin as latin
import fixenc.plausibility.suspects as _s
suspects = sys.modules["fixenc.plausibility.suspects"]
mods = ("ftfy", "pathspec", "logging", "concurrent.futures", "fixenc.pipeline")
print(json.dumps({{
    "modules": sorted(m for m in mods if m in sys.modules),
    "reader_patterns": latin._reader_patterns.cache_info().currsize,
    "confirm": [f.cache_info().currsize for f in (suspects._confirm_near_no_rare, suspects._confirm_regex)],
}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(out.stdout.splitlines()[-1])
    return result


def _check(name: str, text: str) -> str:
    """Setup code that runs ``fixenc check`` in-process on a file holding ``text``."""
    return (
        "from pathlib import Path\n"
        f"Path({name!r}).write_text({text!r}, encoding='utf-8')\n"
        "import fixenc.cli\n"
        f"fixenc.cli.main(['check', '-q', {name!r}])\n"
    )


def test_importing_the_cli_loads_none_of_the_expensive_parts(tmp_path: Path) -> None:
    got = _probe("import fixenc.cli", tmp_path)
    assert got == {"modules": ["fixenc.pipeline"], "reader_patterns": 0, "confirm": [0, 0]}


def test_importing_fixenc_loads_no_pipeline(tmp_path: Path) -> None:
    got = _probe("import fixenc", tmp_path)
    # the probe itself imports two stage modules, which import no pipeline either
    assert got["modules"] == []


@pytest.mark.parametrize(
    ("text", "modules", "reader_patterns", "confirm"),
    [
        # the issue's own case: one é, one Chinese word; the cheap passes clear it
        pytest.param("café 中文\n", ["fixenc.pipeline"], 0, [0, 0], id="tiny-clean"),
        # a Latin suspect brings in ftfy and the readers' patterns
        pytest.param("CafÃ© au lait\n", ["fixenc.pipeline", "ftfy"], 1, [0, 0], id="latin-suspect"),
        # a run of Latin-1 letters (GBK read as Latin-1): the light confirm pattern
        pytest.param("ÄãºÃÊÀ½ç\n", ["fixenc.pipeline", "ftfy"], 0, [1, 0], id="latin-run"),
        # a rare Han character next to an out-of-place one: the whole confirm pattern
        pytest.param("丂╓ 丄\n", ["fixenc.pipeline", "ftfy"], 1, [0, 1], id="rare-han"),
    ],
)
def test_a_check_builds_only_what_its_text_needs(
    tmp_path: Path, text: str, modules: list[str], reader_patterns: int, confirm: list[int]
) -> None:
    got = _probe(_check("f.txt", text), tmp_path)
    assert got == {
        "modules": modules,
        "reader_patterns": reader_patterns,
        "confirm": confirm,
    }


def test_a_tree_with_a_gitignore_still_loads_pathspec(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("plain\n", encoding="utf-8")
    setup = "import fixenc.cli\nfixenc.cli.main(['check', '-q', '.'])\n"
    assert "pathspec" in _probe(setup, tmp_path)["modules"]  # type: ignore[operator]


def test_the_lazy_public_names_resolve() -> None:
    code = (
        "import sys, fixenc\n"
        "assert 'fixenc.fixer' not in sys.modules\n"
        "from fixenc import *\n"
        "assert Fixer is fixenc.Fixer and fixenc.pipeline.repair\n"
        "print(Fixer(target='zh-Hans')('這份報告'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "这份报告"


def _texts() -> list[str]:
    """Every sample and every table row: clean text, garble, rare characters."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.glob("*.txt"))]
    for table in sorted(CASES.glob("*.json")):
        for case in json.loads(table.read_text(encoding="utf-8")).get("cases", []):
            texts.extend(v for k, v in case.items() if k in ("text", "expected", "garbled"))
    return [t for t in texts if isinstance(t, str)]


def _repair_texts() -> list[str]:
    """A slice of ``_texts`` that repairs in a few seconds: the samples but the article
    (4 s), the table rows' inputs but the simulated lost bytes (50 s), every third
    round-trip row (the directions come in groups of three)."""
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(SAMPLES.glob("*.txt"))
        if not p.name.endswith("dbf911db84.txt")
    ]
    for name in ("latin.json", "mojibake.json", "mojibake_negative.json", "negative.json"):
        rows = json.loads((CASES / name).read_text(encoding="utf-8"))["cases"]
        step = 3 if name == "mojibake.json" else 1
        texts.extend(row["text"] for row in rows[::step])
    return texts


def _full_scan(text: str) -> list[tuple[int, int]]:
    """The cheap pass as it was: the whole confirm pattern at every trigger."""
    trigger = _trigger_regex().search
    confirm = _confirm_regex().search
    out: list[tuple[int, int]] = []
    pos = 0
    while (hit := trigger(text, pos)) is not None:
        at = hit.start()
        found = confirm(text, max(pos, at - CONFIRM_WINDOW // 2), at + CONFIRM_WINDOW)
        if found is not None and found.end() > at:
            out.append(found.span())
            pos = found.end()
        else:
            pos = at + 1
    return out


def test_the_confirm_shortcut_finds_what_the_whole_pattern_finds() -> None:
    texts = _texts()
    assert len(texts) > 300
    flagged = 0
    for text in texts:
        want = _full_scan(text)
        assert _scan(text) == want, text[:80]
        flagged += bool(want)
    assert flagged > 100  # the table's garble really is flagged: the check can fail


def test_every_rare_character_is_a_trigger_of_the_rare_blocks() -> None:
    """What ``_near_rare`` relies on to stand for "a rare character is near"."""
    import re

    rare_han, rare_hangul = _rare_classes()
    rare = re.compile(f"[{rare_han}{rare_hangul}]")
    trigger = _trigger_regex()
    chars = [chr(cp) for cp in range(0x3400, 0xFB00) if rare.match(chr(cp))]
    assert len(chars) > 30_000
    assert all(trigger.match(ch) and _RARE_BLOCKS.match(ch) for ch in chars)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("plain ASCII \x8d and a C1 control", id="lone-c1-control"),
        pytest.param("ƒT\x81[ƒrƒX–¼ (Shift_JIS via a lenient cp1252)", id="c1-in-lenient-garble"),
        pytest.param("tamanho 챕 desconhecido", id="lone-cp949-syllable"),
        pytest.param("caf챕 au lait", id="cp949-in-a-word"),
        pytest.param("x ÃƒÂ© y", id="latin-1-run"),
        pytest.param("what?s this", id="glued-question-mark"),
    ],
)
def test_each_light_alternative_is_seen_by_the_shortcut(text: str) -> None:
    """One text per kind of light alternative with nothing else in it: the shortcut's
    sign class must know every alternative (a new one added to the confirm pattern but
    not to ``_light_sign`` is skipped in European text, as a lone C1 control once was)."""
    want = _full_scan(text)
    assert want
    assert _scan(text) == want


# Texts with no character of the rare blocks, where the cheap pass visits only the
# triggers near a light sign (``suspects._regions``): Russian prose full of « » and —
# triggers, with one light sign at varying distances from them.
_RUSSIAN = "В файле «примеры» нет строки — и всё. "
REGION_TEXTS = [
    pytest.param(_RUSSIAN * 4, id="no-light-sign"),
    pytest.param(_RUSSIAN * 3 + "Ð¿Ñ€Ð¸" + _RUSSIAN, id="latin-1-run-among-quotes"),
    pytest.param("«a?b»" + _RUSSIAN, id="glued-question-mark-by-a-quote"),
    pytest.param("»\xa0— " + _RUSSIAN + "«\x8d»", id="signs-at-both-ends"),
    pytest.param("ÃÃÃ«" + "x" * 7 + "»ÃÃÃ", id="runs-at-window-reach"),
    pytest.param("«" * 30 + "é??" + "»" * 30, id="dense-triggers-one-sign"),
    pytest.param(("«б»" + "?" * 2 + " ") * 12, id="signs-every-few-characters"),
]


@pytest.mark.parametrize("text", REGION_TEXTS)
def test_the_light_sign_regions_find_what_the_whole_pattern_finds(text: str) -> None:
    assert _RARE_BLOCKS.search(text) is None
    assert _scan(text) == _full_scan(text)


def _random_texts(seed: int, common: list[str], rare: list[str], *, longest: int) -> Iterator[str]:
    """3,000 seeded texts of up to ``longest`` pieces, each piece rare one time in 33."""
    rng = random.Random(seed)
    for _ in range(3000):
        yield "".join(
            rng.choice(rare) if rng.random() < 0.03 else rng.choice(common)
            for _ in range(rng.randint(0, longest))
        )


def test_the_light_sign_regions_on_generated_text() -> None:
    """Seeded random texts of triggers, light signs and letters, none of the rare
    blocks: every trigger the regions leave out must be one the whole pattern passes."""
    common = ["x", "б", " ", "«", "»", "—", "é", "\n", "?", "!", "\xa0"]
    signs = ["\ufffd", "─", "ｱ", "??", "x?y", "Ã©Ã", "\x85", "\ue000", "é?b", "©®°"]
    flagged = 0
    for text in _random_texts(12, common, signs, longest=150):
        want = _full_scan(text)
        assert _scan(text) == want, text
        flagged += bool(want)
    assert 500 < flagged < 3000  # both kinds of text were met


# Texts with Hangul, where the cheap pass visits only the triggers whose window can hold
# a sign (``suspects._hangul_signs``): common syllables CP949 reads from two-byte UTF-8
# (트, 표, 키) inside words, opening words the window cuts, standing alone, glued to ASCII;
# a rare one of them (짹), a rare syllable (갂), Han.
_KOREAN = "트리 표시줄을 확인하십시오. 키 바인딩과 표현식 "
HANGUL_TEXTS = [
    pytest.param(_KOREAN * 6, id="common-syllables-only"),
    pytest.param("가나다라마바 트리" + _KOREAN, id="window-cuts-a-word"),
    pytest.param(_KOREAN + "Ctrl키 caf챕 " + _KOREAN, id="glued-to-ascii"),
    pytest.param(_KOREAN * 2 + "짹짹 갂 中文 " + _KOREAN, id="rare-pairs-and-rare-syllable"),
    pytest.param(_KOREAN + "갂中 트中 ?? «»…é" + _KOREAN, id="rare-by-han-and-light-signs"),
]


@pytest.mark.parametrize("text", HANGUL_TEXTS)
def test_the_hangul_signs_find_what_the_whole_pattern_finds(text: str) -> None:
    assert _scan(text) == _full_scan(text)


def test_the_hangul_signs_on_generated_text() -> None:
    """Seeded random texts of common and rare Hangul, Han, ASCII and light signs."""
    common = ["트", "표", "키", "가", "리", " ", " ", "\n", "x", ".", "?"]
    other = ["짹", "갂", "中", "乂", "??", "é©®", "\ufffd", "─", "caf챕", "Ctrl키"]
    flagged = 0
    for text in _random_texts(21, common, other, longest=120):
        want = _full_scan(text)
        assert _scan(text) == want, text
        flagged += bool(want)
    assert 500 < flagged < 3000
