"""The data types every stage shares: changes, findings, results, options.

Stage: none (shared vocabulary). Every stage speaks only these types, so the diff
reporter, the CLI, JSON output and the library all describe a repair the same way.
A change is data: it records what was replaced, where, why, how sure we are, and the
replayable steps that turn ``before`` into ``after``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Target = Literal["keep", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK"]
TARGETS: tuple[Target, ...] = ("keep", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK")


class Kind(str, enum.Enum):
    """What sort of damage a change repairs or a finding reports."""

    DECODE = "decode"  # bytes were in a legacy encoding; the text was transcoded
    MOJIBAKE = "mojibake"  # a span decoded with the wrong codec, repaired by round trip
    VARIANT = "variant"  # Chinese script variant (Traditional/Simplified/regional)
    ANNOTATION = "annotation"  # inline noise such as machine-added pinyin
    UNRECOVERABLE = "unrecoverable"  # damage that cannot be undone (U+FFFD, 锟斤拷)
    HYGIENE = "hygiene"  # Unicode hygiene: HTML entities, C1 controls, surrogates
    PUNCTUATION = "punctuation"  # optional CJK punctuation restoration


class Op(str, enum.Enum):
    """One replayable step of a change. ``Step.apply`` is the only interpreter."""

    ENCODE = "encode"  # str -> bytes with the codec named in ``arg``
    DECODE = "decode"  # bytes -> str with the codec named in ``arg``
    TRANSCODE = "transcode"  # bytes -> bytes with an ftfy byte fixer named in ``arg``
    APPLY = "apply"  # str -> str with an ftfy text fixer named in ``arg``
    OPENCC = "opencc"  # str -> str with the OpenCC configuration named in ``arg``
    REPLACE = "replace"  # str -> str: the result is ``arg`` itself (chosen candidate)
    DELETE = "delete"  # str -> str: the result is empty


# Findings of these kinds report damage (lost, or repairable only by a guess); other
# findings (a mixed-variant document, mainland vocabulary) are information.
ATTENTION_KINDS = frozenset({Kind.MOJIBAKE, Kind.UNRECOVERABLE})


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a replay plan, e.g. ``Step(Op.ENCODE, "latin-1")``."""

    op: Op
    arg: str = ""

    def apply(self, value: str | bytes) -> str | bytes:
        """Run this step on ``value``; raise ``ValueError`` when it does not apply.

        >>> Step(Op.DECODE, "utf-8").apply(Step(Op.ENCODE, "latin-1").apply("CafÃ©"))
        'Café'
        """
        if self.op is Op.ENCODE and isinstance(value, str):
            return value.encode(_codec(self.arg))
        if self.op is Op.DECODE and isinstance(value, bytes):
            return value.decode(_codec(self.arg))
        if self.op in (Op.TRANSCODE, Op.APPLY):
            # ftfy labels some text fixers "transcode" (fix_c1_controls) and some byte
            # fixers too (restore_byte_a0): each fixer takes the type it is given.
            from ftfy import fixes

            return getattr(fixes, _ftfy_name(self.arg))(value)  # type: ignore[no-any-return]
        if self.op is Op.OPENCC and isinstance(value, str):
            from fixenc.variant import convert_with

            return convert_with(self.arg, value)
        if self.op is Op.REPLACE and isinstance(value, str):
            return self.arg
        if self.op is Op.DELETE and isinstance(value, str):
            return ""
        raise ValueError(f"step {self.op.value}:{self.arg} cannot apply to {type(value).__name__}")


def _codec(name: str) -> str:
    """Map ftfy's private codec names onto ones this process knows."""
    if name.startswith("sloppy-"):
        import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)
    return name


_FTFY_FIXERS = frozenset(
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


def _ftfy_name(name: str) -> str:
    if name not in _FTFY_FIXERS:
        raise ValueError(f"unknown ftfy fixer {name!r}")
    return name


def replay(steps: Iterable[Step], before: str) -> str:
    """Replay a plan on ``before``; the plan must end with text.

    >>> replay([Step(Op.ENCODE, "gbk"), Step(Op.DECODE, "utf-8")], "浣犲ソ")
    '你好'
    """
    value: str | bytes = before
    for step in steps:
        value = step.apply(value)
    if not isinstance(value, str):
        raise ValueError("a replay plan must end with a decode step")
    return value


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible reading of a damaged span, with the score that ranked it."""

    text: str
    score: float
    hypothesis: str = ""  # e.g. "utf-8 read as gbk, 1 lost byte"


@dataclass(frozen=True, slots=True)
class Change:
    """One applied edit: ``before`` at ``[start, end)`` of the input became ``after``.

    Offsets, line and column refer to the text the pipeline was given (line and column
    are 1-based and count code points). ``confidence`` is 0–1.
    """

    kind: Kind
    start: int
    end: int
    before: str
    after: str
    reason: str
    confidence: float
    steps: tuple[Step, ...] = ()
    line: int = 0
    column: int = 0

    def replay(self) -> str:
        """Re-derive ``after`` from ``before`` with the recorded steps."""
        return replay(self.steps, self.before)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "steps": [[s.op.value, s.arg] for s in self.steps],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """Something reported but not changed: unrecoverable damage, an unsure repair,
    a mixed-variant passage. ``candidates`` lists what a repair could have been."""

    kind: Kind
    start: int
    end: int
    text: str
    reason: str
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    line: int = 0
    column: int = 0

    @classmethod
    def from_change(cls, change: Change, hypothesis: str) -> Finding:
        """A change reported instead of applied: its repair becomes the first candidate."""
        return cls(
            kind=change.kind,
            start=change.start,
            end=change.end,
            text=change.before,
            reason=change.reason,
            confidence=change.confidence,
            candidates=(Candidate(change.after, change.confidence, hypothesis),),
            line=change.line,
            column=change.column,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "candidates": [
                {"text": c.text, "score": round(c.score, 4), "hypothesis": c.hypothesis}
                for c in self.candidates
            ],
        }


@dataclass(frozen=True, slots=True)
class EncodingGuess:
    """One candidate encoding for a byte string, with its evidence."""

    encoding: str
    confidence: float
    reason: str = ""
    thin: bool = False  # the ranking rests on too little text, or a near tie


@dataclass(frozen=True, slots=True)
class Decoded:
    """Bytes turned into text, plus what is needed to write them back faithfully."""

    text: str
    encoding: str  # Python codec name, e.g. "utf-8", "gb18030", "big5"
    confidence: float
    bom: bytes = b""
    newline: str | None = None  # "\n", "\r\n", "\r", or None (none, or mixed)
    candidates: tuple[EncodingGuess, ...] = ()


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for. Every stage reads only the fields it needs."""

    target: Target = "keep"
    cjk_punctuation: bool = False
    assume_encoding: str | None = None
    lang: str | None = None  # a language hint such as "zh", "ja", "ko"
    protected_terms: tuple[str, ...] = ()
    is_source_code: bool = False  # set by the file layer for source files


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one repair: the new text and every change and finding.

    ``encoding`` and ``encoding_confidence`` are set for byte input.
    """

    text: str
    original: str
    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = ()
    encoding: str | None = None
    encoding_confidence: float | None = None
    decoded: Decoded | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        """True when the repaired text (or, for bytes, the encoding) differs."""
        return bool(self.changes)

    @property
    def needs_attention(self) -> bool:
        """True when a finding reports damage a person must look at (``check`` exits 1)."""
        return any(f.kind in ATTENTION_KINDS for f in self.findings)

    @property
    def unrecoverable(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind is Kind.UNRECOVERABLE)

    def counts(self) -> dict[str, int]:
        """Changes by kind, in Kind order, for one-line summaries."""
        out: dict[str, int] = {}
        for kind in Kind:
            n = sum(1 for c in self.changes if c.kind is kind)
            if n:
                out[kind.value] = n
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "changed": self.changed,
            "encoding": self.encoding,
            "encoding_confidence": self.encoding_confidence,
            "changes": [c.to_dict() for c in self.changes],
            "findings": [f.to_dict() for f in self.findings],
        }


VariantLabel = Literal["zh-Hans", "zh-Hant", "both", "mixed", "none"]


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage (paragraph, sentence or CJK run) and the script variant it is in.

    ``evidence`` lists the characters or phrases that decided the label; ``region`` is
    a vocabulary hint such as ``"mainland vocabulary"`` when the words betray an origin.
    Lines are 1-based and inclusive.
    """

    start: int
    end: int
    line_start: int
    line_end: int
    label: VariantLabel
    confidence: float
    evidence: tuple[str, ...] = ()
    region: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "lines": [self.line_start, self.line_end],
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "evidence": list(self.evidence),
            "region": self.region,
        }


@dataclass(frozen=True, slots=True)
class Detection:
    """What ``fixenc.detect`` found, without changing anything.

    ``findings`` holds every would-be change (as a finding whose first candidate is the
    repair) and every reported problem; ``passages`` is the script-variant map.
    """

    findings: tuple[Finding, ...] = ()
    passages: tuple[Passage, ...] = ()
    encoding: str | None = None
    encoding_confidence: float | None = None
    encoding_candidates: tuple[EncodingGuess, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "encoding": self.encoding,
            "encoding_confidence": self.encoding_confidence,
            "encoding_candidates": [
                {"encoding": g.encoding, "confidence": round(g.confidence, 4), "reason": g.reason}
                for g in self.encoding_candidates
            ],
            "findings": [f.to_dict() for f in self.findings],
            "passages": [p.to_dict() for p in self.passages],
        }


class Status(str, enum.Enum):
    """What happened to one input (a file, or standard input)."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"  # fixed, or would be fixed in check/diff mode
    FLAGGED = "flagged"  # nothing applied, but findings need a person (e.g. unrecoverable)
    SKIPPED = "skipped"  # not text, ambiguous encoding, too large, ...
    ERROR = "error"  # could not be read or written


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input's outcome, as the reporter, the JSON output and the HTML page see it."""

    path: str
    status: Status
    result: Result | None = None
    message: str = ""  # why it was skipped, or the error; empty otherwise
    written: bool = False

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "status": self.status.value}
        if self.message:
            out["message"] = self.message
        out["written"] = self.written
        if self.result is not None:
            out.update(self.result.to_dict())
        return out
