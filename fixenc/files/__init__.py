"""Files: discovery (what a run reads) and atomic I/O (how it reads and writes them).

Stage: read and write, the two ends of the file flow (``fixenc.process``). Nothing else
in fixenc touches the disk.
"""

from __future__ import annotations

from fixenc.files.discover import (
    SKIP_DIRS,
    SOURCE_SUFFIXES,
    Entry,
    Selection,
    discover,
    is_source,
    mirror_path,
    walk,
)
from fixenc.files.io import (
    MAX_FILE_BYTES,
    SKIP_MESSAGES,
    TEMP_SUFFIX,
    AtomicWriter,
    Snapshot,
    is_stale_temp,
    read_file,
    remove_stale_temp,
    same_bytes,
    snapshot_of,
    too_large_message,
    write_atomic,
    write_new,
)

__all__ = [
    "MAX_FILE_BYTES",
    "SKIP_DIRS",
    "SKIP_MESSAGES",
    "SOURCE_SUFFIXES",
    "TEMP_SUFFIX",
    "AtomicWriter",
    "Entry",
    "Selection",
    "Snapshot",
    "discover",
    "is_source",
    "is_stale_temp",
    "mirror_path",
    "read_file",
    "remove_stale_temp",
    "same_bytes",
    "snapshot_of",
    "too_large_message",
    "walk",
    "write_atomic",
    "write_new",
]
