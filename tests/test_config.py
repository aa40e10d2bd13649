"""``[tool.fixenc]``: where it is found, what it accepts, and how flags override it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from fixenc.config import find_config, load_config
from fixenc.errors import ConfigError

MOJIBAKE = "CafÃ© au lait\n".encode()


def _files(root: Path, spec: dict[str, str]) -> None:
    for name, content in spec.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


FIND_CASES = [
    pytest.param(
        {"pyproject.toml": "[tool.fixenc]\n", "src/a.txt": ""},
        "src/a.txt",
        "pyproject.toml",
        id="found-above-the-file",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.fixenc]\n",
            "pkg/pyproject.toml": "[tool.fixenc]\n",
            "pkg/a.txt": "",
        },
        "pkg/a.txt",
        "pkg/pyproject.toml",
        id="nearest-wins",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.fixenc]\n",
            "pkg/pyproject.toml": "[tool.ruff]\n",
            "pkg/a.txt": "",
        },
        "pkg/a.txt",
        "pyproject.toml",
        id="a-pyproject-without-our-table-is-passed-over",
    ),
    pytest.param(
        {"pyproject.toml": "[tool.fixenc]\n", "repo/.git/HEAD": "", "repo/a.txt": ""},
        "repo/a.txt",
        None,
        id="search-stops-at-the-repository-top",
    ),
    pytest.param(
        {"pyproject.toml": "[tool.fixenc]\n", "a/x.txt": "", "b/y.txt": ""},
        "a/x.txt b/y.txt",
        "pyproject.toml",
        id="common-directory-of-several-paths",
    ),
]


@pytest.mark.parametrize(("spec", "paths", "expected"), FIND_CASES)
def test_find_config(
    tmp_path: Path, spec: dict[str, str], paths: str, expected: str | None
) -> None:
    (tmp_path / ".git").mkdir()  # the test's own top, so nothing above tmp_path is found
    _files(tmp_path, spec)
    found = find_config([tmp_path / p for p in paths.split()])
    assert found == (tmp_path / expected if expected else None)


LOAD_CASES = [
    pytest.param(
        '[tool.fixenc]\ntarget = "zh-TW"\nexclude = ["vendor/"]\nprotected_terms = ["臺灣"]\n'
        "max-size = 1048576\njobs = 2\nrespect-gitignore = false\n",
        {
            "target": "zh-TW",
            "exclude": ["vendor/"],
            "protected-terms": ["臺灣"],
            "max-size": 1048576,
            "jobs": 2,
            "respect-gitignore": False,
        },
        id="every-kind-of-value-and-underscores-accepted",
    ),
    pytest.param(
        '[tool.fixenc]\nmax-size = "512 KiB"\n', {"max-size": 524288}, id="size-with-unit"
    ),
    pytest.param("[tool.other]\nx = 1\n", {}, id="no-table-no-settings"),
]


@pytest.mark.parametrize(("toml", "expected"), LOAD_CASES)
def test_load_config(tmp_path: Path, toml: str, expected: dict[str, object]) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(toml, encoding="utf-8")
    assert load_config(path).values == expected


BAD_CASES = [
    pytest.param('[tool.fixenc]\ntargte = "zh-TW"\n', "unknown key 'targte'", id="typo"),
    pytest.param('[tool.fixenc]\ntarget = "klingon"\n', "target must be one of", id="bad-target"),
    pytest.param('[tool.fixenc]\nexclude = "vendor/"\n', "exclude must be a list", id="not-a-list"),
    pytest.param("[tool.fixenc]\njobs = true\n", "jobs must be a int", id="bool-is-not-int"),
    pytest.param('[tool.fixenc]\nmax-size = "huge"\n', "not a size", id="bad-size"),
    pytest.param("[tool.fixenc\n", "not valid TOML", id="broken-toml"),
]


@pytest.mark.parametrize(("toml", "message"), BAD_CASES)
def test_bad_config_is_an_error_naming_file_and_key(
    tmp_path: Path, toml: str, message: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_config_applies_and_flags_override(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fixenc]\nexclude = ["vendor/", "*.md"]\nmax-size = 100\n', encoding="utf-8"
    )
    for name in ("a.txt", "vendor/b.txt", "c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(MOJIBAKE)
    (tmp_path / "big.txt").write_bytes(MOJIBAKE * 20)

    proc = run_cli("check", ".", cwd=tmp_path)
    err = proc.stderr.decode()
    assert "a.txt: would fix" in err
    assert "b.txt" not in err and "c.md" not in err
    assert "big.txt: skipped: larger than the size cap" in err

    proc = run_cli("check", ".", "--exclude", "vendor/", "--max-size", "1MiB", cwd=tmp_path)
    err = proc.stderr.decode()
    assert "c.md: would fix" in err and "big.txt: would fix" in err and "b.txt" not in err

    # pre-commit names files one by one: the configured exclusions still hold.
    proc = run_cli("check", "vendor/b.txt", "c.md", cwd=tmp_path)
    err = proc.stderr.decode()
    assert (proc.returncode, err) == (0, "0 files unchanged, 2 skipped.\n")


def test_bad_config_stops_the_run_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.fixenc]\ncolour = true\n", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(MOJIBAKE)
    proc = run_cli("fix", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown key 'colour'" in proc.stderr.decode()
    assert (tmp_path / "a.txt").read_bytes() == MOJIBAKE
