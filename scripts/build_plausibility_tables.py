"""Rebuild fixenc/data/plausibility-*.tsv.gz from wordfreq's frequency lists.

Run: python scripts/build_plausibility_tables.py   (needs wordfreq and opencc installed)

For each model (zh-Hans, zh-Hant, ja, ko) it keeps the character unigram and the
within-word character bigram frequencies of wordfreq's word list and its
most frequent multi-character words, as costs in
decibans (-10·log10 p, rounded), truncated to the most frequent entries so the
shipped tables stay small. zh-Hant is zh-Hans converted word by word with OpenCC's
s2t and s2tw configurations (wordfreq folds Chinese to Simplified). See
fixenc/data/README.md for provenance and licences.

For the alphabetic scripts legacy single-byte encodings carry (Latin, Cyrillic, Greek,
Hebrew, Arabic) it writes one file per script, ``plausibility-alpha-<script>.tsv.gz``,
with each language's letter unigram and conditional letter bigram costs (a space marks
the word boundary), so that decoding can tell a real reading from a sibling code page's.
"""

from __future__ import annotations

import gzip
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixenc" / "data"
# Scripts the models cover: Han, kana, Hangul syllables (and the prolonged-sound mark).
_SCRIPT = re.compile(
    r"^[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]+$"
)
# Sizes chosen so that the four tables together stay around 1 MB compressed while
# covering >99.9 % of the character mass of each list (printed when the script runs).
MAX_CHARS = 9000
MAX_BIGRAMS = {"zh-Hans": 60000, "zh-Hant": 60000, "ja": 40000, "ko": 30000}
# Multi-character words kept for the word-level pass (lengths 2–4), most frequent first.
MAX_WORDS = {"zh-Hans": 120000, "zh-Hant": 120000, "ja": 30000, "ko": 10000}
# wordfreq's "large" lists exist for zh and ja; Korean only has the "small" list.
WORDLIST = {"zh": "large", "ja": "large", "ko": "small"}


def _counts(words: Iterable[tuple[str, float]]) -> tuple[Counter[str], Counter[str]]:
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for word, freq in words:
        if not _SCRIPT.match(word):
            continue
        for ch in word:
            uni[ch] += freq
        for i in range(len(word) - 1):
            bi[word[i : i + 2]] += freq
    return uni, bi


def _cost(p: float) -> int:
    return round(-10 * math.log10(p))


def _write(
    name: str, uni: Counter[str], bi: Counter[str], words: dict[str, float], max_bigrams: int
) -> None:
    total_u = sum(uni.values())
    total_b = sum(bi.values())
    top_u = uni.most_common(MAX_CHARS)
    top_b = bi.most_common(max_bigrams)
    cover_u = sum(v for _, v in top_u) / total_u
    cover_b = sum(v for _, v in top_b) / total_b
    print(
        f"{name}: {len(top_u)} chars ({cover_u:.4%} of mass), {len(top_b)} bigrams ({cover_b:.2%})"
    )
    lines = [
        f"# fixenc plausibility table {name}; see README.md",
        f"T\t{total_u:.6g}\t{total_b:.6g}",
    ]
    lines += [f"U\t{ch}\t{_cost(v / total_u)}" for ch, v in top_u]
    lines += [f"B\t{bg}\t{_cost(v / total_b)}" for bg, v in top_b]
    total_w = sum(words.values())
    multi = sorted(
        ((w, f) for w, f in words.items() if 2 <= len(w) <= 4 and _SCRIPT.match(w)),
        key=lambda wf: -wf[1],
    )[: MAX_WORDS[name]]
    lines += [f"W\t{w}\t{_cost(f / total_w)}" for w, f in multi]
    path = OUT / f"plausibility-{name}.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(lines) + "\n")


# The wordfreq languages behind each alphabetic script's table (every language that
# chardet's registry names and wordfreq has a list for; "sh" is Serbo-Croatian in Latin
# letters, standing for hr/bs/sr-Latn; "nb" for Norwegian).
ALPHA_SCRIPTS = {
    "latin": (
        "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "is", "id",
        "ms", "ca", "cs", "sk", "pl", "hu", "ro", "sl", "sh", "lt", "lv", "tr", "vi",
    ),
    "cyrillic": ("ru", "uk", "bg", "mk"),
    "greek": ("el",),
    "hebrew": ("he",),
    "arabic": ("ar", "fa", "ur"),
}  # fmt: skip
# Languages chardet names that wordfreq has no list for, from the spelling dictionaries
# Debian ships (``apt-get install aspell aspell-cy aspell-et hunspell-kk``): each word of
# the dictionary counts once (type frequency, not usage frequency: a principled fallback
# that knows the language's letters and spelling, though not how often each word is
# used). Welsh and Estonian from aspell's master word lists, Kazakh from hunspell's
# stems. Type frequencies price a language's short function words like rare letter
# sequences (Welsh ``â``, ``ôl`` cost as much as garble), so these languages also list
# their short words holding a non-ASCII letter (``W`` lines, LEXICON_MAX_LETTERS).
DICTIONARY_LANGS = {
    "latin": (("cy", ("aspell", "cy")), ("et", ("aspell", "et"))),
    "cyrillic": (("kk", ("hunspell", "/usr/share/hunspell/kk_KZ.dic")),),
}


def _dictionary_words(source: tuple[str, str]) -> dict[str, float]:
    """A spelling dictionary's words (lower-cased, letters only), each with weight 1."""
    import subprocess

    kind, where = source
    if kind == "aspell":
        listing = subprocess.run(
            ["aspell", "-d", where, "dump", "master"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    else:  # hunspell .dic: a count, then one stem a line
        listing = Path(where).read_text(encoding="utf-8-sig").splitlines()[1:]
    listing = [line.split("/")[0] for line in listing]  # affix flags follow a "/"
    words = sorted({w.strip().lower() for w in listing if w.strip().isalpha()})
    return dict.fromkeys(words, 1.0)


# The longest words a dictionary language lists as words (function words are short).
LEXICON_MAX_LETTERS = 4


# Per language: the letters covering nearly all of the mass and the most frequent
# bigrams (boundary bigrams included); measured coverage is printed when it runs.
ALPHA_CHARS = 120
ALPHA_BIGRAMS = 1200


def _alpha_tables() -> None:
    import wordfreq

    for script, langs in ALPHA_SCRIPTS.items():
        lines = [f"# fixenc alphabetic plausibility table {script}; see README.md"]
        sources: list[tuple[str, dict[str, float]]] = [
            (lang, wordfreq.get_frequency_dict(lang, wordlist="small")) for lang in langs
        ]
        dictionary = {
            lang: _dictionary_words(src) for lang, src in DICTIONARY_LANGS.get(script, ())
        }
        sources += list(dictionary.items())
        for lang, freqs in sources:
            uni: Counter[str] = Counter()
            bi: Counter[str] = Counter()
            for word, freq in freqs.items():
                if not word.isalpha():
                    continue
                padded = f" {word} "
                for ch in word:
                    uni[ch] += freq
                for i in range(len(padded) - 1):
                    bi[padded[i : i + 2]] += freq
            total = sum(uni.values())
            top_u = uni.most_common(ALPHA_CHARS)
            # conditional cost of b after a: -10·log10(count(ab) / count(a·))
            after: Counter[str] = Counter()
            for pair, n in bi.items():
                after[pair[0]] += n
            top_b = bi.most_common(ALPHA_BIGRAMS)
            cover = sum(n for _, n in top_b) / sum(bi.values())
            print(f"{script}/{lang}: {len(top_u)} letters, {len(top_b)} bigrams ({cover:.1%})")
            lines.append(f"L\t{lang}")
            lines += [f"U\t{ch}\t{_cost(n / total)}" for ch, n in top_u]
            lines += [f"B\t{pair}\t{_cost(n / after[pair[0]])}" for pair, n in top_b]
            if lang in dictionary:
                lines += [
                    f"W\t{word}"
                    for word in dictionary[lang]
                    if len(word) <= LEXICON_MAX_LETTERS and not word.isascii()
                ]
        path = OUT / f"plausibility-alpha-{script}.tsv.gz"
        # mtime 0: the same tables give the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild every table; ``alpha`` as the only argument rebuilds the alphabetic ones."""
    if list(argv if argv is not None else sys.argv[1:]) == ["alpha"]:
        _alpha_tables()
        return 0
    import opencc
    import wordfreq

    zh = wordfreq.get_frequency_dict("zh", wordlist=WORDLIST["zh"])
    uni, bi = _counts(zh.items())
    _write("zh-Hans", uni, bi, zh, MAX_BIGRAMS["zh-Hans"])
    converters = [opencc.OpenCC("s2t.json"), opencc.OpenCC("s2tw.json")]
    hant: dict[str, float] = {}
    for word, freq in zh.items():
        forms = {conv.convert(word) for conv in converters}
        for form in forms:
            hant[form] = hant.get(form, 0.0) + freq / len(forms)
    uni, bi = _counts(hant.items())
    _write("zh-Hant", uni, bi, hant, MAX_BIGRAMS["zh-Hant"])
    for lang in ("ja", "ko"):
        words = wordfreq.get_frequency_dict(lang, wordlist=WORDLIST[lang])
        uni, bi = _counts(words.items())
        _write(lang, uni, bi, words, MAX_BIGRAMS[lang])
    _alpha_tables()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
