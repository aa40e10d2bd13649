"""The one interpreter of recorded steps: every change replays through here.

Stage: none (shared by the stages, which check their changes replay, and by callers
who want to re-derive a repair). A step names an operation and its argument
(``Step(Op.ENCODE, "gbk")``); ``replay`` runs a plan from the text before to the text
after, so a change can be checked or re-applied without trusting its ``after``.

>>> from fixenc.model import Op, Step
>>> replay([Step(Op.ENCODE, "gbk"), Step(Op.DECODE, "utf-8")], "浣犲ソ")
'你好'
"""

from __future__ import annotations

from collections.abc import Iterable

from fixenc.chars import NARROWED
from fixenc.errors import ReplayError
from fixenc.model import Change, Op, Step

# The ftfy fixers a plan may name (ftfy's own plans use these names); anything else in
# a TRANSCODE or APPLY step is refused rather than looked up by name.
FTFY_FIXERS = frozenset(
    {
        "restore_byte_a0",
        "replace_lossy_sequences",
        "decode_inconsistent_utf8",
        "fix_c1_controls",
        "unescape_html",
        "fix_surrogates",
        "remove_control_chars",
        "remove_terminal_escapes",
    }
)


def apply(step: Step, value: str | bytes) -> str | bytes:
    """Run one step on ``value``; raise ``ValueError`` when it does not apply.

    >>> from fixenc.model import Op, Step
    >>> apply(Step(Op.DECODE, "utf-8"), apply(Step(Op.ENCODE, "latin-1"), "CafÃ©"))
    'Café'
    """
    if step.op is Op.ENCODE and isinstance(value, str):
        return value.encode(codec(step.arg))
    if step.op is Op.DECODE and isinstance(value, bytes):
        return value.decode(codec(step.arg))
    if step.op in (Op.TRANSCODE, Op.APPLY):
        # ftfy labels some text fixers "transcode" (fix_c1_controls) and some byte
        # fixers too (restore_byte_a0): each fixer takes the type it is given.
        if step.arg not in FTFY_FIXERS:
            raise ReplayError(f"unknown ftfy fixer {step.arg!r}")
        from ftfy import fixes

        return getattr(fixes, step.arg)(value)  # type: ignore[no-any-return]
    if step.op is Op.OPENCC and isinstance(value, str):
        from fixenc.convert import convert_with

        return convert_with(step.arg, value)
    if step.op is Op.WIDEN and isinstance(value, str):
        if not value or any(c not in NARROWED for c in value):
            raise ValueError(f"widen applies to ASCII punctuation, not {value!r}")
        return "".join(NARROWED[c] for c in value)
    if step.op is Op.REPLACE and isinstance(value, str):
        return step.arg
    if step.op is Op.DELETE and isinstance(value, str):
        return ""
    raise ReplayError(f"step {step.op.value}:{step.arg} cannot apply to {type(value).__name__}")


def codec(name: str) -> str:
    """``name``, made known to this process: ftfy's private "sloppy-" codecs are
    registered by importing ftfy (this module is their one home besides the Latin stage)."""
    if name.startswith("sloppy-"):
        import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)
    return name


def replay(steps: Iterable[Step], before: str) -> str:
    """Replay a plan on ``before``; the plan must end with text. A plan that does not
    fit its input (a codec that cannot encode it, an unknown codec) is a ``ReplayError``."""
    value: str | bytes = before
    for step in steps:
        try:
            value = apply(step, value)
        except (UnicodeError, LookupError) as exc:
            message = f"step {step.op.value}:{step.arg} cannot be replayed here: {exc}"
            raise ReplayError(message) from exc
    if not isinstance(value, str):
        raise ReplayError("a replay plan must end with a decode step")
    return value


def replays(change: Change) -> bool:
    """Whether ``change``'s steps turn its ``before`` into its ``after``."""
    try:
        return replay(change.steps, change.before) == change.after
    except (ValueError, UnicodeError, LookupError):
        return False
