"""Atheris fuzz target: ``fix_bytes``, ``detect`` and ``fix_text`` on arbitrary input.

A finding is any exception other than ``fixenc.FixencError`` (a crash), a repair that
is not idempotent, or a recorded change whose steps do not replay. Runs under pytest in
CI for a short, fixed number of inputs (``test_fuzz.py``); the long run is by hand::

    cp -r tests/fuzz/corpus /tmp/fixenc-corpus   # libFuzzer adds what it finds to it
    python tests/fuzz/fuzz_fixenc.py -max_len=4096 -max_total_time=3600 \
        -artifact_prefix=/tmp/fixenc-fuzz- /tmp/fixenc-corpus

(each crash is saved as a file; replay one with ``python tests/fuzz/fuzz_fixenc.py FILE``).
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    import fixenc
    from fixenc.replay import replays

# What the first input byte selects: how the rest is turned into input for fixenc.
_AS_BYTES, _AS_TEXT, _AS_ESCAPED_TEXT = range(3)


def check_text(text: str) -> None:
    """Repair ``text`` and check the promises that hold for any input."""
    result = fixenc.repair(text)
    if fixenc.fix_text(result.text) != result.text:
        raise AssertionError(f"not idempotent: {text!r} -> {result.text!r}")
    for change in result.changes:
        if not replays(change):
            raise AssertionError(f"change does not replay: {change!r}")
    fixenc.detect(text)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    how = provider.ConsumeIntInRange(0, 2)
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    if how == _AS_BYTES:
        try:
            result = fixenc.fix_bytes(payload)
        except fixenc.FixencError:
            return
        check_text(result.text)
        with contextlib.suppress(fixenc.FixencError):
            fixenc.detect(payload)
    elif how == _AS_TEXT:
        check_text(payload.decode("utf-8", errors="replace"))
    else:  # lone surrogates, as surrogateescape decoding yields them
        check_text(payload.decode("utf-8", errors="surrogateescape"))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
