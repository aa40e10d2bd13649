"""Repair recall on held-out real text: the CI slice of ``benchmarks/bench_recall.py``.

``tests/cases/recall_heldout.json`` holds a few lines per language that no other repair
test garbles (localized manual pages, Greek and Vietnamese catalogues). Each damage kind
of the benchmark (``DAMAGES``: UTF-8 read as cp1252 … EUC-KR, GBK read as Latin-1, Big5
and GBK confused, two layers) garbles them in four shapes (a word in a clean line, a line,
a line in a document, a long passage) with the benchmark's own code, and the whole
pipeline repairs them. Each kind pins:

* its exact repairs as a floor (``floor``): recall may rise, never drop;
* its wrong repairs (changed into something that is neither the original nor the
  original with some garble left) as an exact list of case ids (``wrong``; none at
  present): a new one fails, and so does one that stops being wrong, so the list stays
  true.

Regenerate the table with ``python benchmarks/bench_recall.py --slice
tests/cases/recall_heldout.json`` and review the diff: a floor may only rise.

The clean lines themselves, alone and as one document, must come back byte-identical.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from types import ModuleType
from typing import Any

import pytest
from conftest import CASES, ROOT

from fixenc import fix_text

TABLE = json.loads((CASES / "recall_heldout.json").read_text("utf-8"))
LINES: dict[str, list[str]] = TABLE["lines"]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_recall", ROOT / "benchmarks" / "bench_recall.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_recall", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


def _rows() -> list[Any]:
    return [pytest.param(row, id=row["id"]) for row in TABLE["cases"]]


def test_every_damage_kind_has_a_row() -> None:
    assert [row["id"] for row in TABLE["cases"]] == [d.name for d in BENCH.DAMAGES]


@pytest.mark.parametrize("row", _rows())
def test_recall_floor_and_no_new_wrong_repair(row: dict[str, Any]) -> None:
    damage = next(d for d in BENCH.DAMAGES if d.name == row["id"])
    got = BENCH.outcomes(LINES, damage, per_cell=BENCH.SLICE_PER_CELL)
    counts = Counter(outcome for outcome, _ in got.values())
    print(row["id"], dict(counts))
    wrong = sorted(case_id for case_id, (outcome, _) in got.items() if outcome == "wrong")
    assert wrong == sorted(row["wrong"]), "wrong repairs changed"
    assert counts["exact"] >= row["floor"], f"recall dropped below {row['floor']}"


@pytest.mark.parametrize("lang", sorted(LINES))
def test_clean_lines_come_back_unchanged(lang: str) -> None:
    lines = LINES[lang]
    changed = [line for line in lines if fix_text(line) != line]
    assert changed == []
    document = "\n".join(lines) + "\n"
    assert fix_text(document) == document


@pytest.mark.parametrize(
    ("got", "expected", "path", "partial"),
    [
        pytest.param("używajÄ…c", "używając", [("utf-8", "cp1252")], True, id="one-left"),
        pytest.param("używajac", "używając", [("utf-8", "cp1252")], False, id="invented"),
        pytest.param(
            "CafÃ©", "Café", [("utf-8", "cp1252"), ("utf-8", "cp1252")], True, id="one-layer-left"
        ),
        pytest.param("Cafe", "Café", [("utf-8", "cp1252")], False, id="accent-dropped"),
    ],
)
def test_partial_means_nothing_invented(
    got: str, expected: str, path: list[tuple[str, str]], partial: bool
) -> None:
    """The benchmark's ``partial`` (some garble left, nothing invented) is told apart
    from a wrong repair: the pin above depends on it."""
    assert BENCH.partial(got, expected, path) is partial
