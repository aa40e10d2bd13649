"""UTF-8 read as a double-byte codec with replacement (``涓�鏂囩紪鐮佹祴璇�`` for
中文编码测试): every U+FFFD stands for one byte the reader could not place; each lost
byte is enumerated among the values that keep the UTF-8 stream valid, and the readings
are ranked with the cost model."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from fixenc import plausibility
from fixenc.stages.lost_bytes.cost import (
    TOP_CANDIDATES,
    Loss,
    LostSpan,
    Reading,
    dedupe,
    text_cost,
)

UTF8_READERS = ("gbk", "big5", "shift_jis", "cp949")
# Lost bytes searched per span; more would be a guess, not a recovery.
MAX_LOST = 8
# Characters looked at on each side of a lost byte: the language model's cost of
# characters this far out is the same for every hypothesis (UTF-8 resynchronises within
# a character), so a longer run only costs time.
MAX_RUN = 256


def utf8_lost(text: str, pos: int, lang: str | None) -> LostSpan | None:
    """Recover a UTF-8-read-as-DBCS span with U+FFFD for lost bytes around ``pos``."""
    best: LostSpan | None = None
    for reader in UTF8_READERS:
        found = _utf8_lost_with(text, pos, reader, lang)
        if found and (best is None or found[2][0].cost < best[2][0].cost):
            best = found
    return best


def _utf8_lost_with(text: str, pos: int, reader: str, lang: str | None) -> LostSpan | None:
    # the run of characters the reader produced, U+FFFD included, around pos
    def ok(ch: str) -> bool:
        if ch == "\ufffd":
            return True
        if ch.isascii():
            return False
        try:
            ch.encode(reader)
        except UnicodeEncodeError:
            return False
        return True

    # The walk is bounded (MAX_RUN characters each way, MAX_LOST U+FFFD in all), so
    # each suspect costs the same however long the line: a long run of U+FFFD made
    # this quadratic (8,000 took 52 s). Characters further out decode the same under
    # every hypothesis, so they cannot change the ranking.
    start, lost = pos, 0
    while start > 0 and pos - start < MAX_RUN and ok(text[start - 1]):
        start -= 1
        lost += text[start] == "\ufffd"
        if lost > MAX_LOST:
            return None
    end = pos
    while end < len(text) and end - pos < MAX_RUN and ok(text[end]):
        lost += text[end] == "\ufffd"
        if lost > MAX_LOST:
            return None
        end += 1
    found = _search(text[start:end], reader, lang)
    if found is None:
        return None
    a, b, readings = found
    return start + a, start + b, list(readings), Loss.UTF8


# Searches remembered. A search depends on nothing but its run, reader and language,
# and the same run comes back: from every suspect inside it whose search found nothing,
# and again in the pipeline's later passes (after a refused line, and the check that a
# repair is stable). On bench_tree.py's damaged files 1,273 of 1,368 searches were
# repeats. 256 runs of at most 2·MAX_RUN characters, with their readings, take a few
# MiB at most.
SEARCHES_KEPT = 256


@functools.lru_cache(maxsize=SEARCHES_KEPT)
def _search(run: str, reader: str, lang: str | None) -> tuple[int, int, tuple[Reading, ...]] | None:
    """The lost-byte search over one ``run`` (characters the reader produced, U+FFFD
    for each lost byte): the strict region it covers and its readings, best first."""
    slots = [i for i, ch in enumerate(run) if ch == "\ufffd"]
    if not slots or len(slots) > MAX_LOST or len(slots) == len(run):
        return None
    pieces = [b"" if ch == "\ufffd" else ch.encode(reader) for ch in run]
    bounds_cache: dict[tuple[int, ...], float] = {}
    # Costs by decoded string: many byte values of a slot decode the run alike (every
    # value that breaks the UTF-8 sequence leaves the same U+FFFD); on bench_tree.py's
    # damaged files half the trials needed no cost model of their own.
    costs: dict[str, float] = {}

    def assemble(values: Sequence[int]) -> list[bytes]:
        parts = list(pieces)
        for slot, v in zip(slots, values, strict=False):
            parts[slot] = bytes([v])
        return parts

    def cost_of(values: Sequence[int]) -> float:
        # lenient decoding of the whole run, so that each lost byte can be ranked on
        # its own while the others are still wrong (their U+FFFD are charged)
        key = tuple(values)
        if key not in bounds_cache:
            out = b"".join(assemble(values)).decode("utf-8", errors="replace")
            cost = costs.get(out)
            if cost is None:
                cost = costs[out] = text_cost(out, lang)
            bounds_cache[key] = cost
        return bounds_cache[key]

    # coordinate descent: each lost byte in turn, two sweeps
    fills = [0x80] * len(slots)
    for _sweep in range(2):
        for k in range(len(slots)):
            trials = []
            for v in LOST_UTF8_VALUES:
                trial = list(fills)
                trial[k] = v
                trials.append((cost_of(trial), v))
            fills[k] = min(trials)[1]
    # Two lost bytes in a row are usually the two continuation bytes of one character
    # (误 = E8 AF AF read as GBK: AF AF is no GBK character). Changing one byte at a time
    # cannot leave a character that the other byte already fits (E8 A8 80 = 言), so try
    # the pair jointly: the likeliest characters first, by their own frequency.
    for k in range(len(slots) - 1):
        lead = pieces[slots[k] - 1][-1:] if slots[k] > 0 else b""
        if slots[k + 1] != slots[k] + 1 or not lead or not 0xE0 <= lead[0] <= 0xEF:
            continue
        before = b"".join(assemble(fills)[: slots[k]])[:-1].decode("utf-8", errors="ignore")
        for v1, v2 in _likely_pairs(lead[0], before[-1:], lang):
            trial = list(fills)
            trial[k], trial[k + 1] = v1, v2
            if cost_of(trial) < cost_of(fills):
                fills = trial
    ranked_fills = sorted(bounds_cache.items(), key=lambda kv: kv[1])
    best_region = _strict_region(assemble(fills), slots)
    if best_region is None:
        return None
    a, b = best_region
    readings: list[Reading] = []
    for values, _ in ranked_fills[: TOP_CANDIDATES * 4]:
        parts = assemble(values)
        try:
            out = b"".join(parts[a:b]).decode("utf-8")
        except UnicodeDecodeError:
            continue
        hexes = " ".join(f"{v:02X}" for v in values)
        cost = costs.get(out)
        if cost is None:
            cost = costs[out] = text_cost(out, lang)
        readings.append(Reading(out, cost, f"utf-8 read as {reader}, lost bytes {hexes}"))
    if not readings:
        return None
    readings.sort(key=lambda r: r.cost)
    return a, b, tuple(dedupe(readings))


# Characters tried for two lost continuation bytes after a known 3-byte lead: the
# likeliest ones after the character to their left (bigram, else unigram with the
# backoff charge). One lead byte leads about 2,000 known characters (E8: 2,103 in the
# tables); 误 after 错 ranks first by bigram but 205th by frequency alone.
JOINT_CANDIDATES = 48


@functools.lru_cache(maxsize=256)
def _likely_pairs(lead: int, left: str, lang: str | None) -> tuple[tuple[int, int], ...]:
    """Continuation byte pairs after ``lead``, likeliest character (after ``left``) first."""
    names = plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS)
    models = [plausibility.load_model(n) for n in names]

    # The entries ``merged_model(names)`` would hold (the cheapest among the models,
    # bigrams with their offset folded in), looked up without building it: merging all
    # four tables takes 14 MiB, for the ~2,000 characters one lead byte leads.
    def unigram(ch: str) -> float | None:
        found = [m.uni[ch] for m in models if ch in m.uni]
        return min(found) if found else None

    def bigram(pair: str) -> float | None:
        found = [m.bi[pair] + m.bigram_offset for m in models if pair in m.bi]
        return min(found) if found else None

    left_cost = unigram(left) if left else None
    scored = []
    for v1 in range(0x80, 0xC0):
        for v2 in range(0x80, 0xC0):
            try:
                ch = bytes([lead, v1, v2]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            cost = unigram(ch)
            if cost is None:
                continue
            joint = bigram(left + ch) if left_cost is not None else None
            # conditional cost of ch after left: joint − cost of left (offset folded in)
            conditional = None if joint is None or left_cost is None else joint - left_cost
            scored.append(
                (
                    conditional if conditional is not None else cost + plausibility.BACKOFF_COST,
                    v1,
                    v2,
                )
            )
    scored.sort()
    return tuple((v1, v2) for _, v1, v2 in scored[:JOINT_CANDIDATES])


# Values a lost byte of a UTF-8 stream can take: the reader shows U+FFFD only for bytes
# it cannot place, which in UTF-8 text are lead and continuation bytes (0x80–0xF4).
LOST_UTF8_VALUES = range(0x80, 0xF5)


def _strict_region(parts: Sequence[bytes], slots: Sequence[int]) -> tuple[int, int] | None:
    """The widest run of ``parts`` that covers every lost byte and is valid UTF-8."""
    bounds = list(itertools.accumulate((len(p) for p in parts), initial=0))
    data = b"".join(parts)
    lo, hi = slots[0], slots[-1] + 1
    for a in range(0, lo + 1):
        try:
            data[bounds[a] :].decode("utf-8")
            return a, len(parts)
        except UnicodeDecodeError as err:
            bad = bounds[a] + err.start
        if bad < bounds[hi]:
            continue
        for b in range(len(parts), hi - 1, -1):
            if bounds[b] <= bad:
                try:
                    data[bounds[a] : bounds[b]].decode("utf-8")
                    return a, b
                except UnicodeDecodeError:
                    continue
    return None
