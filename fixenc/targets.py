"""The script-variant targets: one row per target, read by the CLI, the configuration,
the library and the variant stage alike.

Stage: none (shared vocabulary of the convert stage). A target says which OpenCC
configuration turns a passage of each kind into it. Adding a target (zh-MO, zh-SG) is
one row here: the CLI's choices, the configuration check and the stage's plans all come
from this table.

>>> [t.name for t in TARGET_SPECS]
['keep', 'zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']
>>> spec("zh-TW").simplified
's2twp'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Script = Literal["zh-Hans", "zh-Hant"]
# The Traditional standards a passage can follow, as ``variant`` tells them apart:
# OpenCC's own (裏, 麪), Taiwan's (裡, 麵) and Hong Kong's.
Standard = Literal["opencc", "taiwan", "hongkong"]


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """Which OpenCC configuration turns a unit of each kind into this target
    (``None`` or an empty mapping: the unit is already in the target and stays as it is).

    ``simplified``: a Simplified unit. ``traditional``: a Traditional unit, by the standard
    its characters follow (Taiwan, Hong Kong, or OpenCC's own). ``mixed``: a clause that
    mixes both scripts. Each is applied to the whole unit, so the result is exactly what
    OpenCC gives for that unit.
    """

    name: str
    description: str
    short: str  # how reasons name it: "Simplified → zh-TW", "Traditional → Simplified"
    script: Script | None = None
    simplified: str | None = None
    traditional: Mapping[Standard, str] = field(default_factory=dict)
    mixed: str | None = None

    @property
    def converts(self) -> bool:
        """False for ``keep``: nothing is converted, mixed documents are only reported."""
        return self.script is not None


def _same(config: str) -> Mapping[Standard, str]:
    return {"opencc": config, "taiwan": config, "hongkong": config}


# Traditional → Simplified by the standard the passage follows: each is the inverse of
# the conversion that would have produced it.
TO_SIMPLIFIED: Mapping[Standard, str] = {"opencc": "t2s", "taiwan": "tw2s", "hongkong": "hk2s"}

# The table (README, "Script variants"): which configuration each target uses for a unit
# of each side. "—": already in the target, left alone. A mixed clause is converted as
# OpenCC would convert its Simplified source, whole.
#
#   target   Simplified  Taiwan Trad.  Hong Kong Trad.  OpenCC Trad.  mixed clause
#   zh-Hans  —           tw2s          hk2s             t2s           t2s
#   zh-Hant  s2t         —             —                —             s2t
#   zh-TW    s2twp       t2tw          t2tw             t2tw          s2twp
#   zh-HK    s2hk        t2hk          t2hk             t2hk          s2hk
#
# t2tw and t2hk change only characters written to another standard (裏→裡, 著→着), so
# they leave text already in that standard as it is.
TARGET_SPECS: tuple[TargetSpec, ...] = (
    TargetSpec("keep", "convert nothing; report mixed documents", "keep"),
    TargetSpec(
        "zh-Hans",
        "Simplified Chinese",
        "Simplified",
        script="zh-Hans",
        traditional=TO_SIMPLIFIED,
        mixed="t2s",
    ),
    TargetSpec(
        "zh-Hant",
        "Traditional Chinese (OpenCC's standard for Simplified text; Traditional text kept)",
        "Traditional",
        script="zh-Hant",
        simplified="s2t",
        mixed="s2t",
    ),
    TargetSpec(
        "zh-TW",
        "Traditional Chinese, Taiwan standard and vocabulary",
        "zh-TW",
        script="zh-Hant",
        simplified="s2twp",
        traditional=_same("t2tw"),
        mixed="s2twp",
    ),
    TargetSpec(
        "zh-HK",
        "Traditional Chinese, Hong Kong standard",
        "zh-HK",
        script="zh-Hant",
        simplified="s2hk",
        traditional=_same("t2hk"),
        mixed="s2hk",
    ),
)


# Other names people give the same targets: BCP 47 region tags (what locale settings,
# HTML ``lang`` attributes and translation tools write) mapped to the target whose
# standard that region follows. Mainland China, Singapore and Malaysia write Simplified
# (their official standards adopt the mainland's list); Macau has no OpenCC standard of
# its own and its usage is closest to Hong Kong's. Matching ignores case and accepts
# ``_`` for ``-`` (``zh_CN`` is how POSIX locales spell it).
ALIASES: Mapping[str, str] = {
    "zh-CN": "zh-Hans",
    "zh-SG": "zh-Hans",
    "zh-MY": "zh-Hans",
    "zh-Hans-CN": "zh-Hans",
    "zh-Hans-SG": "zh-Hans",
    "zh-Hant-TW": "zh-TW",
    "zh-Hant-HK": "zh-HK",
    "zh-MO": "zh-HK",
    "zh-Hant-MO": "zh-HK",
}


def names() -> tuple[str, ...]:
    """Every target's name, in table order (the CLI's choices)."""
    return tuple(t.name for t in TARGET_SPECS)


def canonical(name: str) -> str:
    """The table's name for ``name`` or one of its aliases; ``ValueError`` otherwise.

    >>> canonical("zh-CN"), canonical("zh_tw"), canonical("ZH-HANS"), canonical("zh-MO")
    ('zh-Hans', 'zh-TW', 'zh-Hans', 'zh-HK')
    >>> canonical("zh")
    Traceback (most recent call last):
    ...
    ValueError: unknown target 'zh'; known targets: keep, zh-Hans, zh-Hant, zh-TW, zh-HK (aliases: zh-CN, zh-SG, zh-MY, zh-Hans-CN, zh-Hans-SG, zh-Hant-TW, zh-Hant-HK, zh-MO, zh-Hant-MO)
    """
    if not isinstance(name, str):
        raise TypeError(f"target must be a string such as 'zh-Hans', not {type(name).__name__}")
    folded = name.replace("_", "-").casefold()
    for known in names():
        if known.casefold() == folded:
            return known
    for alias, known in ALIASES.items():
        if alias.casefold() == folded:
            return known
    raise ValueError(
        f"unknown target {name!r}; known targets: {', '.join(names())} "
        f"(aliases: {', '.join(ALIASES)})"
    )


def spec(name: str) -> TargetSpec:
    """The row for ``name``; ``ValueError`` naming the known targets otherwise."""
    for target in TARGET_SPECS:
        if target.name == name:
            return target
    raise ValueError(f"unknown target {name!r}; known targets: {', '.join(names())}")
