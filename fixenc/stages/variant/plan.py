"""Conversion planning of the variant stage: which configuration converts a passage.

Reads the target's row of ``fixenc.targets`` and the passage's label and standard.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fixenc.convert import convert_with
from fixenc.model import Passage, Region, VariantLabel
from fixenc.stages.variant.evidence import _BMP_HAN
from fixenc.stages.variant.segment import _Analysis
from fixenc.targets import TO_SIMPLIFIED, Standard, TargetSpec


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to convert one passage: the configuration applied to the whole of it."""

    config: str
    why: str


def _document_label(found: Sequence[Passage]) -> VariantLabel | None:
    """The document's variant when every Chinese passage with evidence agrees.

    A passage without evidence (a heading 里面, a line 於是) is in the variant of its
    document, so it converts along with it; in a mixed document it stays as it is.
    """
    return _document_label_of(p.label for p in found if p.region is not Region.FOREIGN)


def _document_label_of(found: Iterable[VariantLabel]) -> VariantLabel | None:
    """``_document_label`` from the Chinese passages' labels."""
    labels = set(found) - {"both", "none"}
    return labels.pop() if len(labels) == 1 and labels <= {"zh-Hans", "zh-Hant"} else None


def _planned(label: VariantLabel, target: TargetSpec, document: VariantLabel | None) -> bool:
    """Whether ``_plan`` can convert a passage labelled ``label`` (a cheap first test:
    the passage itself is built only then)."""
    if label == "both" and document is not None:
        label = document
    if label in ("both", "none") or not target.converts:
        return False
    if label == "zh-Hant":
        return bool(target.traditional)
    return bool(target.mixed if label == "mixed" else target.simplified)


def _plan(
    analysis: _Analysis, passage: Passage, target: TargetSpec, document: VariantLabel | None
) -> _Plan | None:
    """How ``target`` converts ``passage`` (its row of ``fixenc.targets``), or ``None``.

    A mixed clause holds Simplified text: it is converted whole, as OpenCC converts a
    Simplified source, so no Simplified character is left between converted ones.
    """
    if not _planned(passage.label, target, document):
        return None
    label = document if passage.label == "both" and document is not None else passage.label
    if label == "zh-Hant":
        configs = target.traditional
        if len(set(configs.values())) == 1:
            return _Plan(next(iter(configs.values())), _why(label, target))
        # Protected text is not converted, so it does not decide the standard either.
        text = "".join(
            analysis.text[s:e] for s, e in analysis.protection.free(passage.start, passage.end)
        )
        # Without marks, OpenCC's own standard is chosen whatever the vocabulary; the
        # lookup costs three OpenCC passes, so it is asked only when some character
        # marks a regional standard.
        if not _has_marks(text):
            return _Plan(configs["opencc"], _why(label, target))
        mainland = bool(analysis.mainland_words(passage.start, passage.end))
        return _Plan(_by_standard(configs, text, mainland), _why(label, target))
    config = target.mixed if label == "mixed" else target.simplified
    return _Plan(config, _why(label, target)) if config else None


def _why(label: VariantLabel, target: TargetSpec) -> str:
    """How reasons name the conversion of a ``label`` unit to ``target``."""
    if label == "zh-Hant":
        if target.script == "zh-Hans":
            return f"Traditional → {target.short}"
        # Already Traditional: only character variants move to the regional standard.
        return f"Traditional variants → {target.name} standard"
    if label == "mixed":
        return f"mixed Simplified/Traditional → {target.short}"
    return f"Simplified → {target.short}"


def _by_standard(configs: Mapping[Standard, str], text: str, mainland: bool = False) -> str:
    """The configuration for the standard ``text`` follows (told only when it matters).

    Text with mainland vocabulary came from Simplified through OpenCC's own standard
    (s2t), whatever marks it carries, so it goes back with that standard's inverse.
    """
    if len(set(configs.values())) == 1:
        return next(iter(configs.values()))
    return configs["opencc" if mainland else _standard(text)]


# Each Traditional standard with the Simplified → Traditional configuration that writes it.
_ROUND_TRIPS: tuple[tuple[Standard, str], ...] = (
    ("opencc", "s2t"),
    ("taiwan", "s2tw"),
    ("hongkong", "s2hk"),
)


def _standard(text: str) -> Standard:
    """The Traditional standard the text's characters follow.

    A character is a mark of Taiwan's standard when converting it to Simplified and back
    with the Taiwan standard gives it back but OpenCC's standard does not (裡, 群, 著);
    likewise for Hong Kong's. The standard with more marks wins; OpenCC's own on a tie.
    The marks are character classes built once per process, so telling the standard is
    a regex count.

    >>> _standard("裡面很著急"), _standard("這是説明"), _standard("裏面")
    ('taiwan', 'hongkong', 'opencc')
    """
    taiwan = len(_marks("taiwan").findall(text))
    hongkong = len(_marks("hongkong").findall(text))
    if taiwan > hongkong:
        return "taiwan"
    if hongkong > taiwan:
        return "hongkong"
    return "opencc"


@functools.cache
def _marks(standard: Standard) -> re.Pattern[str]:
    """The characters that mark ``standard``, and not the other regional one, against
    OpenCC's own (see ``_standard``): each BMP Han character converted, one per line, in
    one call per configuration."""
    chars = [chr(i) for first, last in _BMP_HAN for i in range(first, last + 1)]
    joined = "\n".join(chars)
    back = {
        name: convert_with(_from, convert_with(TO_SIMPLIFIED[name], joined)).split("\n")
        for name, _from in _ROUND_TRIPS
    }
    if any(len(v) != len(chars) for v in back.values()):  # pragma: no cover - line-adding OpenCC
        return re.compile("(?!)")
    marked = {
        name: {
            c
            for c, mine, opencc in zip(chars, back[name], back["opencc"], strict=True)
            if c == mine != opencc
        }
        for name in ("taiwan", "hongkong")
    }
    # A character that marks both standards (為, 群) adds one to each count: leaving it
    # out changes no comparison, and lets a text without marks skip the counting.
    other = marked["hongkong" if standard == "taiwan" else "taiwan"]
    members = sorted(marked[standard] - other)
    return re.compile(f"[{re.escape(''.join(members))}]")


def _has_marks(text: str) -> bool:
    """Whether any character of ``text`` marks Taiwan's or Hong Kong's standard."""
    return _any_mark().search(text) is not None


@functools.cache
def _any_mark() -> re.Pattern[str]:
    """One class of both standards' marks: one scan instead of two."""
    return re.compile(_marks("taiwan").pattern[:-1] + _marks("hongkong").pattern[1:])
