"""Properties over generated text: idempotence, replayable changes, untouched ASCII.

Hypothesis runs a short budget by default; set FIXENC_FUZZ=1 for a long run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixenc
from fixenc.replay import replay

EXAMPLES = 2000 if os.environ.get("FIXENC_FUZZ") else 150
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Pieces real documents are made of, mojibake included, so that stages actually fire.
PIECES = st.sampled_from(
    [
        "你好，世界！",
        "這是繁體中文。",
        "Café ",
        "CafÃ© ",
        "â€œquotedâ€\x9d ",
        "naÃ¯ve ",
        "東京の天気",
        "서울 ",
        "\n",
        "\r\n",
        " ",
        "ASCII words ",
        "€",
        "Ã",
        "©",
        "(nǐ)",
        "來(lái)源",
    ]
)
DOCUMENTS = st.lists(PIECES, max_size=30).map("".join)


@SETTINGS
@given(st.one_of(DOCUMENTS, st.text(max_size=200)))
def test_fixing_twice_equals_fixing_once(text: str) -> None:
    once = fixenc.fix_text(text)
    assert fixenc.fix_text(once) == once


@SETTINGS
@given(st.one_of(DOCUMENTS, st.text(max_size=200)))
def test_every_change_replays_and_points_into_the_input(text: str) -> None:
    result = fixenc.repair(text)
    for change in result.changes:
        assert replay(change.steps, change.before) == change.after
        assert 0 <= change.start <= change.end <= len(text)
        assert change.line >= 1 and change.column >= 1


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=300))
def test_ascii_is_never_changed(text: str) -> None:
    assert fixenc.fix_text(text) == text


@SETTINGS
@given(DOCUMENTS)
def test_utf8_bytes_and_text_agree(text: str) -> None:
    assert fixenc.fix_bytes(text.encode("utf-8")).text == fixenc.fix_text(text)
