"""OpenCC, built once per process: the one module that imports ``opencc``.

Stage: none (shared by the variant stage, the pinyin-noise stage and replay). A
converter costs 27–45 ms to build (FIELD-NOTES), so each configuration is built once and
kept; a call on a short string costs about a microsecond.

>>> convert_with("s2twp", "软件"), convert_with("t2s", "頭髮")
('軟體', '头发')
"""

from __future__ import annotations

import functools
import re

import opencc

from fixenc.errors import ConfigError

# Every configuration the installed OpenCC ships, by name ("s2t", "t2s", "s2twp", ...).
CONFIGS = frozenset(name.removesuffix(".json") for name in opencc.CONFIGS)


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
    converter = _converter(config)
    if _SURROGATE.search(text) is None:
        return str(converter.convert(text))
    return "".join(
        part if not part or _SURROGATE.match(part) else str(converter.convert(part))
        for part in _SURROGATE.split(text)
    )


# Runs of lone surrogates; ``split`` keeps them (the capturing group) between the parts.
_SURROGATE = re.compile("([\ud800-\udfff]+)")
