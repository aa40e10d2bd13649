"""Rules of the package's layout that no linter knows (import-linter holds the layering).

Decisions are made on typed data, never on the wording of a message: rewording a reason
must not change behaviour. This scans the product code's syntax for comparisons and
prefix/suffix tests whose subject is prose (a message, reason, detail, note, hypothesis).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fixenc"
# Names that hold prose for people, never a value to branch on.
PROSE = ("message", "reason", "detail", "note", "hypothesis", "description")


def _names_prose(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return any(name.endswith(p) or name.endswith(p + "s") for p in PROSE)


def _decisions_on_prose(source: str) -> list[int]:
    """Line numbers where code compares or prefix-tests a prose value."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_names_prose(o) for o in operands) and not all(
                isinstance(o, ast.Constant) and o.value is None
                for o in operands
                if not _names_prose(o)
            ):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("startswith", "endswith", "find", "index", "count")
            and _names_prose(node.func.value)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("if message.startswith('skipped'): pass", [1], id="prefix"),
        pytest.param("x = exc.reason == 'binary'", [1], id="equality"),
        pytest.param("ok = 'UTF-8' in change.reason", [1], id="containment"),
        pytest.param("if outcome.skip is SkipReason.BINARY: pass", [], id="enum"),
        pytest.param("if self.message is None: pass", [], id="presence"),
    ],
)
def test_the_check_itself(source: str, found: list[int]) -> None:
    assert _decisions_on_prose(source) == found


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_decision_depends_on_wording(path: Path) -> None:
    assert _decisions_on_prose(path.read_text(encoding="utf-8")) == []
