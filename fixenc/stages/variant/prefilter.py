"""Prefilters of the variant stage: which text an OpenCC pass provably leaves alone.

Clean Traditional text under a regional target pays two questions that OpenCC answers
with whole-text passes: does ``t2tw`` (``t2hk``) change anything, and does the text hold
mainland vocabulary (``vocabulary._mainland_words``: ``t2s``, then ``s2tw`` against
``s2twp``, three passes)? Both have an exact necessary condition that one regex scan
tests, derived from OpenCC's own dictionaries:

* A configuration changes text only where a key of one of its dictionaries occurs in the
  input of that dictionary's stage. Every stage the prefilters reason about maps keys to
  values of the same length (checked when deriving), so character ``i`` of a stage's
  output comes from character ``i`` of the text, through the relation "the dictionary
  maps this character to that one at this position". So a key can only occur where each
  of its characters has a *pre-image* in the text, position by position.
* ``s2tw`` and ``s2twp`` share every stage but the last, where ``s2twp`` consults
  ``TWPhrases`` first: their outputs differ only where a ``TWPhrases`` key occurs in the
  (shared) input of that stage.

The shipped file ``fixenc/data/variant-prefilters.txt`` holds, for each normalisation
configuration of a Traditional target, a class of characters one of which every change
needs (for each key, a character it replaces: one regex scan), and, for each ``TWPhrases`` key, every string of the text that can
become one of its windows of ``WINDOW`` characters (the window's pre-images, position by
position: 1,615 strings). Those strings are too many alternatives for one regex (Python's
engine tries them one by one; measured at 0.7 s per MB), so they are shipped as an
OpenCC dictionary (``variant-mainland.txt``,
each string mapped to itself with its first character replaced by U+FFFF) that one pass
of OpenCC's trie matches in C: a line that pass changes holds such a string, and only
those lines pay the three passes. OpenCC matches greedily and never across a line
break, so a line holding a string is always changed (a match either starts at the
string or covers its start).

The same file carries what the evidence of mixed documents needs
(``evidence._StaticEvidence``): per evidence probe, the characters it changes on their
own that some context can leave as they are (``_context_class``), and where they can
stay (``_keepers``). Every other candidate is evidence wherever it stands, so a regex
labels most of a mixed document, and OpenCC is asked only about the few occurrences that
stand inside a keeper's run.

The data is valid for the OpenCC version it names; with another version the stage runs
the passes (``prefilters()`` is ``None``). Rebuilt by
``scripts/build_variant_prefilters.py``; a test checks it against the installed
OpenCC's dictionaries.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import math
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from fixenc.convert import CONFIGS, VERSION, chain, convert_with_file, dictionary
from fixenc.targets import TARGET_SPECS

# The configurations whose outputs the mainland lookup compares (``vocabulary``).
_TO_SIMPLIFIED = "t2s"
_PLAIN, _PHRASED = "s2tw", "s2twp"


PREFILTERS_FILE = "variant-prefilters.txt"
MAINLAND_DICTIONARY = "variant-mainland.txt"
MAINLAND_CONFIG = "variant-mainland.json"
# What a detector match writes in place of a string's first character: no key holds it.
_MARK = "\uffff"


@dataclass(frozen=True, slots=True)
class Prefilters:
    """What the shipped files hold (see the module docstring)."""

    version: str
    # configuration -> characters one of which every change it makes needs (``_change_class``)
    unchanged: Mapping[str, str]
    # every string of a text that can become a TWPhrases key, sorted
    mainland: tuple[str, ...]
    # the configurations whose every dictionary keeps lengths (a conversion never moves
    # a character), sorted
    same_length: tuple[str, ...] = ()
    # evidence probe configuration -> every character it changes on its own that some
    # context can leave as it is (``_context_class``); every other character it changes
    # alone, it changes in every context
    context: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # evidence probe configuration with one conversion stage -> the keys of that stage
    # that can leave one of its context characters as it is, sorted
    keepers: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def dump(self) -> str:
        """The text of ``PREFILTERS_FILE`` (without its header)."""
        rows = [f"opencc\t{self.version}"]
        rows += [f"unchanged\t{config}\t{chars}" for config, chars in self.unchanged.items()]
        rows.append("same_length\t" + " ".join(self.same_length))
        rows += [f"context\t{config}\t{chars}" for config, chars in self.context.items()]
        rows += [f"keepers\t{config}\t{' '.join(keys)}" for config, keys in self.keepers.items()]
        return "".join(row + "\n" for row in rows)

    def dictionary(self) -> str:
        """The text of ``MAINLAND_DICTIONARY``: OpenCC's text format, key TAB value."""
        return "".join(f"{s}\t{_MARK}{s[1:]}\n" for s in self.mainland)

    @classmethod
    def load(cls, rows: Iterable[str], dictionary: Iterable[str]) -> Prefilters:
        version = ""
        unchanged: dict[str, str] = {}
        same_length: tuple[str, ...] = ()
        context: dict[str, str] = {}
        keepers: dict[str, tuple[str, ...]] = {}
        for row in rows:
            if not row or row.startswith("#"):
                continue
            kind, *fields = row.split("\t")
            if kind == "opencc":
                version = fields[0]
            elif kind == "unchanged":
                unchanged[fields[0]] = fields[1]
            elif kind == "same_length":
                same_length = tuple(fields[0].split())
            elif kind == "context":
                context[fields[0]] = fields[1] if len(fields) > 1 else ""
            elif kind == "keepers":
                keepers[fields[0]] = tuple(fields[1].split()) if len(fields) > 1 else ()
        mainland = tuple(row.split("\t")[0] for row in dictionary if row)
        return cls(version, unchanged, mainland, same_length, context, keepers)


def mainland_config() -> str:
    """The text of ``MAINLAND_CONFIG``: one conversion with the detector's dictionary
    (OpenCC finds the file next to the configuration)."""
    chain = [{"dict": {"type": "text", "file": MAINLAND_DICTIONARY}}]
    spec = {"name": "fixenc: strings that can become a TWPhrases key", "conversion_chain": chain}
    return json.dumps(spec, indent=2) + "\n"


def _data() -> Traversable:
    return resources.files("fixenc") / "data"


def read_prefilters() -> Prefilters:
    """The shipped prefilters (``derive_prefilters`` at build time)."""
    data = _data()
    rows = (data / PREFILTERS_FILE).read_text(encoding="utf-8").splitlines()
    words = (data / MAINLAND_DICTIONARY).read_text(encoding="utf-8").splitlines()
    return Prefilters.load(rows, words)


@functools.cache
def prefilters() -> _Compiled | None:
    """The shipped prefilters, compiled; ``None`` when they were derived from another
    OpenCC version than the installed one (its dictionaries may differ), or the package
    data is not on a file system (OpenCC reads its dictionary from a path)."""
    shipped = read_prefilters()
    config = _data() / MAINLAND_CONFIG
    if shipped.version != VERSION or not isinstance(config, Path):
        return None
    return _Compiled(shipped, str(config))


def _class_regex(chars: str) -> re.Pattern[str]:
    """One character class of ``chars``; any supplementary character stands for all of
    them (a class with supplementary members is scanned member by member: 0.35 s per MB
    against 1.5 ms for a BMP bitmap plus one range)."""
    bmp = "".join(c for c in chars if ord(c) <= 0xFFFF)
    rest = "\U00010000-\U0010ffff" if len(bmp) < len(chars) else ""
    return re.compile(f"[{re.escape(bmp)}{rest}]")


class _Compiled:
    """The prefilters as regexes and the detector's configuration file."""

    def __init__(self, shipped: Prefilters, config: str) -> None:
        self._unchanged = {c: _class_regex(chars) for c, chars in shipped.unchanged.items()}
        # Everything up to a member: the regex engine runs a negated class 17 % faster
        # than it searches for the class (1.5 against 1.8 ms per MB of Chinese).
        self._until = {c: re.compile(f"[^{p.pattern[1:-1]}]*") for c, p in self._unchanged.items()}
        self._config = config
        self._same_length = frozenset(shipped.same_length)
        self._context = {c: frozenset(chars) for c, chars in shipped.context.items()}
        self._keepers = dict(shipped.keepers)

    def keepers(self, config: str) -> tuple[str, ...] | None:
        """The keys that can leave a context character of ``config`` as it is, when
        ``config`` has one conversion stage; ``None`` otherwise."""
        return self._keepers.get(config)

    def context(self, config: str) -> frozenset[str] | None:
        """The characters ``config`` changes on its own but may leave as they are in some
        context (``_context_class``); ``None`` when the shipped data does not cover it."""
        return self._context.get(config)

    def keeps_length(self, config: str) -> bool:
        """Whether ``config`` maps every text to one of the same length, character ``i``
        of the result converting character ``i`` of the text."""
        return config in self._same_length

    def change_class(self, config: str) -> re.Pattern[str] | None:
        """One class of the characters one of which every change of ``config`` needs
        (``None`` when no prefilter covers it): where none occurs, ``config`` changes
        nothing."""
        return self._unchanged.get(config)

    def unchanged(self, config: str, text: str) -> bool:
        """True when ``config`` provably leaves ``text`` as it is (one scan); False when
        it may change it or no prefilter covers ``config``."""
        until = self._until.get(config)
        run = until.match(text) if until is not None else None
        return run is not None and run.end() == len(text)

    def mainland_lines(self, text: str) -> list[tuple[int, int]]:
        """The lines ``[start, end)`` (without their "\\n") of ``text`` where a
        ``TWPhrases`` key may occur after ``t2s`` and ``s2tw``'s first stages: on the
        other lines, ``s2tw`` and ``s2twp`` agree on ``t2s`` of the text.

        >>> p = prefilters()
        >>> p is None or p.mainland_lines("這個軟件很好用。\\n這個軟體很好用。\\n") == [(0, 8)]
        True
        """
        marked = convert_with_file(self._config, text)
        if marked == text:
            return []
        lines, converted = text.split("\n"), marked.split("\n")
        starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
        return [
            (starts[k], starts[k] + len(lines[k]))
            for k in itertools.compress(itertools.count(), map(operator.ne, lines, converted))
        ]


# --- derivation (scripts/build_variant_prefilters.py and its test) -------------------------

Relation = Mapping[str, frozenset[str]]


def derive_prefilters() -> Prefilters:
    """The prefilters of the installed OpenCC (dumps its dictionaries: about a second).

    Raises ``ValueError`` when a dictionary the reasoning needs to keep lengths does not
    (then the prefilters would be unsound, and the module's reasoning must be revisited).
    """
    configs = sorted(
        {c for t in TARGET_SPECS if t.script == "zh-Hant" for c in t.traditional.values()}
    )
    unchanged = {config: _change_class(chain(config)) for config in configs}
    plain, phrased = chain(_PLAIN), chain(_PHRASED)
    if len(plain) != len(phrased) or plain[:-1] != phrased[:-1]:
        raise ValueError(f"{_PLAIN} and {_PHRASED} no longer share all stages but the last")
    extra = phrased[-1][: len(phrased[-1]) - len(plain[-1])]
    if phrased[-1][len(extra) :] != plain[-1]:
        raise ValueError(f"{_PHRASED}'s last stage is no longer {_PLAIN}'s with phrases first")
    before = chain(_TO_SIMPLIFIED) + plain[:-1]
    _relation(plain[-1])  # raises unless it keeps lengths too (``vocabulary`` relies on it)
    pre = _preimage([_relation(stage) for stage in before])
    strings: set[str] = set()
    for name in extra:
        for key, _values in dictionary(name):
            classes = [sorted(pre(c)) for c in key]
            strings.update(map("".join, itertools.product(*_window(classes))))
    same_length = tuple(c for c in sorted(CONFIGS) if _keeps_length(chain(c)))
    context: dict[str, str] = {}
    keepers: dict[str, tuple[str, ...]] = {}
    for probes in EVIDENCE_PROBES:
        for k, config in enumerate(probes):
            stages = chain(config)
            # A configuration that only adds stages to an earlier probe's sees what
            # that probe wrote: it matters only where it can undo that probe's change.
            prefix = next((chain(p) for p in probes[:k] if _extends(stages, chain(p))), None)
            chars, keys = _context_class(stages, prefix)
            context[config] = chars
            if keys is not None:
                keepers[config] = keys
    rows = [*unchanged.values(), *strings, *context.values()]
    rows += [
        Keeper.load(k).char + "".join(Keeper.load(k).classes) for ks in keepers.values() for k in ks
    ]
    for row in rows:
        if any(c in row for c in "\t\r\n /:" + _MARK):
            raise ValueError(f"a dictionary key holds a separator or the mark: {row!r}")
    return Prefilters(VERSION, unchanged, tuple(sorted(strings)), same_length, context, keepers)


def _extends(stages: list[list[str]], prefix: list[list[str]]) -> bool:
    return len(prefix) < len(stages) and stages[: len(prefix)] == prefix


@functools.cache
def _entries(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """``dictionary(name)``, dumped once per derivation run (each dump is a process)."""
    return dictionary(name)


# The configurations the variant stage's evidence probes (``evidence._PROBES_*``), in
# its order.
EVIDENCE_PROBES = (("s2t", "s2tw", "s2hk"), ("t2s", "tw2s", "hk2s"))
# The normalisation stage's dictionary, whose keys all lie in the compatibility blocks
# (checked): the stage's static path leaves text holding one to the probes.
_NORMALISATION = "CJK_Compatibility_Ideographs"
_COMPATIBILITY = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _context_class(
    stages: list[list[str]], prefix: list[list[str]] | None = None
) -> tuple[str, tuple[str, ...] | None]:
    """The characters ``stages`` change on their own that some context can leave as
    they are: where context can matter to the variant stage's evidence.

    Every stage maps keys to values of the same length (checked), so character ``i`` of
    each stage's output comes from character ``i`` of its input, either through a
    one-character key or through a longer key that covers ``i``. OpenCC matches each
    stage's keys (greedily, within segments where the configuration segments first), so
    what can stand at ``i`` after a stage is, for each character ``x`` that can stand
    there before it: the values of ``x``'s one-character keys (``x`` itself when it has
    none), and the character at ``x``'s place in the values of every longer key holding
    ``x``, whatever the neighbours. A character that changes alone and cannot come out
    as itself is changed in every context; the others are listed. Two OpenCC details
    this relies on are checked: a stage's one-character keys all belong to its last
    dictionary (never a "may output tofu" one that OpenCC can leave out), and an
    Ideographic Description Sequence (``⿰们们``, which OpenCC copies as it is) is left
    to the stage, which never takes the static path for text holding one.

    With ``prefix`` (the stages of an earlier probe that ``stages`` extends), a
    character is listed only when the later stages can turn what the prefix wrote in its
    place, if that differs from it, back into it: where the prefix leaves it as it is,
    the earlier probe already says it is no evidence.

    Also returns where the listed characters can stay as they are (``_keepers``).
    """
    if stages[0] != [_NORMALISATION]:
        raise ValueError(f"{stages[0]} is not the normalisation stage")
    for key, values in _entries(_NORMALISATION):
        compatibility = any(a <= ord(c) <= b for c in key for a, b in _COMPATIBILITY)
        if not compatibility and any(v != key for v in values):
            raise ValueError(f"{_NORMALISATION}: {key} outside the compatibility blocks")
    relations: list[tuple[dict[str, frozenset[str]], dict[str, set[str]]]] = []
    firsts: list[dict[str, str]] = []  # what OpenCC writes for a character alone
    for stage in stages:
        first: dict[str, str] = {}
        single: dict[str, set[str]] = defaultdict(set)
        inside: dict[str, set[str]] = defaultdict(set)  # longer keys: char -> its outputs
        last = {key for key, _values in _entries(stage[-1]) if len(key) == 1}
        for name in stage:
            for key, values in _entries(name):
                if len(key) == 1 and key not in last:
                    raise ValueError(f"{name}: one-character key {key} outside {stage[-1]}")
                for value in values:
                    if len(value) != len(key):
                        raise ValueError(f"{name}: {key} -> {value} changes the length")
                    if len(key) == 1:
                        single[key].add(value)
                        first.setdefault(key, values[0])
                    else:
                        for a, b in zip(key, value, strict=True):
                            inside[a].add(b)
        relations.append(({a: frozenset(b) for a, b in single.items()}, inside))
        firsts.append(first)
    chars = {c for ones, longer in relations for c in (*ones, *longer)}
    out: set[str] = set()
    split = len(prefix) if prefix is not None else 0
    for c in chars:
        can, alone = {c}, c
        for k, ((ones, longer), written) in enumerate(zip(relations, firsts, strict=True)):
            if k == split and split:
                can.discard(c)  # the prefix left it: the earlier probe decides
            can = {y for x in can for y in (*ones.get(x, (x,)), *longer.get(x, ()))}
            alone = written.get(alone, alone)
        if c in can and alone != c:
            out.add(c)
    return "".join(sorted(out)), _keepers(stages, split, out)


def _keepers(stages: list[list[str]], split: int, listed: set[str]) -> tuple[str, ...] | None:
    """Where each listed character can stay as it is: ``Keeper.dump`` rows, sorted.

    Only the last stage can leave (or turn back) a listed character, when it is the only
    stage after the normalisation (or after ``split`` stages, the earlier probe's),
    through a key longer than one character: the key's characters must stand around it
    in the text, each as one of the characters earlier stages turn into it (its
    pre-images). ``None`` where another stage, or a one-character key, can do it: then
    every occurrence is probed.
    """
    last = len(stages) - 1
    if last != max(split, 1):
        return None
    singles = [(k, v) for name in stages[last] for k, v in _entries(name) if len(k) == 1]
    if split and any(c in listed for _k, values in singles for c in values if c != _k):
        return None  # a one-character key may turn a character back
    pre = _preimage([_relation(stage) for stage in stages[:last]])
    rows: set[str] = set()
    for name in stages[last]:
        for key, values in _entries(name):
            if len(key) == 1:
                continue
            classes = ["".join(sorted(pre(k))) for k in key]
            for j, c in enumerate(key if not split else classes):
                for kept in {v[j] for v in values} & listed:
                    if kept in classes[j] and (split or kept == c):
                        rows.add(Keeper(kept, j, tuple(classes)).dump())
    return tuple(sorted(rows))


@dataclass(frozen=True, slots=True)
class Keeper:
    """A place where OpenCC may leave a character as it is: ``char`` at index ``at`` of
    a run of characters, each one of its ``classes``' members."""

    char: str
    at: int
    classes: tuple[str, ...]

    def dump(self) -> str:
        """The row, whose first character is ``char`` (readers filter on it)."""
        return f"{self.char}{self.at}:{'/'.join(self.classes)}"

    @classmethod
    def load(cls, row: str) -> Keeper:
        head, _colon, body = row.partition(":")
        return cls(head[0], int(head[1:]), tuple(body.split("/")))

    def pattern(self) -> str:
        """A regex that, right after ``char``, checks the run around it.

        >>> Keeper("据", 1, ("拮", "据")).pattern(), Keeper("种", 0, ("种", "放")).pattern()
        ('(?<=拮据)', '(?<=种)(?=放)')
        """

        def run(classes: tuple[str, ...]) -> str:
            return "".join(re.escape(c) if len(c) == 1 else f"[{re.escape(c)}]" for c in classes)

        behind, ahead = self.classes[: self.at + 1], self.classes[self.at + 1 :]
        return f"(?<={run(behind)})" + (f"(?={run(ahead)})" if ahead else "")


def _keeps_length(stages: list[list[str]]) -> bool:
    try:
        for stage in stages:
            _relation(stage)
    except ValueError:
        return False
    return True


# A key can occur only where each of its windows of this many characters does: the
# detector looks for the window with the fewest pre-image strings. Whole keys gave 19,120
# strings (1.3 MB, 0.7 s to load into OpenCC); pairs give 1,615, and on CPython's Big5
# test text neither finds anything.
WINDOW = 2


def _window(classes: list[list[str]]) -> list[list[str]]:
    """The ``WINDOW`` consecutive classes with the fewest strings (the first on a tie)."""
    if len(classes) <= WINDOW:
        return classes
    starts = range(len(classes) - WINDOW + 1)
    best = min(starts, key=lambda j: (math.prod(map(len, classes[j : j + WINDOW])), j))
    return classes[best : best + WINDOW]


def _relation(stage: list[str]) -> Relation:
    """Character ``a`` -> the characters a stage's dictionaries write in its place."""
    out: dict[str, set[str]] = defaultdict(set)
    for name in stage:
        for key, values in dictionary(name):
            for value in values:
                if len(value) != len(key):
                    raise ValueError(f"{name}: {key} -> {value} changes the length")
                for a, b in zip(key, value, strict=True):
                    out[a].add(b)
    return {a: frozenset(b) for a, b in out.items()}


def _preimage(stages: list[Relation]) -> Callable[[str], frozenset[str]]:
    """``pre(t)``: the characters of a text that can stand at ``t``'s position after
    ``stages`` (``t`` itself included: a character no key matches stays)."""
    chars = {c for r in stages for a, bs in r.items() for c in (a, *bs)}
    inverse: dict[str, set[str]] = defaultdict(set)
    for c in chars:
        image = {c}
        for r in stages:
            image |= {b for a in image for b in r.get(a, ())}
        for t in image:
            inverse[t].add(c)

    @functools.cache
    def pre(t: str) -> frozenset[str]:
        return frozenset(inverse.get(t, ())) | {t}

    return pre


def _change_class(stages: list[list[str]]) -> str:
    """Every character whose presence is needed for ``stages`` to change a text: for
    each key, the first character that one of its values replaces, or what stands at its
    place before the key's stage; a key that every value leaves as it is (it only keeps
    a longer phrase from being cut) changes nothing and adds none.

    Any one character of a key is needed for it to match; the one it replaces is what a
    text already in the configuration's standard lacks (HKVariantsPhrases' 機場快線 →
    機場快綫 needs 線, which Hong Kong text writes 綫, where its first character 機 is in
    any text). ``_relation`` has checked that every value keeps the key's length.
    """
    relations = [_relation(stage) for stage in stages]
    out: set[str] = set()
    for k, stage in enumerate(stages):
        pre = _preimage(relations[:k])
        for name in stage:
            for key, values in dictionary(name):
                replaced = [i for i, c in enumerate(key) if any(v[i] != c for v in values)]
                if replaced:
                    out.update(pre(key[replaced[0]]))
    return "".join(sorted(out))
