"""The real-text negative corpus (``scripts/build_negative_corpus.py``): correct text that
people wrote, installed from the package registries, must come back with zero changes.

CI checks a slice built from what the test environment already has — the sources of the
installed Python packages that carry non-ASCII text (ftfy's and chardet's quote mojibake
on purpose; pypinyin's and pygments' are full of CJK and symbols) — so it needs no apt
packages. ``FIXENC_FULL=1`` builds and checks the whole corpus (Debian's documentation,
the localized manual pages of every installed ``manpages-*`` package and those sources).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sysconfig
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_negative_corpus.py"
CASES = Path(__file__).resolve().parent / "cases"
FULL = os.environ.get("FIXENC_FULL") == "1"
# The CI slice: files of these installed packages that hold non-ASCII text, at most
# SLICE_BYTES in all (about 10 s of checking on this machine).
SLICE_PACKAGES = ("ftfy", "chardet", "pypinyin", "pygments", "hypothesis", "rich")
SLICE_BYTES = 1_500_000
# The bar for the full corpus.
MIN_FULL_MB = 50


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_negative_corpus", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slice() -> list[tuple[Path, str, str]]:
    purelib = Path(sysconfig.get_paths()["purelib"])
    rows: list[tuple[Path, str, str]] = []
    total = 0
    for package in SLICE_PACKAGES:
        for path in sorted((purelib / package).rglob("*.py")):
            data = path.read_bytes()
            if data.isascii():
                continue
            rows.append((path, "python", package))
            total += len(data)
            if total >= SLICE_BYTES:
                return rows
    return rows


def test_installed_python_sources_come_back_unchanged() -> None:
    """The CI slice: zero changes on the non-ASCII sources of installed packages."""
    rows = _slice()
    assert len(rows) > 20, "the slice found too few files to mean anything"
    sizes, _counts, shown = _script().check_files(rows)
    assert sum(sizes.values()) > SLICE_BYTES // 2
    assert shown == []


@pytest.mark.skipif(not FULL, reason="set FIXENC_FULL=1 to build and check the whole corpus")
def test_whole_negative_corpus_comes_back_unchanged(tmp_path: Path) -> None:
    """The full corpus: at least MIN_FULL_MB of real text, and no change but the repairs
    of the real damage Debian ships (``tests/cases/negative_corpus_damage.json``)."""
    script = _script()
    assert script.build(tmp_path, 200.0) == 0
    rows = []
    origin: dict[Path, str] = {}
    total = 0
    for line in (tmp_path / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines():
        rel, group, lang, size, source = line.split("\t")
        rows.append((tmp_path / rel, group, lang))
        origin[tmp_path / rel] = source
        total += int(size)
    sizes, counts, shown = script.check_files(rows)
    for key in sorted(sizes):
        print(f"{key[0]:8} {key[1]:12} {sizes[key] / 1e6:8.2f} MB  {counts[key]} changes")
    damage = json.loads((CASES / "negative_corpus_damage.json").read_text(encoding="utf-8"))
    unexplained = [
        f"{origin[path]}:{item}"
        for path, item in shown
        if not any(
            re.fullmatch(case["origin"], origin[path]) and case["reason"] in item
            for case in damage["cases"]
        )
    ]
    assert unexplained == []
    assert total >= MIN_FULL_MB * 1_000_000


def test_dictionary_phrases_come_back_unchanged() -> None:
    """Every phrase of pypinyin's phrase dictionary, one per line (47,000 real Chinese
    words, many of them rare idioms and reduplications that no sentence surrounds):
    no change. The audit of real files found three of them rewritten as GBK/Big5 swaps
    (目眢心忳 → ヘ易み受); about a second of CPU."""
    import pypinyin

    from fixenc.model import Options
    from fixenc.pipeline import repair

    table = Path(pypinyin.__file__).parent / "phrases_dict.json"
    phrases = list(json.loads(table.read_text(encoding="utf-8")))
    assert len(phrases) > 40_000
    result = repair("\n".join(phrases) + "\n", Options())
    assert [(c.before, c.after, c.reason) for c in result.changes] == []
