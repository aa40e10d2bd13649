"""One record at a time: repair one field of a JSON object on a line, touching nothing else.

Stage: all text stages, through the one pipeline (``Fixer``), for one record. Do no
harm, record by record: a line is written back byte for byte unless its field changed,
and then only that field's JSON string is replaced — keys, order, spacing, escapes and
numbers elsewhere on the line stay as they were. A line that is not a JSON object
(truncated, not UTF-8, an array) is MALFORMED and passed through unchanged, never
dropped; a record without the field (or with a non-string value) is passed through too.

>>> fixer = Fixer()
>>> fix = fix_line('{"id": 1, "text": "CafÃ©", "n": 1.50}\\n', fixer)
>>> fix.status.value, fix.line
('changed', '{"id": 1, "text": "Café", "n": 1.50}\\n')
>>> fix_line('{"id": 2, "text": "trunc', fixer).status.value
'malformed'
"""

from __future__ import annotations

import enum
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fixenc.fixer import Fixer
from fixenc.model import Result

# The record field that names a record in the change log, when present (C4, FineWeb and
# most crawl exports carry an ``id``).
DEFAULT_ID_FIELD = "id"

_BOM = "\ufeff"  # may open the first line of a shard written on Windows
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder()


class RecordStatus(str, enum.Enum):
    """What happened to one record (one line of a JSONL shard, one Parquet row)."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    FLAGGED = "flagged"  # nothing applied, but damage a person must look at
    MALFORMED = "malformed"  # not a JSON object: passed through unchanged
    NO_FIELD = "no-field"  # the field is missing or not a string: passed through
    BLANK = "blank"  # an empty line: passed through, not a record


# Statuses that go to the change log (and to the caller's ``on_record``).
LOGGED = frozenset({RecordStatus.CHANGED, RecordStatus.FLAGGED, RecordStatus.MALFORMED})


@dataclass(frozen=True, slots=True)
class LineFix:
    """One record's outcome: ``line`` is what to write (the input itself unless CHANGED)."""

    line: str
    status: RecordStatus
    result: Result | None = None  # set when the field was repaired or flagged
    record_id: Any = None
    error: str = ""  # why a MALFORMED line is not a record


def fix_line(
    line: str, fixer: Fixer, *, field: str | None = None, id_field: str | None = DEFAULT_ID_FIELD
) -> LineFix:
    """Repair ``field`` of the JSON object on ``line`` (its line ending, if any, is kept).

    Everything on the line but that field's string stays as it was written.
    """
    name = fixer.field if field is None else field
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    prefix = _BOM if body.startswith(_BOM) else ""  # a UTF-8 BOM before the first record
    body = body[len(prefix) :]
    if not body.strip(" \t"):
        return LineFix(line, RecordStatus.BLANK)
    if _SURROGATE.search(body):
        # Undecodable bytes carried as lone surrogates (``errors="surrogateescape"``).
        return LineFix(line, RecordStatus.MALFORMED, error="not UTF-8")
    try:
        record = json.loads(body)
    except json.JSONDecodeError as exc:
        return LineFix(
            line, RecordStatus.MALFORMED, error=f"not JSON: {exc.msg} (column {exc.colno})"
        )
    except RecursionError:
        return LineFix(line, RecordStatus.MALFORMED, error="not JSON: nested too deeply")
    if not isinstance(record, dict):
        kind = type(record).__name__
        return LineFix(line, RecordStatus.MALFORMED, error=f"a JSON {kind}, not an object")
    record_id = record.get(id_field) if id_field else None
    value = record.get(name)
    if not isinstance(value, str):
        return LineFix(line, RecordStatus.NO_FIELD, record_id=record_id)
    if value.isascii():
        return LineFix(line, RecordStatus.UNCHANGED, record_id=record_id)
    result = fixer.repair(value)
    if result.text == value:
        if result.needs_attention:
            return LineFix(line, RecordStatus.FLAGGED, result, record_id)
        return LineFix(line, RecordStatus.UNCHANGED, record_id=record_id)
    start, end = value_span(body, name)
    # Keep the line's own escaping: a value written as \\u escapes stays ASCII.
    token = json.dumps(result.text, ensure_ascii=body[start:end].isascii())
    new = f"{prefix}{body[:start]}{token}{body[end:]}{ending}"
    return LineFix(new, RecordStatus.CHANGED, result, record_id)


def fix_raw_line(
    raw: bytes, fixer: Fixer, *, field: str | None = None, id_field: str | None = DEFAULT_ID_FIELD
) -> tuple[bytes, LineFix]:
    """``fix_line`` on the bytes of a line: the bytes to write, and the outcome.

    A line that is not UTF-8 is malformed (JSON text is UTF-8) and written back as it was.
    """
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at byte {exc.start + 1})"
        return raw, LineFix("", RecordStatus.MALFORMED, error=error)
    fix = fix_line(line, fixer, field=field, id_field=id_field)
    if fix.status is RecordStatus.CHANGED:
        return fix.line.encode("utf-8"), fix
    return raw, fix


def value_span(document: str, key: str) -> tuple[int, int]:
    """Where the value of ``key`` lies in the text of a JSON object (the last occurrence,
    since ``json.loads`` keeps the last of duplicate keys). ``document`` must be valid.

    >>> doc = '{"a": [1, {"text": 0}], "text" : "x\\\\"y", "b": null}'
    >>> start, end = value_span(doc, "text"); doc[start:end]
    '"x\\\\"y"'
    """

    def skip(pos: int) -> int:
        match = _WS.match(document, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    pos = skip(0) + 1  # past "{"
    span: tuple[int, int] | None = None
    while True:
        pos = skip(pos)
        if document[pos] == "}":
            break
        name, pos = _DECODER.raw_decode(document, pos)
        pos = skip(skip(pos) + 1)  # past ":"
        _, end = _DECODER.raw_decode(document, pos)
        if name == key:
            span = (pos, end)
        pos = skip(end)
        if document[pos] != ",":
            break
        pos += 1
    if span is None:
        raise KeyError(key)
    return span


def log_entry(shard: str, number: int, fix: LineFix, *, parquet: bool = False) -> dict[str, object]:
    """One change-log record: where (line, or Parquet row), which record, what changed.

    >>> fix = fix_line('{"id": "a1", "text": "CafÃ© ÄãºÃ"}', Fixer())
    >>> log_entry("s.jsonl", 3, fix)
    {'shard': 's.jsonl', 'line': 3, 'id': 'a1', 'status': 'changed', 'kinds': ['mojibake'], 'counts': {'mojibake': 2}}
    """
    entry: dict[str, object] = {"shard": shard, "row" if parquet else "line": number}
    entry["id"] = fix.record_id
    entry["status"] = fix.status.value
    if fix.status is RecordStatus.MALFORMED:
        entry["error"] = fix.error
        return entry
    result = fix.result
    if result is not None:
        counts = result.counts()
        entry["kinds"] = list(counts)
        entry["counts"] = counts
        findings = Counter(f.kind.value for f in result.findings)
        if findings:
            entry["findings"] = dict(findings)
    return entry
