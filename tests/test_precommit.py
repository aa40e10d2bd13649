"""The published pre-commit hooks, run by the real ``pre-commit try-repo``.

The project is copied (working tree, not the last commit) into a fresh git repository,
so the hooks file and code under test are what is on disk now. The hook environment is
built by pip from the configured index, which is most of this module's time:
``try-repo`` builds it on every call (it uses a temporary store; about 6 s here),
``pre-commit run`` once per session (``PRE_COMMIT_HOME`` is session-wide).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import ROOT

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")

# What pre-commit needs to install fixenc as a hook: the package and its build metadata.
PROJECT_FILES = ("fixenc", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "fixenc tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "fixenc tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}

DAMAGED = {
    "notes/cafe.txt": "Menu\nCafÃ© au lait\nCrÃ¨me brÃ»lÃ©e\n".encode(),
    "legacy-gbk.txt": "这是一段简体中文的测试文字，用来检查编码侦测。\n".encode("gbk"),
}
CLEAN = {
    "clean.txt": "Café au lait, 你好，世界！\n".encode(),
    "traditional.txt": "這是繁體中文的測試文字。\n".encode(),
}
REPAIRED = {
    "notes/cafe.txt": "Menu\nCafé au lait\nCrème brûlée\n".encode(),
    "legacy-gbk.txt": "这是一段简体中文的测试文字，用来检查编码侦测。\n".encode(),
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the project as it is on disk now."""
    repo = tmp_path_factory.mktemp("fixenc-hooks")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "fixenc under test")
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _user_repo(path: Path, damaged: Mapping[str, bytes] = DAMAGED) -> Path:
    """A committed git repository holding ``damaged`` files and the clean ones."""
    path.mkdir()
    for name, data in {**damaged, **CLEAN}.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "damaged files")
    return path


def _try_repo(
    repo: Path, hook_repo: Path, home: Path, hook: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PIP_NO_INDEX", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            hook,
            "--all-files",
            "--color",
            "never",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def _run_configured(
    repo: Path, hook_repo: Path, home: Path, hook: str, args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` with a config naming ``hook`` (its environment is cached in
    ``home`` across the session, unlike ``try-repo``'s)."""
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
    if args:
        config += f"        args: [{', '.join(args)}]\n"
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(repo, "add", ".pre-commit-config.yaml")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PIP_NO_INDEX", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_check_fails_naming_files_then_fix_repairs_then_check_passes(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    repo = _user_repo(tmp_path / "user")

    check = _try_repo(repo, hook_repo, pre_commit_home, "fixenc-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "notes/cafe.txt:2:4: mojibake" in check.stdout
    assert "notes/cafe.txt:3:3: mojibake" in check.stdout
    assert "legacy-gbk.txt:1:1: decode" in check.stdout
    named = {line.split(":", 1)[0] for line in check.stdout.splitlines() if ":" in line}
    assert not named & set(CLEAN), named
    for name, data in {**DAMAGED, **CLEAN}.items():
        assert (repo / name).read_bytes() == data, f"check changed {name}"

    fix = _try_repo(repo, hook_repo, pre_commit_home, "fixenc")
    # pre-commit fails a hook that modified files, and shows its one line per file.
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    assert "notes/cafe.txt: fixed 3 mojibake" in fix.stdout
    assert "legacy-gbk.txt: fixed gb18030 → UTF-8" in fix.stdout
    for name, data in {**REPAIRED, **CLEAN}.items():
        assert (repo / name).read_bytes() == data, f"{name} not as expected after the fix"

    # A second run passes: the check hook (through pre-commit run, whose environment is
    # cached; try-repo rebuilds its own every time) and the fixer again.
    for hook in ("fixenc-check", "fixenc"):
        again = _run_configured(repo, hook_repo, pre_commit_home, hook)
        assert again.returncode == 0, hook + again.stdout + again.stderr


def test_user_args_override(tmp_path: Path, hook_repo: Path, pre_commit_home: Path) -> None:
    """``args`` in the user's config reach fixenc."""
    repo = _user_repo(tmp_path / "user")
    first = _run_configured(
        repo, hook_repo, pre_commit_home, "fixenc", ("--exclude", "legacy-gbk.txt")
    )
    assert first.returncode == 1, first.stdout + first.stderr
    assert "notes/cafe.txt: fixed 3 mojibake" in first.stdout
    assert "legacy-gbk.txt" not in first.stdout
    assert (repo / "notes/cafe.txt").read_bytes() == REPAIRED["notes/cafe.txt"]
    assert (repo / "legacy-gbk.txt").read_bytes() == DAMAGED["legacy-gbk.txt"]  # excluded


def _snippet() -> str:
    """The ready-to-paste ``.pre-commit-config.yaml`` from the documentation."""
    for doc in (ROOT / "README.md", ROOT / "docs" / "bulk-and-pre-commit.md"):
        if doc.exists():
            text = doc.read_text(encoding="utf-8")
            match = re.search(r"```yaml\n(repos:.*?)```", text, re.S)
            if match and "id: fixenc" in match.group(1):
                return match.group(1)
    raise AssertionError("no .pre-commit-config.yaml snippet in README.md or docs/")


@pytest.mark.parametrize(
    ("command", "content"),
    [
        pytest.param("validate-manifest", None, id="hooks-manifest"),
        pytest.param("validate-config", "snippet", id="documented-config-snippet"),
    ],
)
def test_published_yaml_is_valid(tmp_path: Path, command: str, content: str | None) -> None:
    if content is None:
        target = ROOT / ".pre-commit-hooks.yaml"
    else:
        target = tmp_path / ".pre-commit-config.yaml"
        target.write_text(_snippet(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", command, str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Enough files that pre-commit splits them into parallel batches (it aims for one batch
# per core, at least 4 files each), with damage in every batch.
MANY_DAMAGED = {f"notes/menu-{i:02}.txt": "Menu\nCafÃ© au lait\n".encode() for i in range(12)}
SUMMARY_WORDS = ("would be fixed", "files fixed", "unchanged.", "files scanned")


@pytest.mark.parametrize(
    ("hook", "line"),
    [
        pytest.param("fixenc", "{name}: fixed 1 mojibake", id="fix"),
        pytest.param("fixenc-check", "{name}:2:4: mojibake", id="check"),
    ],
)
def test_hook_prints_per_file_lines_and_no_summary(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path, hook: str, line: str
) -> None:
    """Under pre-commit, each batch is a separate fixenc: per-file lines only, as black
    and ruff print there, never one contradictory summary per batch."""
    repo = _user_repo(tmp_path / "user", MANY_DAMAGED)
    proc = _run_configured(repo, hook_repo, pre_commit_home, hook)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for name in MANY_DAMAGED:
        assert line.format(name=name) in proc.stdout, proc.stdout
    for word in SUMMARY_WORDS:
        assert word not in proc.stdout, proc.stdout


def test_documented_snippet_runs_at_the_release_tag(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    """The README's ``rev:`` is the tag a release gets (``v`` + ``fixenc.__version__``):
    with the hooks repository tagged so, the snippet runs as pasted (only ``repo:``
    pointed at the local copy)."""
    from fixenc import __version__

    snippet = _snippet()
    assert f"rev: v{__version__}" in snippet
    subprocess.run(
        ["git", "tag", "-f", f"v{__version__}"], cwd=hook_repo, check=True, capture_output=True
    )
    repo = _user_repo(tmp_path / "user")
    config = re.sub(r"repo: \S+", f"repo: {hook_repo}", snippet, count=1)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(repo, "add", ".pre-commit-config.yaml")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    env.pop("PIP_NO_INDEX", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # it repaired the damaged files
    assert "notes/cafe.txt: fixed 3 mojibake" in proc.stdout, proc.stdout
    assert (repo / "notes/cafe.txt").read_bytes() == REPAIRED["notes/cafe.txt"]
