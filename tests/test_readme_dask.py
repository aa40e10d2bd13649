"""The Dask example in the README runs as written and prints what the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

if not os.environ.get("CI"):  # CI installs the test extra, which includes Dask
    pytest.importorskip("distributed")

MARKER = "<!-- example: dask"


def _example() -> tuple[str, str]:
    """The Python block after the marker, and the text block that shows its output."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(MARKER) :]
    code = re.search(r"```python\n(.*?)```", after, re.S)
    shown = re.search(r"It prints:\n\n```text\n(.*?)```", after, re.S)
    assert code is not None and shown is not None, "the README's Dask example moved"
    return code.group(1), shown.group(1)


def test_readme_dask_example_runs_as_written(tmp_path: Path) -> None:
    code, shown = _example()
    script = tmp_path / "fix_corpus.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    assert proc.stdout.decode("utf-8") == shown
