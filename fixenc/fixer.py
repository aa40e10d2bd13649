"""A picklable, reusable repair function for any engine (Dask, Spark, Ray, multiprocessing).

Stage: all text stages, through the one pipeline, for one string or one record field.
Engines ship the function to their workers by pickling it, often once per task. A
``Fixer`` therefore pickles as its options alone (a few hundred bytes); the expensive
state — OpenCC converters, frequency tables, compiled patterns — lives in the stages'
process-wide caches and is built once per process, on the first call after the fixer
arrives there (``runner.warm``), then shared by every fixer and every task of that process.

>>> fixer = Fixer()
>>> fixer("CafÃ© au lait")
'Café au lait'
>>> fixer({"id": 7, "text": "浣犲ソ锛屼笘鐣岋紒", "lang": "zh"})
{'id': 7, 'text': '你好，世界！', 'lang': 'zh'}
>>> import pickle
>>> pickle.loads(pickle.dumps(fixer)) == fixer
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

from fixenc import pipeline, targets
from fixenc.errors import ConfigError
from fixenc.model import Options, Result, Target

# Record field repaired when none is named: what web-crawl corpora (C4, RedPajama,
# The Pile, FineWeb) call their text column.
DEFAULT_FIELD = "text"

# Options whose caches this process has already warmed (process-wide, like the caches).
_WARMED: set[Options] = set()


class Fixer:
    """Repairs strings, or one field of records, with fixed options.

    Call it on a string to get the repaired string, or on a mapping to get a new dict
    whose ``field`` is repaired (other keys, and values that are not strings, are passed
    through untouched). ``repair`` and ``fix_record`` also return the ``Result`` with every
    change, for change logs. Options are keyword-only, as in ``fixenc.repair``.
    """

    __slots__ = ("_options", "field")

    def __init__(
        self,
        *,
        target: Target = "keep",
        cjk_punctuation: bool = False,
        protected_terms: tuple[str, ...] = (),
        field: str = DEFAULT_FIELD,
    ) -> None:
        if target not in targets.names():
            raise ConfigError(f"target must be one of {', '.join(targets.names())}, not {target!r}")
        self._options = Options(
            target=target,
            cjk_punctuation=cjk_punctuation,
            protected_terms=tuple(protected_terms),
        )
        self.field = field

    @classmethod
    def from_options(cls, options: Options, *, field: str = DEFAULT_FIELD) -> Fixer:
        """A fixer with exactly these options (the CLI's merged settings)."""
        fixer = cls(field=field)
        fixer._options = options
        return fixer

    @property
    def options(self) -> Options:
        return self._options

    def warm(self) -> None:
        """Build this process's expensive state now rather than on the first call."""
        if self._options not in _WARMED:
            from fixenc.runner import warm  # the pool's warm-up text; imported when used

            warm(self._options)
            _WARMED.add(self._options)

    def repair(self, text: str) -> Result:
        """Repair ``text``; the ``Result`` lists every change and finding."""
        self.warm()
        return pipeline.repair(text, self._options)

    def fix_text(self, text: str) -> str:
        """``text`` repaired; correct text comes back unchanged."""
        if text.isascii():
            return text  # the pipeline's own fast path, without the warm-up check
        return self.repair(text).text

    def fix_record(
        self, record: Mapping[str, Any], field: str | None = None
    ) -> tuple[dict[str, Any], Result | None]:
        """A copy of ``record`` with ``field`` repaired, and the repair's result
        (``None`` when the field is missing or not a string: nothing was looked at)."""
        name = self.field if field is None else field
        out = dict(record)
        value = out.get(name)
        if not isinstance(value, str):
            return out, None
        result = self.repair(value)
        out[name] = result.text
        return out, result

    @overload
    def __call__(self, value: str, field: None = None) -> str: ...
    @overload
    def __call__(self, value: Mapping[str, Any], field: str | None = None) -> dict[str, Any]: ...
    def __call__(
        self, value: str | Mapping[str, Any], field: str | None = None
    ) -> str | dict[str, Any]:
        if isinstance(value, str):
            return self.fix_text(value)
        if isinstance(value, Mapping):
            return self.fix_record(value, field)[0]
        raise TypeError(f"a Fixer repairs a str or a mapping (record), not {type(value).__name__}")

    # Pickled as its options: the caches are rebuilt (once) in the receiving process.
    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self._options, self.field))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fixer):
            return NotImplemented
        return (self._options, self.field) == (other._options, other.field)

    def __hash__(self) -> int:
        return hash((self._options, self.field))

    def __dask_tokenize__(self) -> tuple[object, ...]:
        """A stable name for Dask's task keys: equal fixers give equal keys."""
        return (type(self).__name__, self._options, self.field)

    def __repr__(self) -> str:
        o = self._options
        return (
            f"Fixer(target={o.target!r}, cjk_punctuation={o.cjk_punctuation!r}, "
            f"protected_terms={o.protected_terms!r}, field={self.field!r})"
        )


def _rebuild(options: Options, field: str) -> Fixer:
    return Fixer.from_options(options, field=field)
