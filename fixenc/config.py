"""``[tool.fixenc]`` in ``pyproject.toml``: found the way ruff and black find theirs.

Stage: none (set-up). Starting from the paths on the command line (their deepest common
directory; the current directory for standard input), look upwards for the nearest
``pyproject.toml`` that has a ``[tool.fixenc]`` table, stopping at the top of the
repository (a directory holding ``.git`` or ``.hg``). ``--config FILE`` names one
directly. Command-line flags override the file, key by key.

Keys are spelled as on the command line (``max-size``, ``protected-terms``); an unknown
key or a value of the wrong type is an error that names the file, the key and what was
expected, because a silently ignored setting is worse than none.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from fixenc import targets
from fixenc.errors import ConfigError
from fixenc.model import Kind

CONFIG_FILE = "pyproject.toml"
# Where the upward search stops: the top of a repository, as black decides its root.
ROOT_MARKERS = (".git", ".hg")

# Every key [tool.fixenc] accepts, with the type it must have.
_KEYS: dict[str, type | tuple[type, ...]] = {
    "target": str,
    "include": list,
    "exclude": list,
    "protected-terms": list,
    "max-size": (int, str),
    "jobs": int,
    "cjk-punctuation": bool,
    "keep-encoding": bool,
    "follow-symlinks": bool,
    "respect-gitignore": bool,
    "assume-encoding": str,
    "lang": str,
    "ignore": list,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30}


@dataclass(frozen=True, slots=True)
class Config:
    """Settings read from one file (``path`` is None when there was none)."""

    path: Path | None = None
    values: dict[str, object] = field(default_factory=dict)

    @property
    def base(self) -> Path | None:
        """The directory patterns are anchored at: the configuration file's."""
        return self.path.parent if self.path else None

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


def find_config(paths: Sequence[Path | str]) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.fixenc]`` table above ``paths``."""
    start = _common_directory(paths)
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file() and _has_table(candidate):
            return candidate
        if any((directory / marker).exists() for marker in ROOT_MARKERS):
            return None
    return None


def load_config(path: Path) -> Config:
    """Read and check ``[tool.fixenc]`` from ``path``; raise ``ConfigError`` if wrong.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "pyproject.toml")
    ...     _ = p.write_text('[tool.fixenc]\\ntarget = "zh-TW"\\nmax-size = "2 MiB"\\n')
    ...     load_config(p).values
    {'target': 'zh-TW', 'max-size': 2097152}
    """
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = document.get("tool", {}).get("fixenc")
    if table is None:
        return Config(path, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.fixenc] must be a table")
    values: dict[str, object] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown key {raw_key!r} in [tool.fixenc]; known: {known}")
        values[key] = _check(path, key, value)
    return Config(path, values)


def resolve_config(paths: Sequence[Path | str], explicit: Path | None = None) -> Config:
    """The configuration for a run: ``explicit`` if given, else the nearest one."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load_config(explicit)
    found = find_config(paths)
    return load_config(found) if found else Config()


def parse_size(text: str | int) -> int:
    """Bytes from ``1048576``, ``"512 KiB"``, ``"64MB"`` or ``"1G"`` (binary units).

    >>> parse_size("64 MiB"), parse_size("512k"), parse_size(100)
    (67108864, 524288, 100)
    """
    if isinstance(text, int):
        if text <= 0:
            raise ValueError("a size must be positive")
        return text
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (try 64MiB or 1048576)")
    number, unit = match.groups()
    size = int(float(number) * _UNITS[(unit or "")[:1].upper()])
    if size <= 0:
        raise ValueError("a size must be positive")
    return size


def parse_kind(name: str) -> Kind:
    """The finding kind a user names in ``--ignore`` or ``ignore = [...]``.

    >>> parse_kind("variant"), parse_kind(" Unrecoverable ")
    (<Kind.VARIANT: 'variant'>, <Kind.UNRECOVERABLE: 'unrecoverable'>)
    """
    try:
        return Kind(name.strip().lower())
    except ValueError:
        known = ", ".join(kind.value for kind in Kind)
        raise ValueError(f"unknown kind {name!r}; kinds: {known}") from None


def _check(path: Path, key: str, value: object) -> object:
    expected = _KEYS[key]
    # bool is an int in Python; ``jobs = true`` is a mistake, not 1.
    ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
    if ok and isinstance(value, list):
        ok = all(isinstance(item, str) for item in value)
    if not ok:
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        shown = "list of strings" if expected is list else names
        raise ConfigError(f"{path}: [tool.fixenc] {key} must be a {shown}, not {value!r}")
    if key == "target":
        try:
            return targets.canonical(value)  # type: ignore[arg-type]
        except ValueError:
            raise ConfigError(
                f"{path}: [tool.fixenc] target must be one of {', '.join(targets.names())} "
                f"or an alias ({', '.join(targets.ALIASES)}), not {value!r}"
            ) from None
    if key == "ignore":
        try:
            return [parse_kind(item) for item in value]  # type: ignore[attr-defined]
        except ValueError as exc:
            raise ConfigError(f"{path}: [tool.fixenc] ignore: {exc}") from None
    if key == "max-size":
        try:
            return parse_size(value)  # type: ignore[arg-type]
        except ValueError as exc:
            raise ConfigError(f"{path}: [tool.fixenc] max-size: {exc}") from None
    if key == "jobs" and isinstance(value, int) and value < 0:
        raise ConfigError(f"{path}: [tool.fixenc] jobs must be 0 (all cores) or more")
    return value


def _has_table(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return "fixenc" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False  # a broken pyproject.toml without our table is not ours to judge


def _common_directory(paths: Sequence[Path | str]) -> Path:
    real = [os.path.abspath(p) for p in paths if str(p) != "-"]
    if not real:
        return Path.cwd()
    common = Path(os.path.commonpath(real))
    return common if common.is_dir() else common.parent
