"""Shared helpers: the repository's paths, case tables, and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"


def load_cases(name: str, *fields: str) -> list[Any]:
    """Rows of ``tests/cases/<name>.json`` as pytest params with ids and strict xfails."""
    table = json.loads((CASES / name).read_text(encoding="utf-8"))
    params = []
    for case in table["cases"]:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        values = tuple(case[f] for f in fields)
        params.append(pytest.param(*values, id=case["id"], marks=marks))
    return params


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``fixenc`` command in a subprocess (as ``python -m fixenc``)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "fixenc", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
        check=False,
    )
