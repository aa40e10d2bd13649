"""The target table (fixenc/targets.py): a target is one row, and a new row flows everywhere.

A fictitious target ``zh-XT`` is added to the table for the duration of a test: a
Traditional target that converts Simplified text with Taiwan phrases (``s2twp``) but is
otherwise unknown to the code. If any layer (the CLI's choices, ``[tool.fixenc]``, the
library, the variant stage, replay) still kept its own list of targets, the row would
not reach it and the assertions below would fail.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import fixenc
from fixenc import cli, targets
from fixenc.replay import replays

SIMPLIFIED = "他们开发的软件很好用。\n"
# s2twp is the only configuration that turns 软件 into 軟體 (s2t and s2hk give 軟件):
# reaching this text proves the fictitious row's own configuration was used.
EXPECTED = "他們開發的軟體很好用。\n"


@pytest.fixture
def fictitious_target(monkeypatch: pytest.MonkeyPatch) -> str:
    """Add one row, ``zh-XT``, to the target table."""
    row = dataclasses.replace(
        targets.spec("zh-TW"),
        name="zh-XT",
        description="a fictitious Traditional target (tests only)",
        short="zh-XT",
    )
    monkeypatch.setattr(targets, "TARGET_SPECS", (*targets.TARGET_SPECS, row))
    return row.name


def test_every_row_is_a_known_target() -> None:
    assert targets.names() == tuple(t.name for t in targets.TARGET_SPECS)
    for name in targets.names():
        assert targets.spec(name).name == name


def test_unknown_target_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="zh-Hans"):
        targets.spec("zh-XX")


def test_new_row_reaches_the_library_and_replays(fictitious_target: str) -> None:
    result = fixenc.repair(SIMPLIFIED, target=fictitious_target)
    assert result.text == EXPECTED
    assert result.changes
    for change in result.changes:
        assert replays(change)


def test_new_row_reaches_the_cli(fictitious_target: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    assert cli.main(["fix", "-q", "--target", fictitious_target, str(path)]) == 0
    assert path.read_text(encoding="utf-8") == EXPECTED


def test_new_row_reaches_the_configuration(fictitious_target: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.fixenc]\ntarget = "{fictitious_target}"\n', encoding="utf-8"
    )
    path = tmp_path / "a.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    assert cli.main(["fix", "-q", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == EXPECTED


def test_without_the_row_the_cli_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["fix", "--target", "zh-XT", str(path)])
    assert exit_info.value.code == 2
    assert path.read_text(encoding="utf-8") == SIMPLIFIED
