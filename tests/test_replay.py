"""The one interpreter of recorded steps (fixenc/replay.py): each op, and what it refuses.

"Every change replays" is only a promise if a plan that does not produce ``after`` fails:
the refusals below are what keep it from being true by construction.
"""

from __future__ import annotations

import pytest

from fixenc.model import Change, Kind, Op, Step
from fixenc.replay import replay, replays

# (steps, before, after)
REPLAYS = [
    pytest.param(
        (Step(Op.ENCODE, "cp1252"), Step(Op.DECODE, "utf-8")), "CafÃ©", "Café", id="latin"
    ),
    pytest.param(
        (Step(Op.ENCODE, "gbk"), Step(Op.DECODE, "utf-8")), "浣犲ソ", "你好", id="utf8-as-gbk"
    ),
    pytest.param((Step(Op.OPENCC, "t2s"),), "頭髮", "头发", id="opencc"),
    pytest.param((Step(Op.WIDEN),), "(", "（", id="widen"),
    pytest.param((Step(Op.WIDEN),), "?!", "？！", id="widen-several"),
    pytest.param((Step(Op.DELETE),), "(lái)", "", id="delete"),
]

# (steps, before): plans that must not apply
REFUSED = [
    pytest.param((Step(Op.WIDEN),), "a", id="widen-letter"),
    pytest.param((Step(Op.WIDEN),), "", id="widen-empty"),
    pytest.param((Step(Op.ENCODE, "cp1252"),), "Café", id="ends-in-bytes"),
    pytest.param((Step(Op.DECODE, "utf-8"),), "Café", id="decode-text"),
    pytest.param((Step(Op.APPLY, "not_a_fixer"),), "x", id="unknown-fixer"),
]


@pytest.mark.parametrize(("steps", "before", "after"), REPLAYS)
def test_replay(steps: tuple[Step, ...], before: str, after: str) -> None:
    assert replay(steps, before) == after


@pytest.mark.parametrize(("steps", "before"), REFUSED)
def test_refused(steps: tuple[Step, ...], before: str) -> None:
    with pytest.raises(ValueError):
        replay(steps, before)


def test_replays_is_false_when_the_plan_gives_another_text() -> None:
    change = Change(
        Kind.PUNCTUATION, 0, 1, "", 1.0, before=",", after="。", steps=(Step(Op.WIDEN),)
    )
    assert not replays(change)
