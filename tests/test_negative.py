"""Do no harm: correct text comes out byte for byte unchanged, whichever way it enters."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_cases, run_cli

import fixenc
from fixenc.model import ATTENTION_KINDS

NEGATIVE = load_cases("negative.json", "text")


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_unchanged(text: str) -> None:
    result = fixenc.repair(text)
    assert result.text == text
    assert result.changes == ()
    assert not [f for f in result.findings if f.kind in ATTENTION_KINDS]


@pytest.mark.parametrize("text", NEGATIVE)
def test_utf8_bytes_unchanged(text: str) -> None:
    result = fixenc.fix_bytes(text.encode("utf-8"))
    assert result.text == text
    assert not result.changed


def test_files_unchanged_through_cli(tmp_path: Path) -> None:
    """All negative rows as real files, one CLI run: nothing written, mtimes kept, exit 0."""
    paths = []
    for i, param in enumerate(NEGATIVE):
        path = tmp_path / f"case{i:02d}.txt"
        path.write_bytes(param.values[0].encode("utf-8"))
        paths.append(path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    proc = run_cli("fix", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths} == before
