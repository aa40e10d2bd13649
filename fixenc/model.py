"""The data every layer shares: records of changes and findings, results, options, outcomes.

Stage: none (shared vocabulary). Data only: nothing here computes a repair, and this
module imports nothing else of fixenc, so every layer can depend on it. Every stage
speaks these types, so the diff reporter, the CLI, JSON output, the HTML page and the
library all describe a repair the same way. A change is data: it records what was
replaced, where, why, how sure fixenc is, and the replayable steps (interpreted by
``fixenc.replay``, the one place that runs them) that turn ``before`` into ``after``.
"""

from __future__ import annotations

import enum
import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Literal, Protocol, TypeVar

# A script-variant target's name ("keep", "zh-Hans", ...); ``fixenc.targets`` holds the
# table of known targets and what each one means.
Target = str


class Kind(str, enum.Enum):
    """What sort of damage a change repairs or a finding reports."""

    DECODE = "decode"  # bytes were in a legacy encoding; the text was transcoded
    MOJIBAKE = "mojibake"  # a span decoded with the wrong codec, repaired by round trip
    VARIANT = "variant"  # Chinese script variant (Traditional/Simplified/regional)
    ANNOTATION = "annotation"  # inline noise such as machine-added pinyin
    UNRECOVERABLE = "unrecoverable"  # damage that cannot be undone (U+FFFD, 锟斤拷)
    HYGIENE = "hygiene"  # Unicode hygiene: HTML entities, C1 controls, surrogates
    PUNCTUATION = "punctuation"  # optional CJK punctuation restoration


# Findings of these kinds report damage (lost, or repairable only by a guess); other
# findings (a mixed-variant document, mainland vocabulary) are information.
ATTENTION_KINDS = frozenset({Kind.MOJIBAKE, Kind.UNRECOVERABLE})


class Op(str, enum.Enum):
    """One replayable step of a change; ``fixenc.replay`` is the only interpreter."""

    ENCODE = "encode"  # str -> bytes with the codec named in ``arg``
    DECODE = "decode"  # bytes -> str with the codec named in ``arg``
    TRANSCODE = "transcode"  # bytes -> bytes with an ftfy byte fixer named in ``arg``
    APPLY = "apply"  # str -> str with an ftfy text fixer named in ``arg``
    OPENCC = "opencc"  # str -> str with the OpenCC configuration named in ``arg``
    WIDEN = "widen"  # str -> str: ASCII punctuation to its full-width form (chars.NARROWED)
    REPLACE = "replace"  # str -> str: the result is ``arg`` itself (chosen candidate)
    DELETE = "delete"  # str -> str: the result is empty


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a replay plan, e.g. ``Step(Op.ENCODE, "latin-1")``."""

    op: Op
    arg: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible reading of a damaged span.

    ``confidence`` (0–1) is how likely this reading is the original among those
    considered; ``cost_db`` is the plausibility model's total cost of the reading in
    decibans (lower is likelier), or ``None`` when it was not ranked by cost.
    """

    text: str
    confidence: float
    hypothesis: str = ""  # e.g. "utf-8 read as gbk, lost bytes E4"
    cost_db: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "cost_db": None if self.cost_db is None else round(self.cost_db, 2),
            "hypothesis": self.hypothesis,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """What changes and findings share: a kind, a span of the input, a reason, a
    confidence (0–1). Offsets, line and column refer to the text the pipeline was given
    (line and column are 1-based and count code points)."""

    kind: Kind
    start: int
    end: int
    reason: str
    confidence: float
    line: int = field(default=0, kw_only=True)
    column: int = field(default=0, kw_only=True)

    def _base_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True, slots=True)
class Change(Record):
    """One applied edit: ``before`` at ``[start, end)`` of the input became ``after``."""

    before: str
    after: str
    steps: tuple[Step, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            **self._base_dict(),
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "steps": [[s.op.value, s.arg] for s in self.steps],
        }

    @classmethod
    def many(
        cls,
        spans: Iterable[tuple[int, int, str, str]],
        *,
        kind: Kind,
        reason: str,
        confidence: float,
        steps: tuple[Step, ...],
    ) -> list[Change]:
        """One change per ``(start, end, before, after)`` of ``spans``, sharing the rest.

        For stages that record thousands of changes per MB (a converted Chinese document
        has one per paragraph): a frozen dataclass's ``__init__`` binds its arguments and
        sets each field through ``object.__setattr__``; setting the slots of a new object
        through their descriptors costs less than half of that (0.7 against 1.6 µs per
        change, issue 11). The result equals the constructor's (a test compares every
        field, and checks that this sets them all).

        >>> [c.before for c in Change.many([(0, 1, "们", "們")], kind=Kind.VARIANT,
        ...     reason="", confidence=1.0, steps=())]
        ['们']
        """
        # One 6-tuple per span, made in C (a generator would cost a frame per change).
        rows = map(operator.add, spans, itertools.repeat((reason, confidence)))
        return cls.each(rows, kind=kind, steps=steps)

    @classmethod
    def each(
        cls,
        rows: Iterable[tuple[int, int, str, str, str, float]],
        *,
        kind: Kind,
        steps: tuple[Step, ...],
    ) -> list[Change]:
        """``many`` for changes that each carry their own reason and confidence: one
        per ``(start, end, before, after, reason, confidence)`` of ``rows``.

        For the variant stage's mixed documents, whose passages are converted together
        but explained one by one (a test compares every field with the constructor's).

        >>> [c.reason for c in Change.each([(0, 1, "们", "們", "why", 0.5)],
        ...     kind=Kind.VARIANT, steps=())]
        ['why']
        """
        kind_, start_, end_, reason_, confidence_, line_, column_, before_, after_, steps_ = (
            _CHANGE_SETTERS
        )
        new = object.__new__
        out: list[Change] = []
        for start, end, before, after, reason, confidence in rows:
            change = new(cls)
            kind_(change, kind)
            start_(change, start)
            end_(change, end)
            reason_(change, reason)
            confidence_(change, confidence)
            line_(change, 0)
            column_(change, 0)
            before_(change, before)
            after_(change, after)
            steps_(change, steps)
            out.append(change)
        return out


# The fields ``Change.many`` sets, in its order (a test checks they are all of them).
_CHANGE_FIELDS = (
    "kind",
    "start",
    "end",
    "reason",
    "confidence",
    "line",
    "column",
    "before",
    "after",
    "steps",
)
# Their slots' setters (the frozen class's own ``__setattr__`` refuses), looked up once:
# about 1 µs a call, and a mixed document's passages make a call each.
_CHANGE_SETTERS = tuple(getattr(Change, name).__set__ for name in _CHANGE_FIELDS)


@dataclass(frozen=True, slots=True)
class Finding(Record):
    """Something reported but not changed: unrecoverable damage, an unsure repair,
    a mixed-variant passage. ``candidates`` lists what a repair could have been."""

    text: str
    candidates: tuple[Candidate, ...] = ()

    @classmethod
    def from_change(cls, change: Change, hypothesis: str) -> Finding:
        """A change reported instead of applied: its repair becomes the first candidate."""
        return cls(
            change.kind,
            change.start,
            change.end,
            change.reason,
            change.confidence,
            text=change.before,
            candidates=(Candidate(change.after, change.confidence, hypothesis),),
            line=change.line,
            column=change.column,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            **self._base_dict(),
            "text": self.text,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "candidates": [c.to_dict() for c in self.candidates],
        }


_R = TypeVar("_R", bound=Record)


def moved(record: _R, **changes: object) -> _R:
    """``record`` with some fields changed, as ``dataclasses.replace`` gives it.

    The pipeline moves every record to the input's offsets and then gives it a line
    and column: two copies per record, thousands per MB in a converted or mixed Chinese
    document. ``replace`` builds keyword arguments and runs the frozen ``__init__``
    (about 2.5 µs); setting the new object's slots through their descriptors costs
    about half of that. Records validate nothing in ``__init__``, so the result is the same
    (a test compares the two on every field of every record type).

    >>> c = Change(Kind.VARIANT, 0, 1, "why", 1.0, before="们", after="們")
    >>> m = moved(c, start=5, end=6)
    >>> (m.start, m.end, m.after, c.start), m == Change(Kind.VARIANT, 5, 6, "why", 1.0,
    ...     before="们", after="們")
    ((5, 6, '們', 0), True)
    """
    cls = type(record)
    known = _SLOT_SETTERS.get(cls)
    if known is None:
        # Each field with its slot's setter (the frozen class's own __setattr__ refuses).
        setters = tuple((f.name, getattr(cls, f.name).__set__) for f in fields(cls))
        known = _SLOT_SETTERS[cls] = (frozenset(name for name, _ in setters), setters)
    names, setters = known
    if not names.issuperset(changes):
        raise TypeError(f"{cls.__name__} has no field {sorted(set(changes) - names)}")
    new: _R = object.__new__(cls)
    for name, set_slot in setters:
        set_slot(new, changes[name] if name in changes else getattr(record, name))
    return new


_Setters = tuple[tuple[str, Callable[[object, object], None]], ...]
_SLOT_SETTERS: dict[type, tuple[frozenset[str], _Setters]] = {}


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
    is_source_code: bool = False  # set by the file flow for source files


class Origin(str, enum.Enum):
    """Where the text of a repair call came from, as far as the stages must know.

    Text decoded from a legacy encoding was just read with the codec the decode stage
    confirmed as plausible text: the decoding is its explanation, so no stage may
    "repair" it as mojibake of another codec (a Russian cp1251 file is not cp1252
    garble, and its fragments are not GBK).
    """

    TEXT = "text"  # given as text, or decoded from UTF-8/16/32 bytes
    LEGACY_SINGLE_BYTE = "legacy single-byte"  # decoded from cp1251, koi8-r, cp437, ...
    LEGACY_MULTI_BYTE = "legacy multi-byte"  # decoded from GBK, Big5, Shift_JIS, ...

    @property
    def legacy(self) -> bool:
        return self is not Origin.TEXT


_T = TypeVar("_T")


@dataclass(slots=True)
class Context:
    """What one repair call shares among its stages: the options, where the text came
    from (``origin``), and what is worth computing once per version of the text (the
    cheap pass's suspect spans), so that consecutive stages that look at the same text
    do not scan it twice."""

    options: Options
    origin: Origin = Origin.TEXT
    _memo: dict[str, tuple[str, object]] = field(default_factory=dict, repr=False)

    def once(self, name: str, text: str, compute: Callable[[str], _T]) -> _T:
        """``compute(text)``, computed once per text for this call."""
        hit = self._memo.get(name)
        if hit is not None and (hit[0] is text or hit[0] == text):
            return hit[1]  # type: ignore[return-value]
        value = compute(text)
        self._memo[name] = (text, value)
        return value


@dataclass(frozen=True, slots=True)
class StageOutput:
    """What one stage proposes. Offsets are relative to the stage's input text;
    changes must not overlap each other; line/column are filled in by the pipeline."""

    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = ()


def reported_only(output: StageOutput | None, hypothesis: str) -> StageOutput | None:
    """``output`` with its changes turned into findings: reported, not applied."""
    if output is None or not output.changes:
        return output
    demoted = tuple(Finding.from_change(c, hypothesis) for c in output.changes)
    return StageOutput((), output.findings + demoted)


class Stage(Protocol):
    """A text stage: ``None`` means "not mine, carry on" (chardet 7's convention)."""

    def __call__(self, text: str, context: Context, /) -> StageOutput | None: ...


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


class Region(str, enum.Enum):
    """What a passage's letters or words say about where it comes from."""

    FOREIGN = "foreign"  # kana or hangul: Japanese or Korean, never converted
    MAINLAND = "mainland"  # Traditional text with mainland vocabulary (軟件, 信息)


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage (paragraph, sentence or CJK run) and the script variant it is in.

    ``evidence`` lists the characters or phrases that decided the label; ``region``
    says when the letters or words betray an origin, with ``words`` the mainland words
    found. Lines are 1-based and inclusive.
    """

    start: int
    end: int
    line_start: int
    line_end: int
    label: VariantLabel
    confidence: float
    evidence: tuple[str, ...] = ()
    region: Region | None = None
    words: tuple[str, ...] = ()

    @property
    def region_text(self) -> str | None:
        """The region as people read it (and as the JSON output has always said it)."""
        if self.region is Region.FOREIGN:
            return "Japanese or Korean (kana/hangul present): not converted"
        if self.region is Region.MAINLAND:
            return "mainland vocabulary: " + ", ".join(self.words)
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "lines": [self.line_start, self.line_end],
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "evidence": list(self.evidence),
            "region": self.region_text,
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


class SkipReason(str, enum.Enum):
    """Why an input was not processed. The value is the category summaries count."""

    BINARY = "binary file"
    SYMLINK = "symbolic link"
    GITIGNORE = "ignored by .gitignore"
    EXCLUDED = "excluded by an exclude pattern"
    NOT_INCLUDED = "not matched by an include pattern"
    NOT_REGULAR = "not a regular file"
    STALE_TEMP = "temporary file left by an interrupted run"
    BACKUP = "backup copy of another file"
    DUPLICATE = "already processed through another link"
    TOO_LARGE = "larger than the size cap"
    AMBIGUOUS_ENCODING = "too little text to tell its encoding"

    @property
    def routine(self) -> bool:
        """Routine skips need no person when met while walking a directory: they show
        only with ``--verbose`` and leave the exit code alone. A file over the size cap
        or of an ambiguous encoding is not routine: the run cannot vouch for it."""
        return self not in (SkipReason.TOO_LARGE, SkipReason.AMBIGUOUS_ENCODING)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input's outcome, as the reporter, the JSON output and the HTML page see it."""

    path: str
    status: Status
    result: Result | None = None
    message: str = ""  # why it was skipped, or the error; empty otherwise
    written: bool = False
    skip: SkipReason | None = None  # set exactly when ``status`` is SKIPPED
    detection: Detection | None = field(default=None, repr=False)  # ``detect`` runs only
    # The readings fixenc could not choose between (skip AMBIGUOUS_ENCODING), best first.
    encoding_candidates: tuple[EncodingGuess, ...] = ()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "status": self.status.value}
        if self.message:
            out["message"] = self.message
        out["written"] = self.written
        if self.skip is not None:
            out["skip"] = self.skip.name.lower()
        if self.encoding_candidates:
            out["encoding_candidates"] = [
                {"encoding": g.encoding, "confidence": round(g.confidence, 4), "reason": g.reason}
                for g in self.encoding_candidates
            ]
        if self.result is not None:
            out.update(self.result.to_dict())
        return out
