"""Record what fixenc does with the project's own material, to prove a refactor changed nothing.

Runs every sample file and every row of every ``tests/cases/*.json`` table through the
library (``fix_path``/``repair``/``detect``, under every target) and through the CLI
(``fixenc check --format json`` in-process, under every target), and writes one JSON
document. ``--compare OLD`` checks a new recording against an old one and lists the
differences.

The comparison leaves out what a redesign is allowed to reshape without changing
behaviour: replay steps and candidate scores (their representation, not the repair) and
the keys of the JSON schema that hold them. Everything else — the repaired bytes, every
change's kind, span, line, column, before, after, reason and confidence, every finding's
text, reason, confidence and candidate texts, statuses, exit codes — is compared exactly.

    python scripts/snapshot_outputs.py --out /tmp/before.json
    python scripts/snapshot_outputs.py --out /tmp/after.json --compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("keep", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
# Keys whose values are representation, not behaviour (see the module docstring).
_DROPPED = {"steps"}
# Of a candidate, only what it reads and why: its score's scale is representation.
_CANDIDATE_KEYS = ("text", "hypothesis")


def project(value: Any) -> Any:
    """The recording without the keys a redesign may reshape (see the module docstring)."""
    if isinstance(value, dict):
        out = {k: project(v) for k, v in value.items() if k not in _DROPPED}
        if isinstance(value.get("candidates"), list):
            out["candidates"] = [
                {k: c.get(k) for k in _CANDIDATE_KEYS} for c in value["candidates"]
            ]
        return out
    if isinstance(value, list):
        return [project(v) for v in value]
    return value


def _library(texts: dict[str, str], samples: Path) -> dict[str, Any]:
    import fixenc

    out: dict[str, Any] = {}
    for target in TARGETS:
        for name, text in texts.items():
            result = fixenc.repair(text, target=target)  # type: ignore[arg-type]
            out[f"repair/{target}/{name}"] = {"text": result.text, **result.to_dict()}
            detection = fixenc.detect(text, target=target)  # type: ignore[arg-type]
            out[f"detect/{target}/{name}"] = detection.to_dict()
        for path in sorted(samples.iterdir()):
            try:
                result = fixenc.fix_path(path, target=target, write=False)  # type: ignore[arg-type]
            except Exception as exc:  # recorded: an error is an outcome too
                out[f"fix_path/{target}/{path.name}"] = {"error": type(exc).__name__}
                continue
            out[f"fix_path/{target}/{path.name}"] = {"text": result.text, **result.to_dict()}
    return out


def _cli(tree: Path) -> dict[str, Any]:
    from fixenc.cli import main

    out: dict[str, Any] = {}
    for target in TARGETS:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["check", "--format", "json", "--jobs", "1", "--target", target, str(tree)])
        document = json.loads(stdout.getvalue())
        for entry in document["files"]:
            entry["path"] = str(Path(entry["path"]).relative_to(tree))
        out[f"check/{target}"] = {"exit": code, "document": document}
    return out


def record() -> dict[str, Any]:
    texts: dict[str, str] = {}
    for table in sorted((ROOT / "tests" / "cases").glob("*.json")):
        for case in json.loads(table.read_text(encoding="utf-8"))["cases"]:
            texts[f"{table.stem}/{case['id']}"] = case["text"]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(ROOT / "samples", tree / "samples")
        for name, text in texts.items():
            path = tree / "cases" / f"{name}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        recording = _library(texts, ROOT / "samples")
        recording.update(_cli(tree))
    return recording


def compare(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """The keys whose projected recordings differ (or exist on one side only)."""
    return [
        key for key in sorted(set(new) | set(old)) if project(new.get(key)) != project(old.get(key))
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the recording")
    parser.add_argument("--compare", type=Path, help="an earlier recording to compare against")
    args = parser.parse_args(argv)
    recording = record()
    args.out.write_text(json.dumps(recording, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(recording)} recordings written to {args.out}")
    if args.compare is None:
        return 0
    differing = compare(recording, json.loads(args.compare.read_text(encoding="utf-8")))
    for key in differing:
        print(f"differs: {key}")
    print(f"{len(differing)} of {len(recording)} recordings differ")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
