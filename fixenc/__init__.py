"""fixenc: detect, repair and explain damaged text (mojibake, script variants, noise)."""

from __future__ import annotations

import logging

from fixenc.model import Candidate, Change, Decoded, Finding, Kind, Op, Options, Result, Step
from fixenc.pipeline import repair as _repair

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Candidate", "Change", "Decoded", "Finding", "Kind", "Op", "Options", "Result", "Step"]
