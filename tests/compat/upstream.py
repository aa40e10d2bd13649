"""Upstream test suites, fetched from the package registry and cached between runs.

Test modules in this folder import it as ``from upstream import sdist``.

The suites of fixenc's dependencies (ftfy's test cases, OpenCC's test data and golden
files, chardet's corpus) are the floor fixenc must stand on. They are not vendored: each
comes from the package's source distribution on the registry, downloaded once with
``pip download`` and unpacked into a cache (``$FIXENC_COMPAT_CACHE``, default
``~/.cache/fixenc/compat``), so a fresh clone fetches them and later runs reuse them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("FIXENC_COMPAT_CACHE", Path.home() / ".cache" / "fixenc" / "compat"))
# Long upstream suites run whole with FIXENC_FULL=1; CI runs their slice (see each suite).
FULL = os.environ.get("FIXENC_FULL") == "1"


def sdist(name: str, version: str) -> Path:
    """The unpacked source distribution of ``name==version`` (fetched once, then cached).

    Raises ``pytest.skip`` only when the registry cannot be reached and nothing is cached:
    a suite that cannot be fetched is reported, not silently passed.
    """
    target = CACHE / f"{name}-{version}"
    if (target / ".complete").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    # Parallel test workers (pytest-xdist) may ask for the same suite at once: one fetches,
    # the others wait on the lock and then find it complete.
    with (CACHE / f".{name}-{version}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".complete").exists():
            _fetch(name, version, target)
    return target


def _fetch(name: str, version: str, target: Path) -> None:
    """Download and unpack the sdist into ``target``, marking it complete last."""
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        proc = subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--no-binary", ":all:", "--dest", tmp, f"{name}=={version}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip
        archives = list(Path(tmp).glob("*.tar.gz"))
        if proc.returncode != 0 or not archives:
            pytest.skip(f"cannot fetch {name}=={version} from the registry: {proc.stderr[-300:]}")
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(archives[0]) as archive:
            if hasattr(tarfile, "data_filter"):  # refuse links and paths out of the tree
                archive.extractall(unpacked, filter="data")
            else:  # pragma: no cover - Python before 3.10.12 / 3.11.4
                archive.extractall(unpacked)
        (root,) = unpacked.iterdir()  # an sdist holds one top-level directory
        shutil.rmtree(target, ignore_errors=True)
        root.rename(target)
    (target / ".complete").touch()
