"""Repair recall and precision on fresh damage to held-out real text (not a timed test).

fixenc is judged on damaged text nobody here has seen, so this garbles real prose that no
repair test uses: the localized manual pages under ``/usr/share/man/<lang>`` (the repair
tests garble gettext catalogues, the manual pages are only ever checked as clean text) and,
for Greek and Vietnamese (no manual pages here), the gettext catalogues of languages the
clean corpus (``scripts/build_clean_corpus.LANGS``) leaves out.

Each damage kind is a codec path (``UTF-8 read as cp1252``, ``GBK read as Latin-1``,
``Big5 read as GBK``, two layers …) applied strictly, so every case can be undone by the
inverse path; a line the path cannot garble, or leaves unchanged, is not a case. Each is
applied in four shapes: one word inside a clean line, a whole line alone, one line among
clean lines of a document, and a long passage of garbled lines. Every case ends as one of

* ``exact``: the original comes back byte for byte;
* ``partial``: changed, and every character is either the original's or still its garble
  (some spans or layers repaired right, the rest left: nothing invented);
* ``wrong``: changed into anything else (the worst outcome);
* ``flagged``: left as it is, with a finding that asks a person to look;
* ``untouched``: left as it is, silently.

The clean originals (each line alone and each document) must come back byte-identical:
``harm`` counts those that do not. Deterministic: the lines are drawn with a fixed seed.

    python benchmarks/bench_recall.py               # 4 lines per language and shape
    python benchmarks/bench_recall.py --per-cell 10 --show 5
    python benchmarks/bench_recall.py --slice OUT   # write the CI slice's held-out lines

The CI slice (``tests/test_recall_floor.py``) garbles a few committed held-out lines the
same way (this module's ``damage_cases``) and pins its exact-repair counts as a floor.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

MAN = Path("/usr/share/man")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from build_clean_corpus import _catalogue_entries  # noqa: E402
from make_mojibake_cases import garble  # noqa: E402

# Language → (source kind, directory name). Manual pages where Debian ships them; Greek and
# Vietnamese have none here, and their catalogues are outside the clean corpus's languages.
SOURCES: dict[str, tuple[str, str]] = {
    "zh-Hans": ("man", "zh_CN"),
    "zh-Hant": ("man", "zh_TW"),
    "ja": ("man", "ja"),
    "ko": ("man", "ko"),
    "ru": ("man", "ru"),
    "uk": ("man", "uk"),
    "el": ("mo", "el"),
    "fr": ("man", "fr"),
    "de": ("man", "de"),
    "es": ("man", "es"),
    "pl": ("man", "pl"),
    "cs": ("man", "cs"),
    "tr": ("man", "tr"),
    "vi": ("mo", "vi"),
}
CJK = ("zh-Hans", "zh-Hant", "ja", "ko")
SEED = 20261205
# Lines shorter than this are mostly headings and option names, not prose.
MIN_LINE = 24
MAX_LINE = 200
# Manual-page source lines become prose once font escapes are dropped; any other escape
# (\(em, \*(..) marks a line that is still markup, and it is skipped.
_FONT = re.compile(r"\\f(?:\[[A-Z]*\]|\([A-Z]{2}|[BIRPC1-4])")
_WORD = re.compile(r"\S+")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]{2,4}")
# A document: this many clean lines around the garbled one; a long span: this many lines.
DOCUMENT_LINES = 9
LONG_LINES = 5


@dataclass(frozen=True, slots=True)
class Damage:
    """A codec path ``((encode, decode), …)`` and the languages it is applied to."""

    name: str
    path: tuple[tuple[str, str], ...]
    langs: tuple[str, ...]


ALL = tuple(SOURCES)
DAMAGES: tuple[Damage, ...] = (
    *(
        Damage(f"utf8-as-{reader}", (("utf-8", reader),), ALL)
        for reader in ("cp1252", "latin-1", "cp1251", "gbk", "big5", "shift_jis", "euc-kr")
    ),
    Damage("gbk-as-latin-1", (("gbk", "latin-1"),), ("zh-Hans", "zh-Hant")),
    Damage("gbk-as-cp1252", (("gbk", "cp1252"),), ("zh-Hans", "zh-Hant")),
    Damage("big5-as-gbk", (("big5", "gbk"),), ("zh-Hant",)),
    Damage("gbk-as-big5", (("gbk", "big5"),), ("zh-Hans", "zh-Hant")),
    Damage("sjis-as-cp1252", (("shift_jis", "cp1252"),), ("ja",)),
    Damage("euc-kr-as-cp1252", (("euc-kr", "cp1252"),), ("ko",)),
    Damage("cp1251-as-cp1252", (("cp1251", "cp1252"),), ("ru", "uk")),
    Damage("cp1250-as-cp1252", (("cp1250", "cp1252"),), ("pl", "cs")),
    Damage("utf8-as-cp1252-twice", (("utf-8", "cp1252"), ("utf-8", "cp1252")), ALL),
    Damage("utf8-as-gbk-then-cp1252", (("utf-8", "gbk"), ("utf-8", "cp1252")), CJK),
)
SHAPES = ("word", "line", "document", "long")
# Cases per language, damage and shape in the CI slice: about 700 repairs in all.
SLICE_PER_CELL = 2
OUTCOMES = ("exact", "partial", "wrong", "flagged", "untouched")
# C1 controls never occur in prose: a line holding one is itself damaged (some French
# manual pages carry ``operationsâ\x80\x94that``, UTF-8 read as Latin-1), not an original.
_C1 = re.compile("[\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class Case:
    lang: str
    damage: str
    shape: str
    text: str
    expected: str


def _man_lines(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("man*/*.gz")):
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, UnicodeError, EOFError):
            continue
        for raw in text.splitlines():
            if raw[:1] in (".", "'"):
                continue
            line = _FONT.sub("", raw).replace("\\-", "-").replace("\\ ", " ").strip()
            if "\\" not in line:
                yield line


def held_out_lines(lang: str) -> list[str]:
    """Distinct prose lines of ``lang``'s held-out source, in a fixed order."""
    kind, name = SOURCES[lang]
    source = _man_lines(MAN / name) if kind == "man" else _catalogue_entries(name)
    seen: dict[str, None] = {}
    for line in source:
        if (
            MIN_LINE <= len(line) <= MAX_LINE
            and not line.isascii()
            and "%" not in line
            and not _C1.search(line)
        ):
            seen.setdefault(line, None)
    return list(seen)


def _word(line: str, lang: str, rng: random.Random) -> tuple[int, int] | None:
    """The span of one word of ``line`` to garble: a short Han/kana/Hangul run for CJK, a
    non-ASCII whitespace-delimited token otherwise."""
    pattern = _CJK_RUN if lang in CJK else _WORD
    spans = [m.span() for m in pattern.finditer(line) if not m.group().isascii()]
    return rng.choice(spans) if spans else None


def damage_cases(
    lang: str, lines: Sequence[str], damage: Damage, *, per_cell: int, seed: int = SEED
) -> Iterator[Case]:
    """Up to ``per_cell`` cases of each shape, drawn from ``lines`` with a fixed seed.

    A document surrounds the garbled line with the lines next to it in ``lines``; a long
    span garbles that many consecutive lines."""
    rng = random.Random(f"{seed}:{lang}:{damage.name}")
    order = list(range(len(lines)))
    rng.shuffle(order)
    for shape in SHAPES:
        made = 0
        for i in order:
            if made == per_cell:
                break
            line = lines[i]
            if shape == "word":
                span = _word(line, lang, rng)
                bad = garble(line[span[0] : span[1]], damage.path) if span else None
                if span is None or bad is None:
                    continue
                case = Case(lang, damage.name, shape, line[: span[0]] + bad + line[span[1] :], line)
            elif shape == "line":
                bad = garble(line, damage.path)
                if bad is None:
                    continue
                case = Case(lang, damage.name, shape, bad, line)
            elif shape == "document":
                bad = garble(line, damage.path)
                if bad is None:
                    continue
                lo = max(0, i - DOCUMENT_LINES // 2)
                around = list(lines[lo : lo + DOCUMENT_LINES])
                at = around.index(line)
                expected = "\n".join(around) + "\n"
                around[at] = bad
                case = Case(lang, damage.name, shape, "\n".join(around) + "\n", expected)
            else:
                passage = list(lines[i : i + LONG_LINES])
                bad_lines = [garble(one, damage.path) for one in passage]
                if len(passage) < LONG_LINES or any(b is None for b in bad_lines):
                    continue
                expected = "\n".join(passage) + "\n"
                case = Case(
                    lang, damage.name, shape, "\n".join(map(str, bad_lines)) + "\n", expected
                )
            made += 1
            yield case


def partial(got: str, expected: str, path: Sequence[Sequence[str]]) -> bool:
    """True when each character of ``expected`` stands in ``got`` either as itself or as its
    garble along a leading part of ``path`` (a layer or a span left unrepaired).

    >>> partial("używajÄ…c", "używając", [("utf-8", "cp1252")])
    True
    >>> partial("używajac", "używając", [("utf-8", "cp1252")])
    False
    """
    forms: dict[str, set[str]] = {}
    reach = {0}
    for ch in expected:
        if ch not in forms:
            forms[ch] = {ch} | {
                g for k in range(1, len(path) + 1) if (g := garble(ch, path[:k])) is not None
            }
        reach = {j + len(f) for j in reach for f in forms[ch] if got.startswith(f, j)}
        if not reach:
            return False
    return len(got) in reach


def outcome(text: str, expected: str, path: Sequence[Sequence[str]]) -> str:
    """One of OUTCOMES for fixenc's repair of ``text``."""
    import fixenc

    result = fixenc.repair(text)
    if result.text == expected:
        return "exact"
    if result.text != text:
        return "partial" if partial(result.text, expected, path) else "wrong"
    return "flagged" if result.needs_attention else "untouched"


def outcomes(
    lines: dict[str, list[str]], damage: Damage, *, per_cell: int
) -> dict[str, tuple[str, Case]]:
    """Each case of ``damage`` over ``lines`` (language → lines), by id
    ``<lang>-<shape>-<n>``, with its outcome: what the CI slice pins."""
    out: dict[str, tuple[str, Case]] = {}
    for lang in damage.langs:
        if lang not in lines:
            continue
        made: Counter[str] = Counter()
        for case in damage_cases(lang, lines[lang], damage, per_cell=per_cell):
            out[f"{lang}-{case.shape}-{made[case.shape]}"] = (
                outcome(case.text, case.expected, damage.path),
                case,
            )
            made[case.shape] += 1
    return out


def clean_harm(lang: str, lines: Sequence[str]) -> tuple[int, int, list[str]]:
    """(texts checked, texts changed, examples): each line alone and as one document."""
    import fixenc

    texts = [*lines, "\n".join(lines) + "\n"]
    harmed = [t for t in texts if fixenc.fix_text(t) != t]
    return len(texts), len(harmed), harmed[:3]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--per-cell", type=int, default=4, help="cases per language × damage × shape"
    )
    parser.add_argument("--lines", type=int, default=60, help="held-out lines drawn per language")
    parser.add_argument("--show", type=int, default=3, help="wrong repairs to print in full")
    parser.add_argument("--slice", type=Path, help="write the CI slice's lines to this JSON file")
    parser.add_argument("--slice-lines", type=int, default=8)
    args = parser.parse_args(argv)

    rng = random.Random(SEED)
    pool: dict[str, list[str]] = {}
    for lang in SOURCES:
        lines = held_out_lines(lang)
        if not lines:
            print(f"{lang}: no held-out text on this machine, skipped", file=sys.stderr)
            continue
        start = rng.randrange(max(1, len(lines) - args.lines))
        pool[lang] = lines[start : start + args.lines]  # consecutive: documents read on
    if args.slice:
        kept = {lang: lines[: args.slice_lines] for lang, lines in pool.items()}
        cases = []
        for damage in DAMAGES:
            got = outcomes(kept, damage, per_cell=SLICE_PER_CELL)
            cases.append(
                {
                    "id": damage.name,
                    "floor": sum(1 for o, _ in got.values() if o == "exact"),
                    "wrong": sorted(k for k, (o, _) in got.items() if o == "wrong"),
                }
            )
        table = {
            "about": "Held-out real lines for tests/test_recall_floor.py and each damage "
            "kind's pinned exact repairs and wrong repairs, written by "
            "benchmarks/bench_recall.py --slice (manual pages under /usr/share/man/<lang>, "
            "Greek and Vietnamese gettext catalogues; the packages' licences).",
            "cases": cases,
            "lines": kept,
        }
        args.slice.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", "utf-8")
        return 0

    counts: dict[tuple[str, str], Counter[str]] = {}
    by_shape: dict[str, Counter[str]] = {s: Counter() for s in SHAPES}
    wrong: list[Case] = []
    for damage in DAMAGES:
        for lang in damage.langs:
            if lang not in pool:
                continue
            cell = counts.setdefault((damage.name, lang), Counter())
            for case in damage_cases(lang, pool[lang], damage, per_cell=args.per_cell):
                got = outcome(case.text, case.expected, damage.path)
                cell[got] += 1
                by_shape[case.shape][got] += 1
                if got == "wrong":
                    wrong.append(case)

    def row(label: str, c: Counter[str]) -> str:
        n = sum(c.values())
        rate = f"{c['exact'] / n:6.1%}" if n else "     -"
        return f"{label:<34} {n:>5} {rate} " + " ".join(f"{c[o]:>9}" for o in OUTCOMES)

    header = f"{'damage × language':<34} {'cases':>5} {'recall':>6} " + " ".join(
        f"{o:>9}" for o in OUTCOMES
    )
    print(header)
    totals: Counter[str] = Counter()
    for damage in DAMAGES:
        per_damage: Counter[str] = Counter()
        for lang in damage.langs:
            c = counts.get((damage.name, lang), Counter())
            per_damage.update(c)
            if sum(c.values()):
                print(row(f"  {damage.name} / {lang}", c))
        print(row(damage.name, per_damage))
        totals.update(per_damage)
    print()
    for shape, c in by_shape.items():
        print(row(f"shape: {shape}", c))
    print(row("all", totals))
    judged = totals["exact"] + totals["partial"] + totals["wrong"]
    if judged:
        print(f"precision (exact or partial ÷ changed): {1 - totals['wrong'] / judged:.2%}")
    print()
    harm_total = 0
    for lang, lines in pool.items():
        checked, harmed, examples = clean_harm(lang, lines)
        harm_total += harmed
        print(f"clean {lang:<8} {checked:>4} texts, {harmed} changed")
        for text in examples:
            print(f"    {text[:120]!r}")
    print(f"clean originals changed: {harm_total}")
    for case in wrong[: args.show]:
        import fixenc

        print(f"\nWRONG {case.damage} / {case.lang} / {case.shape}")
        print(f"  text:     {case.text[:200]!r}")
        print(f"  got:      {fixenc.fix_text(case.text)[:200]!r}")
        print(f"  expected: {case.expected[:200]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
