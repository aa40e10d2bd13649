"""Stage: convert script variant — per-passage detection and phrase-aware conversion.

Runs after pinyin-noise removal, so that OpenCC's phrase matching sees whole words;
OpenCC itself is reached through ``fixenc.convert``, and what each target converts is a
row of ``fixenc.targets``.

Detection. Each passage (a paragraph; where a line mixes scripts, a sentence, then a
clause, then a run of CJK text between other words) is labelled ``zh-Hans``, ``zh-Hant``,
``both`` (no distinguishing characters, e.g. 中文), ``mixed`` or ``none`` (no Han). A
character is *Simplified evidence* only when every Simplified→Traditional standard
(OpenCC's ``s2t``, Taiwan's ``s2tw``, Hong Kong's ``s2hk``) would change it in context,
and *Traditional evidence* only when every Traditional→Simplified direction (``t2s``,
``tw2s``, ``hk2s``) would. Probing with ``s2t`` alone calls ordinary Traditional
characters (吃, 群, 床) Simplified, because OpenCC's own standard prefers 喫, 羣, 牀. The
character must also change on its own (OpenCC's phrase 了解→瞭解 is no evidence against
了) and be missing from the other script's common character set (雇 is a frequent Big5
character, so it is Traditional too; 扰 is only a rare one). Kana or hangul mark a
paragraph or document as Japanese or Korean, never converted.

Regional hints. OpenCC's Taiwan phrase table maps mainland words to Taiwan ones
(软件→軟體, 信息→資訊). Traditional text that still carries the mainland word
(軟件) was very likely machine-converted from Simplified; that is reported, and it
steers the choice of the Traditional→Simplified configuration.

Conversion. A passage that needs converting is converted whole with the target's
configuration for its side (the table in ``fixenc.targets``), so the result is exactly
OpenCC's for that passage: no Simplified character is left inside a converted sentence
(税 beside 徵). A passage already in the target is never converted (``s2t`` on
Traditional rewrites 雇→僱 and 天文台→天文臺); a mixed clause is converted whole; a
passage without evidence follows its document when the document is in one variant.
Each run of changed lines is one ``Change`` whose step replays it with the OpenCC
configuration that produced it (``render._convert_piece`` says why lines, not words).

Modules: ``probe`` (what an OpenCC configuration changes), ``evidence`` (which
characters prove a script), ``segment`` (passages and their labels), ``vocabulary``
(mainland words in Traditional text), ``prefilter`` (which OpenCC passes provably change
nothing), ``plan`` (which configuration converts a passage),
``render`` (changes and findings), ``batch`` (the passages of a mixed document,
converted and explained together), ``whole`` (a document in one script, converted at
once), ``foreign`` (the Japanese and Korean paragraphs, found without segmenting); this
module holds the stage entry.

Turn it off with target ``keep`` (the default): then mixed documents and mainland
vocabulary in Traditional text are only reported.

Speed. Whether a character *can* be evidence does not depend on its context, so the
candidates of each script are computed once per process as two character classes; one
regex scan per class proves most clean documents need nothing (``_nothing_to_do``), and
only the rest pays more. A document in one script that needs converting is converted
whole, one OpenCC call per unprotected piece (``_whole_document``). Japanese and Korean
paragraphs are cut out first (``foreign``): a document that is Japanese or Korean as a
whole returns after counting its kana (a fraction of a scan), and the Chinese paragraphs
beside such paragraphs take the regex scans and the conversion at once on their own.
Only documents that mix Simplified and Traditional, and the few others these checks
cannot clear (mainland vocabulary beside Japanese paragraphs, a protected region inside
one), pay for the per-passage analysis. There, evidence comes from static classes too
(``evidence._StaticEvidence``: OpenCC is asked only about characters standing where a
dictionary key could keep them), a paragraph in one script is labelled at once
(``segment._Analysis._static_units``), and a ``Passage`` is built only for what is
reported; the passages converted with one configuration are converted in one OpenCC
call and explained from per-document passes (``batch``). What a converted document
costs beyond OpenCC's own conversion is comparing its lines with the converted lines
(in C) and one ``Change`` per run of changed lines.
Clean Traditional text also needs the mainland-vocabulary lookup (three OpenCC passes)
and, under a regional target, the normalisation check (one pass); ``prefilter`` answers
both from data derived from OpenCC's dictionaries: one class scan for the normalisation,
and one pass of a small OpenCC dictionary that finds the lines where a Taiwan phrase-table
key can occur, so the three passes run over those lines only.

>>> from fixenc.model import Context, Options
>>> out = stage("他们的软件\\n", Context(Options(target="zh-TW")))
>>> [(c.before, c.after, c.steps[0].arg) for c in out.changes]
[('他们的软件', '他們的軟體', 's2twp')]
>>> stage("他們的軟體\\n", Context(Options(target="zh-Hant"))) is None
True
"""

from __future__ import annotations

from fixenc import plausibility
from fixenc.convert import convert_with
from fixenc.model import Change, Context, Finding, Options, StageOutput
from fixenc.protect import Protection
from fixenc.stages.variant.batch import batched_changes, batched_findings, explain_passage
from fixenc.stages.variant.evidence import (
    _BMP_HAN,
    _HAN,
    _OTHER_CHARSET,
    _PROBES_SIMP,
    _PROBES_TRAD,
    _candidate_class,
    _in_charset,
)
from fixenc.stages.variant.foreign import (
    Span,
    _SpanCandidates,
    chinese_spans,
    japanese_or_korean,
    whole_chinese,
)
from fixenc.stages.variant.plan import _document_label_of, _planned
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.render import (
    _convert_piece,
    _document_evidence,
    _mixed_findings,
    _vocabulary_findings,
)
from fixenc.stages.variant.segment import (
    EVIDENCE_MAX,
    EVIDENCE_PRIOR,
    FOREIGN_SHARE,
    _Analysis,
    passages,
)
from fixenc.stages.variant.vocabulary import _mainland_words
from fixenc.stages.variant.whole import _NOT_WHOLE, _Candidates, _whole_document, _whole_plan
from fixenc.targets import spec

__all__ = [
    "EVIDENCE_MAX",
    "EVIDENCE_PRIOR",
    "FOREIGN_SHARE",
    "_BMP_HAN",
    "_HAN",
    "_OTHER_CHARSET",
    "_PROBES_SIMP",
    "_PROBES_TRAD",
    "StageOutput",
    "_Analysis",
    "_candidate_class",
    "_in_charset",
    "_whole_plan",
    "convert_with",
    "passages",
    "stage",
]


def stage(text: str, context: Context) -> StageOutput | None:
    """Convert passages to ``options.target``; report mixed documents and regional hints.

    Returns ``None`` after one regex scan when the text has no Han characters, or when
    the caller says the text is Japanese or Korean; after counting kana when the text
    is (``foreign``); after one or two more regex scans when no character of the text,
    or of its Chinese paragraphs beside Japanese or Korean ones, can be evidence that
    matters for the target (see ``_nothing_to_do``); clean Traditional text under
    ``keep`` or ``zh-Hant`` also pays the mainland-vocabulary lookup. Everything else
    takes the full analysis.
    """
    options = context.options
    # (the cheap pass's scan may have answered: ``has_han``)
    if not plausibility.has_han(text, context) or options.lang in ("ja", "ko"):
        return None
    # Japanese or Korean from its first lines: when the whole document is, every
    # paragraph is, and nothing is converted or reported (``foreign``).
    whole_foreign = japanese_or_korean(text)
    if whole_foreign:
        return None
    found = _Candidates(text, spec(options.target))
    if _nothing_to_do(text, options, found):
        return None
    if found.foreign:  # Japanese or Korean paragraphs: the Chinese ones alone decide
        spans = chinese_spans(text, whole_foreign)
        if spans is None:  # the segmentation decides which: ask about the whole text
            if _nothing_to_do(text, options, found, ((0, len(text)),)):
                return None
        elif _nothing_to_do(text, options, _SpanCandidates(text, spans), spans):
            return None
        elif (converted := whole_chinese(text, options, spans)) is not _NOT_WHOLE:
            return converted  # they are in one script: converted at once
    whole = _whole_document(text, options, found)
    if whole is not _NOT_WHOLE:
        return whole
    return _full_stage(text, options)


def _nothing_to_do(
    text: str,
    options: Options,
    found: _Candidates | _SpanCandidates | None = None,
    spans: tuple[Span, ...] | None = None,
) -> bool:
    """The fast path: True when the full analysis would provably find nothing.

    ``spans``: only these parts of the text can hold what the analysis finds (the
    Chinese paragraphs beside Japanese or Korean ones, ``foreign.chinese_spans``, with
    ``found`` their candidates); by default the whole text.

    Evidence characters are a subset of two static character classes, so one regex scan
    per class tells which labels can occur at all. Without Traditional evidence there is
    no zh-Hant or mixed passage, hence nothing to convert to Simplified, no mixed document
    and no mainland vocabulary. Without Simplified evidence there is no zh-Hans or mixed
    passage, hence nothing for a target without a Traditional normalisation to convert
    and no mixed document to report; what remains is mainland vocabulary, looked up
    directly.

    Targets with a regional standard (``zh-TW``, ``zh-HK``) also normalise each
    Traditional passage (``t2tw``, ``t2hk``). Without Simplified evidence no line is
    split, so a passage is whole lines; without a protected region its pieces are those
    lines; and OpenCC never matches across a line break (its dictionaries are line-based
    text, so no key holds one). So when the whole text converts to itself, every piece
    does too (one class scan, or one pass at about 170 MB/s where a character of the text
    can start a change: see ``prefilter``).
    """
    target = spec(options.target)
    found = found or _Candidates(text, target)
    if not found.trad:
        if target.simplified is None:
            return True
        return not found.simp
    if target.script == "zh-Hans" or found.simp:
        return False
    if spans is None and isinstance(found, _Candidates) and found.foreign:
        # Japanese or Korean paragraphs (known by now: the Simplified scan looks for
        # kana and hangul too): the stage asks again about the Chinese ones alone.
        return False
    protection = Protection.of(text, options)
    normalisations = set(target.traditional.values())
    # The Chinese spans as one text, their lines as they are (OpenCC converts each line
    # on its own): one OpenCC call for all, where a call per span cost 5 µs each.
    chinese = text if spans is None else "\n".join(text[start:end] for start, end in spans)
    if normalisations and (
        protection.spans or any(_changes(config, chinese, found) for config in normalisations)
    ):
        return False
    if spans is not None and protection.spans:
        return not any(_mainland_words(text, protection, start, end) for start, end in spans)
    return not _mainland_words(chinese, protection)


def _changes(config: str, text: str, found: _Candidates | _SpanCandidates) -> bool:
    """Whether ``config`` changes ``text``: no scan of its own when the candidate scan
    also proved that no character of the text can start a change, one class scan when
    that proves it (``prefilter``), else one OpenCC pass."""
    filters = prefilters()
    if filters is not None and (
        found.absent(filters.change_class(config)) or filters.unchanged(config, text)
    ):
        return False
    return convert_with(config, text) != text


def _full_stage(text: str, options: Options, *, batched: bool = True) -> StageOutput | None:
    """The stage without the fast paths: the whole analysis (tests compare the two).

    ``batched``: the passages are converted, recorded and reported in batches
    (``batch``), not one by one (tests compare the two)."""
    target = spec(options.target)
    # Mainland vocabulary is reported for Traditional targets (and ``keep``) only.
    analysis = _Analysis(text, options, vocabulary=target.script != "zh-Hans")
    chinese = analysis.chinese()
    document = _document_label_of(analysis.units[k].label for k in chinese)
    changes: list[Change] = []
    findings: list[Finding] = []
    # A document in one script is described as a whole, as ``_whole_document`` does.
    whole: tuple[str, float] | None = None
    if document is not None and target.converts:
        probes = _PROBES_TRAD if document == "zh-Hant" else _PROBES_SIMP
        whole = _document_evidence(text, analysis.protection, probes)
    if batched:
        changes += batched_changes(analysis, target, document, whole)
    else:
        for k in chinese:
            if not _planned(analysis.units[k].label, target, document):
                continue
            found = explain_passage(analysis, k, target, document, whole)
            if found is None:
                continue
            passage, config, reason, confidence = found
            for start, end in analysis.protection.free(passage.start, passage.end):
                changes += _convert_piece(text, start, end, config, reason, confidence)
    if target.script != "zh-Hans":
        findings += _vocabulary_findings(analysis)
    if not target.converts:
        findings += batched_findings(analysis) if batched else _mixed_findings(analysis)
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))
