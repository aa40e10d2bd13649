"""A user's type checker sees fixenc's types, installed as the README installs it.

mypy runs in a temporary directory (so the project is found only through the installed
package, never the current directory) on a small user file, with ``--strict``. With an
editable install this is what used to fail ("Cannot find implementation or library stub
for module named fixenc"): setuptools' default editable mode installs an import hook,
which type checkers cannot follow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")

USER_FILE = """\
import fixenc
from fixenc import Kind, Result

text: str = fixenc.fix_text("CafÃ© au lait", target="zh-CN")
result: Result = fixenc.repair(text)
kinds: list[Kind] = [change.kind for change in result.changes]
reveal_type(fixenc.fix_bytes)
"""


# Asked in a subprocess run elsewhere: inside the test run the project directory is on
# sys.path, and its fixenc.egg-info would answer instead of the installed distribution.
PROBE = """
import json
from importlib import metadata
try:
    dist = metadata.distribution("fixenc")
except metadata.PackageNotFoundError:
    print(json.dumps(None))
else:
    info = json.loads(dist.read_text("direct_url.json") or "{}")
    print(json.dumps({"editable": bool(info.get("dir_info", {}).get("editable")),
                      "files": [str(f) for f in dist.files or ()]}))
"""


def _installed(where: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=where, capture_output=True, text=True, check=True
    )
    found = json.loads(proc.stdout)
    if found is None:
        pytest.skip("fixenc is not installed (pip install -e .)")
    return found  # type: ignore[no-any-return]


def test_editable_install_is_a_plain_path_entry(tmp_path: Path) -> None:
    """An editable install puts a path in a .pth file, not an import hook."""
    found = _installed(tmp_path)
    if not found["editable"]:
        pytest.skip("fixenc is not installed in editable mode here")
    files = found["files"]
    assert isinstance(files, list) and any(f.endswith(".pth") for f in files), files
    assert not [f for f in files if "finder" in f], files


def test_mypy_strict_in_a_users_project_finds_fixenc(tmp_path: Path) -> None:
    _installed(tmp_path)  # skips when fixenc is not installed at all
    (tmp_path / "user.py").write_text(USER_FILE, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".cache"),
            "user.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Cannot find implementation" not in proc.stdout
    assert 'Revealed type is "def (data: bytes' in proc.stdout, proc.stdout
    assert "fixenc.model.Result" in proc.stdout
