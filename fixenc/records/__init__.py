"""Record mode: repair one field of every record in JSONL or Parquet corpus shards.

Stage: all of them, for each record, through the one pipeline (``Fixer``). ``lines``
repairs one record, touching nothing on its line but the field's string; ``shards``
streams a shard (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``, ``.parquet``) through it
with bounded memory and writes the result atomically; ``run`` is the command line's
record mode over many shards, with its messages and the change log (line or row, id,
kinds and counts of each changed, flagged or malformed record).
"""

from __future__ import annotations

from fixenc.records.lines import (
    DEFAULT_ID_FIELD,
    LOGGED,
    LineFix,
    RecordStatus,
    fix_line,
    fix_raw_line,
    log_entry,
    value_span,
)
from fixenc.records.run import STDIN, run
from fixenc.records.shards import (
    Compression,
    RecordSink,
    ShardFormat,
    ShardKind,
    ShardSummary,
    discover_shards,
    fix_lines,
    fix_shard,
    fix_stdin,
    shard_format,
)

__all__ = [
    "DEFAULT_ID_FIELD",
    "LOGGED",
    "STDIN",
    "Compression",
    "LineFix",
    "RecordSink",
    "RecordStatus",
    "ShardFormat",
    "ShardKind",
    "ShardSummary",
    "discover_shards",
    "fix_line",
    "fix_lines",
    "fix_raw_line",
    "fix_shard",
    "fix_stdin",
    "log_entry",
    "run",
    "shard_format",
    "value_span",
]
