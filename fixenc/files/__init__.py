"""Files: discovery (what a run reads) and atomic I/O (how it reads and writes them).

Stage: read and write, the two ends of the file flow (``fixenc.process``). Nothing else
in fixenc touches the disk.
"""

from __future__ import annotations

from fixenc.files.discover import (
    BACKUP_SUFFIXES,
    SKIP_DIRS,
    SOURCE_SUFFIXES,
    Entry,
    Selection,
    discover,
    is_backup,
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
    check_writable,
    copy_verbatim,
    is_stale_temp,
    open_file,
    read_file,
    remove_stale_temp,
    same_bytes,
    snapshot_of,
    too_large_message,
    write_atomic,
    write_new,
)
from fixenc.files.stream import Streaming

__all__ = [
    "BACKUP_SUFFIXES",
    "MAX_FILE_BYTES",
    "SKIP_DIRS",
    "SKIP_MESSAGES",
    "SOURCE_SUFFIXES",
    "TEMP_SUFFIX",
    "AtomicWriter",
    "Entry",
    "Selection",
    "Snapshot",
    "Streaming",
    "check_writable",
    "copy_verbatim",
    "discover",
    "is_backup",
    "is_source",
    "is_stale_temp",
    "mirror_path",
    "open_file",
    "read_file",
    "remove_stale_temp",
    "same_bytes",
    "snapshot_of",
    "too_large_message",
    "walk",
    "write_atomic",
    "write_new",
]
