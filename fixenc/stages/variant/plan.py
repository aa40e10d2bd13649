"""Conversion planning of the variant stage: which configuration converts a passage.

Reads the target's row of ``fixenc.targets`` and the passage's label and standard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fixenc.convert import convert_with
from fixenc.model import Passage, Region, VariantLabel
from fixenc.stages.variant.segment import _Analysis
from fixenc.targets import TO_SIMPLIFIED, Standard, TargetSpec


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to convert one passage: a configuration, and whether only evidence moves."""

    config: str
    restricted: bool  # only evidence characters may change (mixed passages)
    why: str
    # With ``restricted``: a configuration whose changes are also allowed — the regional
    # variant normalisation (t2tw, t2hk) a Traditional passage would get, so that the
    # result needs nothing on a second run.
    variants: str | None = None
    # Without ``restricted``: only positions every one of these configurations changes
    # may change — the common core of several standards.
    consensus: tuple[str, ...] = ()


def _document_label(found: Sequence[Passage]) -> VariantLabel | None:
    """The document's variant when every Chinese passage with evidence agrees.

    A passage without evidence (a heading 里面, a line 於是) is in the variant of its
    document, so it converts along with it; in a mixed document it stays as it is.
    """
    labels = {p.label for p in found if p.region is not Region.FOREIGN} - {"both", "none"}
    return labels.pop() if len(labels) == 1 and labels <= {"zh-Hans", "zh-Hant"} else None


def _plan(
    analysis: _Analysis, passage: Passage, target: TargetSpec, document: VariantLabel | None
) -> _Plan | None:
    """How ``target`` converts ``passage`` (its row of ``fixenc.targets``), or ``None``."""
    label = passage.label
    if label == "both" and document is not None:
        label = document
    if label in ("both", "none") or not target.converts:
        return None
    text = analysis.text[passage.start : passage.end]
    if label == "zh-Hant":
        if not target.traditional:
            return None
        config = _by_standard(target.traditional, text, passage)
        if target.script == "zh-Hans":
            return _Plan(config, False, f"Traditional → {target.short}")
        # Already Traditional: only normalise character variants to the regional standard.
        return _Plan(config, False, f"Traditional variants → {target.name} standard")
    if label == "mixed":
        if target.mixed is None:
            return None
        if isinstance(target.mixed, str):
            return _Plan(target.mixed, True, f"Simplified → {target.short}", target.mixed_variants)
        config = _by_standard(target.mixed, text, passage)
        return _Plan(config, True, f"Traditional → {target.short}")
    if target.simplified is None:
        return None
    why = f"Simplified → {target.short}"
    return _Plan(target.simplified, False, why, consensus=target.consensus)


def _by_standard(configs: Mapping[Standard, str], text: str, passage: Passage) -> str:
    """The configuration for the standard ``text`` follows (told only when it matters)."""
    if len(set(configs.values())) == 1:
        return next(iter(configs.values()))
    return configs[_standard(text, passage)]


def _standard(text: str, passage: Passage) -> Standard:
    """The Traditional standard the passage's characters follow.

    A character decides for Taiwan when converting the passage to Simplified and back
    with the Taiwan standard reproduces it but OpenCC's standard does not (裡, 群, 著);
    likewise for Hong Kong. Mainland vocabulary means the text came from Simplified via
    OpenCC's own standard.

    >>> _standard("裡面很著急", Passage(0, 5, 1, 1, "zh-Hant", 0.5))
    'taiwan'
    """
    if passage.region is Region.MAINLAND:
        return "opencc"
    trips: tuple[tuple[Standard, str], ...] = (
        ("opencc", "s2t"),
        ("taiwan", "s2tw"),
        ("hongkong", "s2hk"),
    )
    back = {
        name: convert_with(_from, convert_with(TO_SIMPLIFIED[name], text)) for name, _from in trips
    }
    if any(len(v) != len(text) for v in back.values()):
        return "opencc"
    score = {
        name: sum(
            1 for c, b, o in zip(text, back[name], back["opencc"], strict=True) if c == b != o
        )
        for name in ("taiwan", "hongkong")
    }
    if score["taiwan"] > score["hongkong"]:
        return "taiwan"
    if score["hongkong"] > score["taiwan"]:
        return "hongkong"
    return "opencc"
