"""The variant stage's batched path gives exactly the per-passage path's records.

``variant.batch`` converts every passage of one configuration in one OpenCC call, joined
by ``batch.SEPARATOR``, and explains them from per-document passes. Each table here
compares ``variant._full_stage`` batched and one passage at a time (``batched=False``),
on mixed, real and random text, under every target; the separator's claim is checked on
every dictionary of every configuration the stage converts with, and a deliberately
broken batch (another separator, the records in another order) is caught.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import random
from typing import Any

import pytest
from conftest import mixed_catalogues
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc import convert
from fixenc.convert import chain, convert_with, dictionary
from fixenc.model import Change, Kind, Op, Options, StageOutput, Step
from fixenc.stages import variant
from fixenc.stages.variant import batch, render, segment
from fixenc.targets import names as target_names
from fixenc.targets import spec


def _configs() -> list[str]:
    """Every configuration the stage converts a passage with (``fixenc.targets``)."""
    found: set[str] = set()
    for name in target_names():
        target = spec(name)
        found |= {c for c in (target.simplified, target.mixed) if c}
        found |= set(target.traditional.values())
    return sorted(found)


CONFIGS = _configs()


@functools.cache
def _entries(config: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every entry of every dictionary ``config`` reads: its segmentation's (which cuts
    the text into the pieces that are matched), its normalisation's and its chain's."""
    path = convert._CLIB / "share" / "opencc" / f"{config}.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    # Without a segmentation (t2tw), the chain's dictionaries alone cut the text.
    segmentation = convert._files(spec["segmentation"]["dict"]) if "segmentation" in spec else []
    names = dict.fromkeys([*segmentation, *(name for stage in chain(config) for name in stage)])
    return tuple(e for name in names for e in dictionary(name))


def test_the_dictionaries_include_the_segmentation() -> None:
    names = {"STPhrases", "STPhrases_GeneratedFromRegionalPhrases"}
    assert {k for k, _v in _entries("s2twp")} >= {k for n in names for k, _v in dictionary(n)}


def test_the_stage_converts_with_several_configurations() -> None:
    assert {"s2t", "t2s", "s2twp", "s2hk", "tw2s", "hk2s", "t2tw", "t2hk"} <= set(CONFIGS)


@pytest.mark.parametrize("config", CONFIGS)
def test_no_dictionary_entry_holds_a_line_break(config: str) -> None:
    """Why the separator is safe: no key can match across it, so each side converts as
    alone, and no value writes a line break, so the lines stay where they were."""
    entries = _entries(config)
    assert len(entries) > 100  # the dictionaries were read
    for key, values in entries:
        assert not set(batch.SEPARATOR) & set(key), (config, key)
        assert not any(set("\r\n") & set(v) for v in values), (config, key)


@pytest.mark.parametrize("config", CONFIGS)
def test_keys_joined_by_the_separator_convert_as_alone(config: str) -> None:
    """Every key of the configuration's dictionaries (and its last character glued to
    the next key's first), converted in one call through ``SEPARATOR``, comes back as
    each converted on its own."""
    keys = sorted({k for k, _v in _entries(config)})
    random.Random(config).shuffle(keys)
    # Pairs of keys glued together too: text that a phrase could join if the separator
    # let it (the pair's own conversion is the reference, so this needs no dictionary).
    pieces = keys + ["".join(keys[i : i + 2]) for i in range(0, len(keys), 2)]
    joined = convert_with(config, batch.SEPARATOR.join(pieces))
    assert joined.split(batch.SEPARATOR) == [convert_with(config, p) for p in pieces]


def _paths(text: str, options: Options) -> tuple[StageOutput | None, StageOutput | None]:
    return (
        variant._full_stage(text, options),
        variant._full_stage(text, options, batched=False),
    )


def _assert_same(text: str, target: str) -> None:
    options = Options(target=target)
    batched, one_by_one = _paths(text, options)
    assert batched == one_by_one
    if batched is not None:  # the records, field by field, in order
        assert [c.to_dict() for c in batched.changes] == [
            c.to_dict() for c in (one_by_one.changes if one_by_one else ())
        ]


# A passage whose tenth distinct evidence character comes after many repeats.
LATE_EVIDENCE = "们" * 30 + "这个说话来时为对样会还\n\n這個\n"

MIXED = [
    pytest.param("我们是学生。\n\n這個很好。\n", id="paragraphs"),
    pytest.param("我们是学生。\n這個很好。\n我们\n這個\n", id="lines"),
    pytest.param("这个软件，這個軟件。\n信息，資訊。\n", id="clauses"),
    pytest.param("我们是学生。\r\n\r\n這個很好。\r\n头发\r\n", id="crlf"),
    pytest.param("我们\rab\rcd\n這個\r\r头发\r", id="lone-cr"),
    pytest.param("我们 `这个` 学生\n\n這個 `這個` 很好\n", id="code-spans"),
    pytest.param("我们\n`代码`\n头发\n\n這個\n", id="code-span-on-its-own-line"),
    pytest.param("我们\r`代码`\r头发\r\r這個\r", id="code-span-after-a-lone-cr"),
    pytest.param("see http://例子.com/们 头发\n\n這個 http://例子.com/們\n", id="urls"),
    pytest.param(
        "我们\n# fixenc: off\n头发\n# fixenc: on\n后来\n\n這個\n", id="switched-off-lines"
    ),
    pytest.param("我们的软件。\n\n這裡的軟件很好，群組裡的人都說。\n", id="taiwan-marks"),
    pytest.param("我们的软件。\n\n這個軟件很好，佢哋都説。\n", id="hong-kong-marks"),
    pytest.param("我们是学生。\n\n這個很好。\n\n中文\n\nEnglish\n", id="without-evidence"),
    pytest.param("头发\n" * 3 + "\n" + "頭髮\n" * 3 + "\n" + "头发，頭髮\n", id="runs"),
    pytest.param("我们是学生。\n\n中文\n", id="one-script"),
    pytest.param("這個很好。\n\n`头发` 中文\n", id="one-script-with-a-code-span"),
    pytest.param("被发明\n\n展示了如何\n\n這個\n", id="opencc-phrase-boundaries"),
    pytest.param("\n\n我们\n\n\n這個\n\n\n", id="blank-lines-around"),
    pytest.param("东京の天气\n\n我们\n\n這個\n", id="kana"),
    pytest.param(LATE_EVIDENCE, id="distinct-evidence-after-many-repeats"),
    # Text the static classes do not model: the evidence comes from OpenCC's probes.
    pytest.param("我们𠮷野\n\n這個\n\n头发\n", id="supplementary-han"),
    pytest.param("⿰们们 我们\n\n這個\n", id="ideographic-description"),
    pytest.param("我们😀\n\n這個😀\n", id="emoji"),
    # Traditional characters some context keeps (``evidence._Static.context``).
    pytest.param("我们的祕密\n\n這個祕密，昇平\n", id="traditional-context-characters"),
    pytest.param("我们的祕密\n\n這個\n\n东京の天气\n", id="context-characters-before-kana"),
    pytest.param("我们\n\n允祕\n\n吳育昇說，祕密\n", id="traditional-characters-kept"),
    pytest.param("我们\n\n`允祕` 祕密\n\n這個\n", id="context-characters-in-a-code-span"),
]


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("text", MIXED)
def test_batched_is_one_by_one(text: str, target: str) -> None:
    _assert_same(text, target)


def _benchmark_like(paragraphs: int) -> str:
    """The benchmark's shape: Simplified and Traditional paragraphs in turn."""
    simplified = "Python（派森）语言是一种功能强大而完善的通用型计算机程序设计语言，\n已经具有十多年的发展历史。"
    traditional = "如何在 Python 中使用既有的 C library?\n\u3000在資訊科技快速發展的今天, 開發及測試軟體的速度"
    return "".join(f"{simplified}\n\n{traditional}\n\n" for _ in range(paragraphs))


@pytest.mark.parametrize("target", target_names())
def test_batched_is_one_by_one_on_many_paragraphs(target: str) -> None:
    text = _benchmark_like(200)
    _assert_same(text, target)
    if target not in ("keep",):  # every converted paragraph is recorded
        out = variant._full_stage(text, Options(target=target))
        assert out is not None and len(out.changes) == 200


@pytest.mark.parametrize("target", target_names())
@pytest.mark.parametrize("shape", ["lines", "paragraphs", "clauses"])
def test_batched_is_one_by_one_on_real_mixed_text(shape: str, target: str) -> None:
    """Real zh_CN and zh_TW translations mixed by line, paragraph and clause."""
    _assert_same(mixed_catalogues(shape), target)


TOKENS = [
    *("我们", "這個", "头发", "頭髮", "软件", "軟件", "軟體", "信息", "資訊", "裡面", "説"),
    *("种", "種", "拮据", "天文台", "干涉", "中文", "后来", "後來", "被发明", "了解", "祕", "昇"),
    *("\n", "\n", "\n\n", "\r\n", "\r", "\r\n\r\n", " ", "\u3000", "abc", "，", "。"),
    *("`x`", "`头发`", "http://a.b/们 ", "# fixenc: off\n", "# fixenc: on\n", "の", "𠮷"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join), st.sampled_from(target_names()))
def test_batched_is_one_by_one_on_random_text(text: str, target: str) -> None:
    _assert_same(text, target)


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The configurations of every OpenCC call the batch makes (its own, and those of
    ``render._convert_piece``, which converts one piece at a time)."""
    calls: list[str] = []

    def counted(config: str, text: str) -> str:
        calls.append(config)
        return convert_with(config, text)

    monkeypatch.setattr(batch, "convert_with", counted)
    monkeypatch.setattr(render, "convert_with", counted)
    return calls


@pytest.mark.parametrize("target", ["zh-Hans", "zh-Hant", "zh-TW", "zh-HK"])
def test_one_opencc_call_per_configuration(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _benchmark_like(50)
    analysis = segment._Analysis(text, Options(target=target), vocabulary=False)
    calls = _count_calls(monkeypatch)
    changes = batch.batched_changes(analysis, spec(target), None, None)
    assert len(changes) == 50
    assert calls and len(calls) == len(set(calls))


def test_a_separator_without_a_blank_line_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one line break between passages, neighbouring passages' changed lines form
    one run: the batch notices and converts them one by one (same records, caught by
    the count of OpenCC calls)."""
    monkeypatch.setattr(batch, "SEPARATOR", "\n")
    _assert_same(_benchmark_like(5), "zh-Hant")  # the guard keeps the records right
    with pytest.raises(AssertionError):
        test_one_opencc_call_per_configuration("zh-Hant", monkeypatch)


def _late_last_line(why: str, config: str, first: int, last: int, *rest: Any) -> str:
    return render._reason_of(why, config, first, last + 1, *rest)


def _evidence_of_the_first(
    analysis: segment._Analysis, ks: list[int], *args: object
) -> list[list[str]]:
    found = REAL_EVIDENCE(analysis, ks, *args)  # type: ignore[arg-type]
    return [found[0]] * len(found)


REAL_EVIDENCE = batch._evidence


def _reversed_each(
    rows: list[tuple[int, int, str, str, str, float]], **kwargs: object
) -> list[Change]:
    return REAL_EACH(rows, **kwargs)[::-1]  # type: ignore[arg-type]


REAL_EACH = Change.each


def _distinct_of_a_prefix(chars: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chars[: batch.EVIDENCE_LOOK]))[: segment.EVIDENCE_MAX]


def _lines_one_late(*args: Any) -> tuple[list[int], list[int]]:
    firsts, lasts = REAL_LINES(*args)
    return firsts, [n + 1 for n in lasts]


REAL_LINES = batch._lines_of

SHORT = "我们\n是\n\n這個\n\n头发\n"
# Under ``keep`` the Traditional minority is reported: two passages of it.
MINORITY = "我们这里说话\n\n这些学生\n\n這個\n\n頭髮\n"
BROKEN = [
    pytest.param(batch, "_reason_of", _late_last_line, SHORT, "zh-Hant", id="last-line-off-by-one"),
    pytest.param(
        batch, "_evidence", _evidence_of_the_first, SHORT, "zh-Hant", id="another-passages-evidence"
    ),
    pytest.param(Change, "each", _reversed_each, SHORT, "zh-Hant", id="records-out-of-order"),
    pytest.param(
        batch,
        "_distinct",
        _distinct_of_a_prefix,
        LATE_EVIDENCE,
        "zh-Hant",
        id="distinct-of-a-prefix-only",
    ),
    pytest.param(
        batch, "_evidence", _evidence_of_the_first, MINORITY, "keep", id="findings-evidence"
    ),
    pytest.param(batch, "_lines_of", _lines_one_late, MINORITY, "keep", id="findings-lines"),
]


@pytest.mark.parametrize(("owner", "name", "broken", "text", "target"), BROKEN)
def test_a_broken_batch_is_caught(
    owner: object,
    name: str,
    broken: object,
    text: str,
    target: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tables above can fail: each of these mistakes makes them fail."""
    _assert_same(text, target)
    monkeypatch.setattr(owner, name, broken)
    with pytest.raises(AssertionError):
        _assert_same(text, target)


def test_the_minority_is_reported_passage_by_passage() -> None:
    out = variant._full_stage(MINORITY, Options(target="keep"))
    assert out is not None and [f.text for f in out.findings] == ["這個", "頭髮"]


def test_each_builds_what_the_constructor_builds() -> None:
    steps = (Step(Op.OPENCC, "s2t"),)
    rows = [(0, 2, "头发", "頭髮", "why", 0.5), (5, 6, "后", "後", "other", 0.75)]
    built = Change.each(rows, kind=Kind.VARIANT, steps=steps)
    expected = [
        Change(Kind.VARIANT, s, e, r, c, before=b, after=a, steps=steps)
        for s, e, b, a, r, c in rows
    ]
    assert built == expected
    assert [hash(c) for c in built] == [hash(c) for c in expected]
    assert [repr(c) for c in built] == [repr(c) for c in expected]
    assert dataclasses.replace(built[0], line=3) == dataclasses.replace(expected[0], line=3)
