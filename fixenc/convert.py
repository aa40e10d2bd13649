"""OpenCC, built once per process: the one module that imports ``opencc``.

Stage: none (shared by the variant stage, the pinyin-noise stage and replay). A
converter costs 27–45 ms to build (FIELD-NOTES), so each configuration is built once and
kept; a call on a short string costs about a microsecond.

>>> convert_with("s2twp", "软件"), convert_with("t2s", "頭髮")
('軟體', '头发')
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tempfile
from pathlib import Path

import opencc

from fixenc.errors import ConfigError

# Every configuration the installed OpenCC ships, by name ("s2t", "t2s", "s2twp", ...).
CONFIGS = frozenset(name.removesuffix(".json") for name in opencc.CONFIGS)
# The installed OpenCC's version: data derived from its dictionaries is valid for it only.
VERSION = str(getattr(opencc, "__version__", ""))


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    if config not in CONFIGS:
        raise ConfigError(f"unknown OpenCC configuration {config!r}; known: {sorted(CONFIGS)}")
    return opencc.OpenCC(f"{config}.json")


def convert_with(config: str, text: str) -> str:
    """Convert ``text`` with the OpenCC configuration ``config`` (e.g. ``"t2s"``).

    This is what ``Step(Op.OPENCC, config)`` replays. OpenCC takes UTF-8, which has no
    lone surrogates (what ``surrogateescape`` decoding leaves): the text around them is
    converted and they are kept as they are (atheris found ``detect`` crashing on them).

    >>> convert_with("t2s", "頭\\udcd7髮") == "头\\udcd7发"
    True
    """
    if not text:
        return text
    return _convert(_converter(config), text)


def convert_with_file(path: str, text: str) -> str:
    """Convert ``text`` with the OpenCC configuration file at ``path`` (fixenc's own
    dictionaries, e.g. the variant stage's prefilters), built once per process."""
    if not text:
        return text
    return _convert(_file_converter(path), text)


@functools.cache
def _file_converter(path: str) -> opencc.OpenCC:
    return opencc.OpenCC(path)


def _convert(converter: opencc.OpenCC, text: str) -> str:
    # The binding encodes its argument as UTF-8 first and raises on a lone surrogate, so
    # trying costs nothing; a scan for surrogates first cost 9 ms per MB (the regex
    # engine does not skip ahead on ``[\ud800-\udfff]+``), more than t2s itself.
    try:
        return str(converter.convert(text))
    except UnicodeEncodeError:
        pass
    return "".join(
        part if not part or _SURROGATE.match(part) else str(converter.convert(part))
        for part in _SURROGATE.split(text)
    )


# Runs of lone surrogates; ``split`` keeps them (the capturing group) between the parts.
_SURROGATE = re.compile("([\ud800-\udfff]+)")


# Where the official wheel keeps OpenCC's compiled dictionaries and its dictionary tool.
_CLIB = Path(opencc.__file__).resolve().parent / "clib"


def dictionary(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The entries of OpenCC's dictionary ``name`` (``"TWPhrases"``): (key, values).

    Read with the ``opencc_dict`` tool the wheel ships, which writes the compiled
    ``.ocd2`` table as text (``key<TAB>value value``). Only scripts and tests call this:
    derived data is shipped in ``fixenc/data`` and checked against it.
    """
    source = _CLIB / "share" / "opencc" / f"{name}.ocd2"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.txt"
        tool = str(_CLIB / "bin" / "opencc_dict")
        args = [tool, "-i", str(source), "-o", str(out), "-f", "ocd2", "-t", "text"]
        subprocess.run(args, check=True, capture_output=True)
        rows = out.read_text(encoding="utf-8").splitlines()
    entries: list[tuple[str, tuple[str, ...]]] = []
    for row in rows:
        if row:
            key, values = row.split("\t")
            entries.append((key, tuple(values.split(" "))))
    return entries


def chain(config: str) -> list[list[str]]:
    """The dictionaries ``config`` applies, stage by stage: its normalisation stage, then
    each group of its conversion chain (read from OpenCC's own ``<config>.json``).

    >>> chain("t2tw")
    [['CJK_Compatibility_Ideographs'], ['TWVariantsPhrases', 'TWVariants']]
    """
    spec = json.loads((_CLIB / "share" / "opencc" / f"{config}.json").read_text(encoding="utf-8"))
    stages = [step["dict"] for step in spec.get("normalization", [])]
    stages += [step["dict"] for step in spec["conversion_chain"]]
    return [_files(d) for d in stages]


def _files(entry: dict[str, object]) -> list[str]:
    """The dictionary names of one stage, in order (groups flattened)."""
    if entry.get("type") == "group":
        dicts = entry["dicts"]
        assert isinstance(dicts, list)
        return [name for d in dicts for name in _files(d)]
    file = entry["file"]
    assert isinstance(file, str)
    return [file.removesuffix(".ocd2")]
