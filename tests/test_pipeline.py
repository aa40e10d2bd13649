"""The orchestrator: offsets of chained stages map back to the input text."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from fixenc import pipeline
from fixenc.model import (
    Candidate,
    Change,
    Context,
    Finding,
    Kind,
    Op,
    Stage,
    StageOutput,
    Step,
    moved,
)


def _replace_stage(old: str, new: str, kind: Kind = Kind.ANNOTATION) -> Stage:
    """A stage that replaces every ``old`` with ``new`` (for testing the orchestrator).

    Its kind is one that may delete (``ANNOTATION``): the pipeline refuses deletions by
    restoring kinds, tested on their own below."""

    def stage(text: str, context: Context) -> StageOutput | None:
        changes = []
        start = text.find(old)
        while start != -1:
            changes.append(
                Change(kind, start, start + len(old), f"{old}→{new}", 1.0, before=old, after=new)
            )
            start = text.find(old, start + len(old))
        return StageOutput(tuple(changes)) if changes else None

    return stage


@pytest.mark.parametrize(
    ("text", "stages", "expected_text", "expected_spans"),
    [
        pytest.param("ééxé", [("é", "e")], "eexe", [(0, 1), (1, 2), (3, 4)], id="one-stage"),
        pytest.param(
            "ééxé",
            [("é", "ee"), ("x", "yy")],
            "eeeeyyee",
            [(0, 1), (1, 2), (2, 3), (3, 4)],
            id="growth-then-later-stage",
        ),
        pytest.param(
            "aébéc", [("é", ""), ("c", "C")], "abC", [(1, 2), (3, 4), (4, 5)], id="deletions"
        ),
        pytest.param(
            "éb", [("é", "xyz"), ("y", "Y")], "xYzb", [(0, 1), (0, 1)], id="overlap-widens"
        ),
        pytest.param(
            "é\nxé", [("x", "XX"), ("é", "e")], "e\nXXe", [(0, 1), (2, 3), (3, 4)], id="multiline"
        ),
    ],
)
def test_offsets_map_to_input(
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    stages: list[tuple[str, str]],
    expected_text: str,
    expected_spans: list[tuple[int, int]],
) -> None:
    chain = tuple((f"s{i}", _replace_stage(old, new)) for i, (old, new) in enumerate(stages))
    monkeypatch.setattr(pipeline, "STAGES", chain)
    result = pipeline.repair(text)
    assert result.text == expected_text
    assert sorted((c.start, c.end) for c in result.changes) == expected_spans


def test_line_and_column_from_input(monkeypatch: pytest.MonkeyPatch) -> None:
    # "è" rather than "é" in the growth: a stage that would fire again on its own
    # output is refused by the stability check, tested on its own below.
    chain = (("grow", _replace_stage("é", "èèèè")), ("mark", _replace_stage("ü", "u")))
    monkeypatch.setattr(pipeline, "STAGES", chain)
    result = pipeline.repair("éé\r\nxü")
    located = [(c.before, c.line, c.column) for c in result.changes]
    assert located == [("é", 1, 1), ("é", 1, 2), ("ü", 2, 2)]


def test_ascii_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, context: Context) -> StageOutput | None:
        raise AssertionError("a stage ran on ASCII text")

    monkeypatch.setattr(pipeline, "STAGES", (("boom", boom),))
    assert pipeline.repair("plain ASCII\r\n").text == "plain ASCII\r\n"


def test_overlapping_changes_from_one_stage_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def bad(text: str, context: Context) -> StageOutput | None:
        return StageOutput(
            (
                Change(Kind.HYGIENE, 0, 2, "", 1.0, before="éé", after="e"),
                Change(Kind.HYGIENE, 1, 2, "", 1.0, before="é", after="e"),
            )
        )

    monkeypatch.setattr(pipeline, "STAGES", (("bad", bad),))
    with pytest.raises(ValueError, match="overlapping"):
        pipeline.repair("éé")


UNSAFE_STAGES = [
    pytest.param(_replace_stage("é", "", Kind.MOJIBAKE), "aébéc", id="restoring-kind-deletes"),
    pytest.param(_replace_stage("é", "éé", Kind.MOJIBAKE), "aé\nbc", id="fires-on-its-output"),
]


@pytest.mark.parametrize(("stage", "text"), UNSAFE_STAGES)
def test_unsafe_repairs_are_refused_and_reported(
    monkeypatch: pytest.MonkeyPatch, stage: Stage, text: str
) -> None:
    """A repair that deletes text, or one that a second pass would carry further, is
    not applied: the text stays as it was and each refusal is a finding."""
    monkeypatch.setattr(pipeline, "STAGES", (("unsafe", stage),))
    result = pipeline.repair(text)
    assert (result.text, result.changes) == (text, ())
    assert result.findings and all(f.reason.startswith("not applied") for f in result.findings)


def test_refusal_is_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the lines a second pass would change lose their repairs."""
    chain = (("grow", _replace_stage("é", "éé", Kind.MOJIBAKE)), ("ok", _replace_stage("ü", "u")))
    monkeypatch.setattr(pipeline, "STAGES", chain)
    result = pipeline.repair("é\nü\n")
    assert result.text == "é\nu\n"
    assert [c.before for c in result.changes] == ["ü"]


# One record of each type, every field set away from its default.
_RECORDS = [
    Change(
        Kind.VARIANT,
        3,
        5,
        "why",
        0.5,
        before="们的",
        after="們的",
        steps=(Step(Op.DELETE),),
        line=2,
        column=4,
    ),
    Finding(
        Kind.UNRECOVERABLE,
        1,
        4,
        "lost",
        0.25,
        text="锟斤拷",
        candidates=(Candidate("?", 0.1),),
        line=7,
        column=9,
    ),
]
# A new value for each field a record type has.
_NEW: dict[str, Any] = {
    "kind": Kind.ANNOTATION,
    "start": 11,
    "end": 13,
    "reason": "other",
    "confidence": 0.75,
    "line": 40,
    "column": 41,
    "before": "x",
    "after": "y",
    "steps": (),
    "text": "t",
    "candidates": (),
}


@pytest.mark.parametrize(
    ("record", "name"),
    [
        pytest.param(r, f.name, id=f"{type(r).__name__}-{f.name}")
        for r in _RECORDS
        for f in dataclasses.fields(r)
    ],
)
def test_moved_equals_replace(record: Change | Finding, name: str) -> None:
    """The pipeline's cheap copy gives what ``dataclasses.replace`` gives, field by field,
    and leaves the original as it was."""
    before = dataclasses.astuple(record)
    copy = moved(record, **{name: _NEW[name]})
    assert copy == dataclasses.replace(record, **{name: _NEW[name]})
    assert type(copy) is type(record) and getattr(copy, name) == _NEW[name]
    assert dataclasses.astuple(record) == before


def test_moved_refuses_an_unknown_field() -> None:
    with pytest.raises(TypeError, match="no field"):
        moved(_RECORDS[0], text="a Change has no text")
