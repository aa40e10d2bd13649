"""How likely a string is real text in an alphabetic script (Latin, Cyrillic, Greek, ...).

Stage: decode (shared by detect). The CJK model (``score.py``) judges Han, kana and
Hangul; single-byte legacy code pages carry alphabetic scripts, and the readings of one
file in sibling code pages differ in a few letters (``ű`` or ``û``, ``ž`` or a C1
control). Each language's letter unigram and conditional bigram costs (decibans, from
wordfreq; a space marks the word boundary) say which reading is the language's.

Tables are one file per script, ``fixenc/data/plausibility-alpha-<script>.tsv.gz``
(provenance in the data README), loaded lazily the first time a script is met.

>>> mean_cost("Пример обычного русского текста") < mean_cost("Ïðèìåð îáû÷íîãî ðóññêîãî òåêñòà")
True
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

# The scripts with tables, each with the first and last code point of its Unicode block
# (Latin: the Latin-1 letters up to Latin Extended Additional, where Vietnamese lives).
SCRIPT_RANGES = (
    ("latin", 0x00C0, 0x024F),
    ("latin", 0x1E00, 0x1EFF),
    ("greek", 0x0370, 0x03FF),
    ("cyrillic", 0x0400, 0x052F),
    ("hebrew", 0x0590, 0x05FF),
    ("arabic", 0x0600, 0x06FF),
)
SCRIPTS = tuple(dict.fromkeys(name for name, _, _ in SCRIPT_RANGES))
# Stupid-backoff weight for an unseen bigram (Brants et al. 2007 use 0.4 ≈ 4 dB), as in
# the CJK tables.
BACKOFF_COST = 4.0
# A letter outside a language's table costs this much more than its rarest letter.
UNKNOWN_EXTRA = 12.0
# What a character that is not a letter costs, by class (decibans, like the letters):
# everyday punctuation is as common as a mid-frequency letter; brackets and ASCII
# symbols rarer; other symbols (¤ ¦ ¬ ‰ ± box drawing) rare in running text; control
# characters (C0 other than whitespace, C1) never occur in text a person wrote.
# Separators (``Title | Site``, ``a · b``) and brackets (``[...]``) are as common as
# punctuation in web text.
PUNCTUATION = frozenset(".,;:!?'\"()[]-–—…“”‘’«»„/|·•")
PUNCTUATION_COST = 12.0
ASCII_SYMBOL_COST = 22.0
# The symbols of everyday prose and commerce (currency, trademarks, degrees, sections).
COMMON_SYMBOLS = frozenset("€£$¥%&@#*+=©®™°§±×")
COMMON_SYMBOL_COST = 18.0
SYMBOL_COST = 32.0
# Box drawing and block elements: what DOS code pages put where other pages put letters.
BOX_COST = 40.0
CONTROL_COST = 60.0
# A symbol glued between two letters (``f}r``, ``gr¢n``) costs this much more: words do
# not hold symbols, but a code page that reads a letter as a symbol puts one there. The
# in-word punctuation of real text (apostrophes, hyphens, dots, slashes) is exempt.
GLUED_SYMBOL_COST = 30.0
IN_WORD = "'’-‐./·&_"
# A Latin letter touching a Greek or Cyrillic one inside a word (``КsЛ``, ``Кf``) costs
# as much as a symbol glued there: a word is written in one alphabet, while a Cyrillic
# code page that reads a double-byte character's lead byte as a letter leaves its ASCII
# trail byte beside it (CPython's 23-byte Big5-HKSCS test file read as CP866 was the
# only plausible reading of it).
_MIXED_ALPHABETS = re.compile(
    r"[A-Za-z\u00c0-\u024f](?=[\u0370-\u03ff\u0400-\u052f])"
    r"|[\u0370-\u03ff\u0400-\u052f](?=[A-Za-z\u00c0-\u024f])"
)
# A non-ASCII capital right after a small letter inside a word (``ideeÎn``, ``grÖn``)
# costs this much: prose capitalises words, not their middles, while a code page that
# reads a small accented letter as another code page's capital puts one there.
MIXED_CASE_COST = 20.0
# Sentence punctuation standing alone between spaces (``Linnebjerg ! Foto``) costs this
# much more: it attaches to the word before it, except in French typography, which
# spaces ``; : ! ?`` (so French is exempt).
STANDALONE_COST = 10.0
SPACED_PUNCTUATION_LANGS = frozenset({"fr"})
# A bracket without its partner in the whole text (``banker ] Finans``) costs this much
# more: brackets come in pairs (``[...]``, often many words apart), a code page's stray
# one does not.
UNPAIRED_BRACKET_COST = 10.0
# A separator glued to the end of a word (``Finale|``, ``teil| Morgen``) costs as much as
# a symbol glued inside one: separators stand between spaces (``Title | Site``), while
# an EBCDIC page that reads another's ``!`` or ``]`` as ``|`` puts one right after a word.
SEPARATORS = "|¦"
# A non-ASCII symbol glued to the start of a word (``™l``, ``¶l``, ``€s``; one between
# two letters is GLUED_SYMBOL_COST already) costs as much too: symbols follow words (``Brand™``) or precede numbers (``€5``), while a code
# page that reads a letter as a symbol puts one before the rest of its word. The
# degree sign is exempt (``°C``).
_LEADING_SYMBOL = re.compile(r"(?<![^\W\d_])[^\x00-\x7f°](?=[^\W\d_])")
# A closing quotation mark opening a word (``’ρτα``, ``(’ρτα)``) costs as much too:
# it closes or elides at a word's end (``απ’``, ``don’t``), while a code page that reads
# a capital letter as ``’`` puts one at a word's start.
_CLOSING_OPENS = re.compile(r"(?:(?<=[\s(\[{])|^)[’”](?=[^\W\d_])")
# A currency sign with no digit within AMOUNT_REACH characters (``Home £ Black``) costs
# STANDALONE_COST more: currency signs stand next to an amount (``£5``, ``€ 10``,
# ``10 €``), while a code page that reads a separator as one puts it between words.
AMOUNT_REACH = 2
_CURRENCY = re.compile(
    "[" + "".join(chr(c) for c in range(0x80, 0x3000) if unicodedata.category(chr(c)) == "Sc") + "]"
)
_GLUED_SEPARATOR = re.compile(r"(?<=[^\W\d_])[" + SEPARATORS + r"](?![^\W\d_])")
_STANDALONE = re.compile(r"(?:(?<=\s)|^)[,.;:!?](?=\s|$)")

_WHITE = " \t\n\r\f\v"
_ASCII_LETTER = re.compile("[A-Za-z]")


_WORD = re.compile(r"[^\W\d_]+")
_GLUED = re.compile(r"(?<=[^\W\d_])[^\w\s" + re.escape(IN_WORD) + r"](?=[^\W\d_])")


@dataclass(frozen=True, slots=True, eq=False)
class LetterModel:
    """One language's letter tables (compared and hashed by identity: one per language)."""

    lang: str
    script: str
    uni: dict[str, float]
    bi: dict[str, float]
    unknown: float
    # Short words a spelling dictionary lists (languages whose table comes from one: its
    # letter costs are type frequencies, which price short function words like garble).
    words: frozenset[str] = frozenset()


@functools.cache
def load_script(script: str) -> tuple[LetterModel, ...]:
    """Every language model of ``script`` (cached; a few milliseconds the first time)."""
    models: list[LetterModel] = []
    lang = ""
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    words: set[str] = set()

    def close() -> None:
        if lang:
            unknown = max(uni.values()) + UNKNOWN_EXTRA
            models.append(LetterModel(lang, script, uni, bi, unknown, frozenset(words)))

    ref = resources.files("fixenc") / "data" / f"plausibility-alpha-{script}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            kind, key, *rest = line.rstrip("\n").split("\t")
            if kind == "L":
                close()
                lang, uni, bi, words = key, {}, {}, set()
            elif kind == "U":
                uni[key] = float(rest[0])
            elif kind == "B":
                bi[key] = float(rest[0])
            elif kind == "W":
                words.add(key)
    close()
    return tuple(models)


def languages() -> dict[str, str]:
    """Every language with a letter table, and its script."""
    return {m.lang: m.script for script in SCRIPTS for m in load_script(script)}


def script_of(ch: str) -> str | None:
    """The table script a non-ASCII letter belongs to, or ``None``."""
    cp = ord(ch)
    for name, lo, hi in SCRIPT_RANGES:
        if lo <= cp <= hi:
            return name
    return None


def dominant_script(text: str) -> str | None:
    """The table script most non-ASCII letters of ``text`` belong to (on a tie, the one
    whose first letter comes first); Latin when it has no non-ASCII letters but ASCII
    ones (English with a stray ``»`` is Latin text); ``None`` for a script without a
    table (Thai) or no letters at all.

    Each script's letters are counted by one compiled class (``_script_letters``): the
    character loop this replaces took a tenth of a legacy file's decoding, called on
    every reading and both sides of every contest (issue 12).

    >>> dominant_script("Привет, мир"), dominant_script("Home » Black"), dominant_script("สวัสดี")
    ('cyrillic', 'latin', None)
    """
    found: list[tuple[int, int, str]] = []  # (-count, first position, script)
    for name, pattern in _script_letters():
        first = pattern.search(text)
        if first is not None:
            found.append((-len(pattern.findall(text, first.start())), first.start(), name))
    if found:
        return min(found)[2]
    other = any(ch > "\x7f" and ch.isalpha() for ch in text)  # a script without a table
    return "latin" if not other and _ASCII_LETTER.search(text) else None


@functools.cache
def _script_letters() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """For each table script, a class of the letters of its ``SCRIPT_RANGES``."""
    out = []
    for name in SCRIPTS:
        letters = [
            chr(cp)
            for script, lo, hi in SCRIPT_RANGES
            if script == name
            for cp in range(lo, hi + 1)
            if chr(cp).isalpha()
        ]
        out.append((name, re.compile("[" + "".join(map(re.escape, letters)) + "]")))
    return tuple(out)


def char_cost(ch: str) -> float:
    """The cost of a character that is not a letter (see the class costs above)."""
    if ch in " \t\n\r\f\v" or (ch.isspace() and ch > "\xa0") or ch.isdigit():
        return 0.0  # not U+0085: a C1 control that str.isspace calls whitespace
    if ch in PUNCTUATION:
        return PUNCTUATION_COST
    if ch in COMMON_SYMBOLS:
        return COMMON_SYMBOL_COST
    if ch < "\x7f":
        return ASCII_SYMBOL_COST if ch >= " " else CONTROL_COST
    if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"):
        return CONTROL_COST
    if "\u2500" <= ch <= "\u259f":
        return BOX_COST
    return SYMBOL_COST


# What a letter of a word a dictionary lists costs at most: the mean cost per letter of
# real text under its own language's table (11.7–14.7 dB on chardet's corpus).
KNOWN_WORD_COST = 12.0


def word_cost(word: str, model: LetterModel, unknown: float | None = None) -> float:
    """Total cost of one lower-case word (letters only) under ``model``; a letter outside
    its table costs ``unknown`` (default: the model's own unknown-letter cost)."""
    uni, bi = model.uni, model.bi
    if unknown is None:
        unknown = model.unknown
    cost = 0.0
    prev = " "
    for ch in (*word, " "):
        b = bi.get(prev + ch)
        if b is not None:
            cost += b
        elif ch != " ":
            cost += BACKOFF_COST + uni.get(ch, unknown)
        prev = ch
    if word in model.words:
        return min(cost, KNOWN_WORD_COST * len(word))
    return cost


# A capitalised word with a non-ASCII letter (Václav, Smørgrav in English prose) may
# instead cost what the table of its script that reads it best says, plus this much:
# prose in one language writes the names of others as they are (its common words, such
# as Dutch creëren, are still judged in its own language). Scored as unknown (78 dB a
# letter in English), a name's accented letter cost more than a code page's symbol that
# splits the name (V·clav, Sm°rgrav), and the contest between a legacy file's readings
# chose MacRoman and CP437 for Debian changelogs in Latin-1. The word is scored by the
# table that knows its letter, bigrams included, so a code page's wrong letter in a
# name (Franþois) still costs what it costs in Icelandic. The margin is the same as a
# letter outside every table's (UNKNOWN_EXTRA).
FOREIGN_WORD_EXTRA = UNKNOWN_EXTRA


def foreign_word_cost(word: str, model: LetterModel) -> float:
    """``word_cost`` under ``model``, or, for a word with a non-ASCII letter, under the
    best table of its script plus FOREIGN_WORD_EXTRA, if that is less.

    >>> en = next(m for m in load_script("latin") if m.lang == "en")
    >>> foreign_word_cost("václav", en) < word_cost("václav", en)
    True
    >>> foreign_word_cost("house", en) == word_cost("house", en)
    True
    """
    own = word_cost(word, model)
    if word.isascii():
        return own
    best = min(word_cost(word, other) for other in load_script(model.script))
    return min(own, best + FOREIGN_WORD_EXTRA)


# Letters that are one letter of a language written two ways: Romanian ș and ț with a
# comma below, or with a cedilla as ISO 8859-2 and cp1250 (which lack the comma forms)
# store them. A reading is not likelier for using the other form.
LETTER_VARIANTS = str.maketrans("şţ", "șț")


def _normal(text: str) -> str:
    # Vietnamese code pages store tone marks as combining characters; the tables are NFC.
    return unicodedata.normalize("NFC", text).lower().translate(LETTER_VARIANTS)


# What a letter of a script without a table costs: a mid-frequency letter's cost, so
# that such text is judged by its other characters (controls, symbols) alone.
NO_TABLE_COST = 15.0


# Small letters, then the capitals that may not follow them inside a word (Latin-1 and
# Latin Extended, Greek with and without tonos, Cyrillic).
_MIXED_CASE = re.compile(
    r"(?<=[a-z\u00df-\u00ff\u03ac-\u03ce\u0430-\u045f])"
    r"[\u00c0-\u00de\u0100-\u024f\u0386-\u03a9\u0400-\u042f]"
)


def _mixed_case(text: str) -> int:
    return sum(1 for m in _MIXED_CASE.finditer(text) if m.group().isupper())


def stray_currency(text: str) -> int:
    """How many non-ASCII currency signs of ``text`` stand with no amount next to them.

    >>> stray_currency("Home £ Black Sea"), stray_currency("de € 10 nó £5 nó 10 €")
    (1, 0)
    """
    return sum(
        1
        for m in _CURRENCY.finditer(text)
        if not any(
            ch.isdigit()
            for ch in text[max(m.start() - AMOUNT_REACH, 0) : m.start()]
            + text[m.end() : m.end() + AMOUNT_REACH]
        )
    )


def unpaired_brackets(text: str) -> int:
    """How many square or curly brackets of ``text`` have no partner.

    >>> unpaired_brackets("[REGLAMENTO (UE) ... datos]"), unpaired_brackets("banker ] Finans")
    (0, 1)
    """
    return abs(text.count("[") - text.count("]")) + abs(text.count("{") - text.count("}"))


def text_cost(
    text: str,
    models: Sequence[LetterModel],
    *,
    all_words: bool = False,
    language: str | None = None,
    unknown_letters: float | None = None,
    ascii_shared: bool = False,
    foreign: bool = False,
) -> tuple[float, int, str]:
    """(total cost, characters scored, best language) of ``text``'s non-ASCII words and
    non-ASCII or control characters outside words, under the best of ``models`` (with
    no models, letters cost NO_TABLE_COST). Only words holding a non-ASCII letter count,
    since ASCII words read the same in every code page (``all_words`` scores them and
    ASCII punctuation too: comparing two readings of the same bytes, a letter read as a
    symbol leaves ASCII fragments that must still pay for themselves, and EBCDIC code
    pages differ in ASCII punctuation). ``unknown_letters`` prices the letters outside a
    model's table (default: the model's own unknown-letter cost). ``ascii_shared`` says
    the reading's code page reads ASCII bytes as ASCII: an ASCII symbol between letters
    (``</p><p>if``) is then the file's own markup, not the code page's doing.
    ``foreign`` lets a capitalised word (a name: the words prose borrows from other
    languages as they are) cost what the other tables of its script say
    (``foreign_word_cost``); other words are judged in the document's language."""
    shape = MIXED_CASE_COST * _mixed_case(text)
    shape += GLUED_SYMBOL_COST * len(_MIXED_ALPHABETS.findall(text))
    names = {_normal(w) for w in _WORD.findall(text) if w.istitle()} if foreign else set()
    text = _normal(text)
    words = [w for w in _WORD.findall(text) if all_words or not w.isascii()]
    rest = [
        ch
        for ch in _WORD.sub(" ", text)
        if ch > "\x7f" or (ch < " " and ch not in _WHITE) or (all_words and ch not in _WHITE)
    ]
    glued = _GLUED.findall(text)
    if ascii_shared:
        glued = [ch for ch in glued if ch > "\x7f"]
    other = sum(char_cost(ch) for ch in rest) + GLUED_SYMBOL_COST * len(glued)
    other += shape
    if all_words:
        other += GLUED_SYMBOL_COST * len(_GLUED_SEPARATOR.findall(text))
        other += GLUED_SYMBOL_COST * len(_CLOSING_OPENS.findall(text))
        other += GLUED_SYMBOL_COST * sum(
            1 for m in _LEADING_SYMBOL.finditer(text) if unicodedata.category(m.group())[0] == "S"
        )
    letters = sum(len(w) for w in words)
    standalone = 0.0
    if all_words and language not in SPACED_PUNCTUATION_LANGS:
        standalone = STANDALONE_COST * len(_STANDALONE.findall(text))
    best = (float("inf"), "")
    counts = Counter(words)  # prose repeats its words: price each once
    for model in models:
        cost = sum(
            n
            * (foreign_word_cost(w, model) if w in names else word_cost(w, model, unknown_letters))
            for w, n in counts.items()
        )
        cost += standalone
        if cost < best[0]:
            best = (cost, model.lang)
    if not models:
        best = (NO_TABLE_COST * letters + standalone, "")
    return best[0] + other, letters + len(rest), best[1]


# A document's language is known from the words its readings share when one language's
# model explains them well (at most LANGUAGE_FIT per letter) and better than the rest;
# the readings are then compared under that language and those within LANGUAGE_MARGIN.
# Measured on chardet's corpus (lines with non-ASCII letters): the labelled language
# scores 11.7–14.7 dB per letter and leads the next by 0.6–6 dB, while text in a
# language without a table (Welsh, Irish, Breton, Maltese) fits none well (16.6 dB or
# more) and several at once, so it keeps every model.
LANGUAGE_FIT = 15.0
LANGUAGE_MARGIN = 1.0
# Fewer shared letters than this (about 30 words) do not tell a language.
LANGUAGE_MIN_LETTERS = 150


def fitting_models(shared: str, models: Sequence[LetterModel]) -> tuple[LetterModel, ...]:
    """The models of ``models`` that fit the words of ``shared`` (see LANGUAGE_FIT); all
    of them when ``shared`` has too few letters or no language fits it well.

    >>> dutch = "het is een bijzondere tijd voor de mensen die hier wonen en werken, "
    >>> [m.lang for m in fitting_models(dutch * 5, load_script("latin"))]
    ['nl']
    """
    words = _WORD.findall(_normal(shared))
    letters = sum(len(w) for w in words)
    if len(models) < 2 or letters < LANGUAGE_MIN_LETTERS:
        return tuple(models)
    counts = Counter(words)
    costs = [(sum(n * word_cost(w, m) for w, n in counts.items()) / letters, m) for m in models]
    best = min(c for c, _ in costs)
    if best > LANGUAGE_FIT:
        return tuple(models)
    return tuple(m for c, m in costs if c <= best + LANGUAGE_MARGIN)


def models_for(text: str, langs: Iterable[str] | None = None) -> tuple[LetterModel, ...]:
    """The models to judge ``text`` with: its dominant script's, narrowed to ``langs``."""
    script = dominant_script(text)
    if script is None:
        return ()
    models = load_script(script)
    if langs is not None:
        wanted = set(langs)
        narrowed = tuple(m for m in models if m.lang in wanted)
        return narrowed or models
    return models


def mean_cost(text: str, langs: Iterable[str] | None = None) -> float:
    """Mean cost per scored character of ``text`` (0 when it has none)."""
    total, letters, _ = text_cost(text, models_for(text, langs))
    return total / letters if letters else 0.0
