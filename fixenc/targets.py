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
    """How one target converts each kind of passage (``None``: leaves it alone).

    ``simplified``: the configuration for a Simplified passage; with ``consensus``, only
    the characters every one of those configurations changes may change (the common core
    of several standards). ``mixed``: the configuration for a passage that mixes both
    scripts, of which only the evidence characters move, plus what ``mixed_variants``
    would change (so that a second run has nothing left to do). ``traditional``: the
    configuration for a Traditional passage, chosen by the standard it follows.
    """

    name: str
    description: str
    short: str  # how reasons name it: "Simplified → zh-TW", "Traditional → Simplified"
    script: Script | None = None
    simplified: str | None = None
    consensus: tuple[str, ...] = ()
    mixed: str | Mapping[Standard, str] | None = None
    mixed_variants: str | None = None
    traditional: Mapping[Standard, str] = field(default_factory=dict)

    @property
    def converts(self) -> bool:
        """False for ``keep``: nothing is converted, mixed documents are only reported."""
        return self.script is not None


def _same(config: str) -> Mapping[Standard, str]:
    return {"opencc": config, "taiwan": config, "hongkong": config}


# Traditional → Simplified by the standard the passage follows: each is the inverse of
# the conversion that would have produced it.
TO_SIMPLIFIED: Mapping[Standard, str] = {"opencc": "t2s", "taiwan": "tw2s", "hongkong": "hk2s"}

TARGET_SPECS: tuple[TargetSpec, ...] = (
    TargetSpec("keep", "convert nothing; report mixed documents", "keep"),
    TargetSpec(
        "zh-Hans",
        "Simplified Chinese",
        "Simplified",
        script="zh-Hans",
        mixed=TO_SIMPLIFIED,
        traditional=TO_SIMPLIFIED,
    ),
    TargetSpec(
        "zh-Hant",
        "Traditional Chinese (what OpenCC's, Taiwan's and Hong Kong's standards agree on)",
        "Traditional",
        script="zh-Hant",
        # 吃, 群, 床 and 天文台 stay (some standard keeps them); 后→後 and 头发→頭髮 move.
        simplified="s2t",
        consensus=("s2t", "s2tw", "s2hk"),
        mixed="s2t",
    ),
    TargetSpec(
        "zh-TW",
        "Traditional Chinese, Taiwan standard and vocabulary",
        "zh-TW",
        script="zh-Hant",
        simplified="s2twp",
        mixed="s2tw",
        mixed_variants="t2tw",
        traditional=_same("t2tw"),
    ),
    TargetSpec(
        "zh-HK",
        "Traditional Chinese, Hong Kong standard",
        "zh-HK",
        script="zh-Hant",
        simplified="s2hk",
        mixed="s2hk",
        mixed_variants="t2hk",
        traditional=_same("t2hk"),
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
