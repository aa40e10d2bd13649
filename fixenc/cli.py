"""The command line: ``fixenc fix|check|detect PATH...``.

Stage: none (entry point). Parses arguments, walks the paths, hands each file to
``files.process_file`` and every outcome to one ``report.Reporter``, which owns wording
and exit codes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fixenc import __version__
from fixenc.decode import DecodeError, decode
from fixenc.files import discover, encode_text, process_file
from fixenc.model import TARGETS, FileOutcome, Options, Status
from fixenc.pipeline import repair
from fixenc.report import EXIT_ERROR, EXIT_FOUND, Reporter, inline_view, use_color

STDIN = "-"

_DESCRIPTION = """\
Detect, repair and explain damaged text: mojibake (CafÃ© → Café, 浣犲ソ → 你好,
ÄãºÃ → 你好), lost bytes, Chinese script variants, machine-added pinyin noise
(來(lái)源 → 來源) and legacy encodings (GBK, Big5, Shift_JIS → UTF-8).
Correct text is never changed; every change is listed with its reason."""

_EPILOG = """\
examples:
  fixenc check notes/                  list what would change; exit 1 if anything would
  fixenc check --diff article.txt      show it as a unified diff
  fixenc fix notes/                    repair in place (atomic writes; BOM and newlines kept)
  fixenc fix --target zh-Hans doc.txt  also convert Traditional passages to Simplified
  fixenc fix - < in.txt > out.txt      repair standard input to standard output
  fixenc detect --format json doc.txt  encoding, findings and script-variant map as JSON

exit codes:
  0  nothing to do, or everything was fixed
  1  check/--diff found something to change, or damage that needs a person
     (unrecoverable text such as 锟斤拷 or U+FFFD, an encoding too ambiguous to guess)
  2  usage error, or a file that cannot be read, decoded or written
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fixenc",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fixenc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    helps = {
        "fix": "repair files in place (or standard input to standard output)",
        "check": "report what would change; write nothing",
        "detect": "show encoding, findings and the script-variant map; write nothing",
    }
    for name, text in helps.items():
        sub = commands.add_parser(
            name,
            help=text,
            description=f"{text[0].upper()}{text[1:]}.",
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_common(sub, name)
    return parser


def _add_common(sub: argparse.ArgumentParser, command: str) -> None:
    sub.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories; - for standard input"
    )
    if command != "detect":
        sub.add_argument(
            "--diff",
            action="store_true",
            help="print a unified diff of what would change; write nothing",
        )
    sub.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    sub.add_argument(
        "--target",
        choices=TARGETS,
        default="keep",
        help="Chinese script variant to convert to (default: keep, convert nothing)",
    )
    sub.add_argument(
        "--assume-encoding", metavar="ENC", help="decode non-UTF-8 files with ENC (e.g. gbk, big5)"
    )
    sub.add_argument(
        "--lang", metavar="LANG", help="language hint for encoding detection: zh, ja, ko"
    )
    sub.add_argument(
        "--cjk-punctuation",
        action="store_true",
        help="turn ASCII , : ; ( ) ! ? between Han characters into full-width forms",
    )
    if command == "fix":
        sub.add_argument(
            "--keep-encoding",
            action="store_true",
            help="write legacy-encoded files back in their encoding instead of UTF-8",
        )
        sub.add_argument("--backup", metavar="SUFFIX", help="keep each original as PATH+SUFFIX")
        sub.add_argument(
            "--output-dir", metavar="DIR", type=Path, help="write repaired copies under DIR"
        )
    sub.add_argument(
        "--follow-symlinks", action="store_true", help="follow symbolic links inside directories"
    )
    if command != "detect":
        sub.add_argument(
            "--exit-zero",
            action="store_true",
            help="exit 0 even when something would change (errors still exit 2)",
        )
    verbosity = sub.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="also list every change and unchanged file"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see ``fixenc --help``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.paths:
        parser.error(f"{args.command}: no paths given; use - for standard input")
    options = Options(
        target=args.target,
        cjk_punctuation=args.cjk_punctuation,
        assume_encoding=args.assume_encoding,
        lang=args.lang,
    )
    mode = "diff" if getattr(args, "diff", False) else ("fix" if args.command == "fix" else "check")
    reporter = Reporter(
        mode=mode,  # type: ignore[arg-type]
        fmt=args.format,
        verbosity=-1 if args.quiet else (1 if args.verbose else 0),
    )
    if args.command == "detect":
        return _detect(args, options)
    if STDIN in args.paths:
        if len(args.paths) > 1:
            parser.error("- (standard input) cannot be combined with other paths")
        return _exit(_stdin(reporter, options, write=mode == "fix"), args)
    write = mode == "fix"
    output_dir: Path | None = getattr(args, "output_dir", None)
    roots = [Path(p) for p in args.paths]
    for path, explicit in discover(roots, follow_symlinks=args.follow_symlinks):
        outcome = process_file(
            path,
            options,
            write=write,
            explicit=explicit,
            keep_encoding=getattr(args, "keep_encoding", False),
            backup_suffix=getattr(args, "backup", None),
            output_path=_mirror(path, roots, output_dir) if output_dir else None,
        )
        reporter.add(outcome)
    return _exit(reporter.finish(), args)


def _exit(code: int, args: argparse.Namespace) -> int:
    """``--exit-zero`` turns "found something" (1) into success; errors stay 2."""
    return 0 if code == EXIT_FOUND and getattr(args, "exit_zero", False) else code


def _mirror(path: Path, roots: list[Path], output_dir: Path) -> Path:
    """Where ``path`` goes under ``output_dir``: its place relative to the root it came from."""
    for root in roots:
        if root.is_dir():
            try:
                return output_dir / root.name / path.relative_to(root)
            except ValueError:
                continue
    return output_dir / path.name


def _stdin(reporter: Reporter, options: Options, *, write: bool) -> int:
    data = sys.stdin.buffer.read()
    try:
        decoded = decode(data, assume_encoding=options.assume_encoding, lang=options.lang)
    except DecodeError as exc:
        reporter.add(FileOutcome("<stdin>", Status.ERROR, message=str(exc)))
        return reporter.finish()
    result = repair(decoded.text, options, decoded=decoded)
    if result.changed:
        status = Status.CHANGED
    else:
        status = Status.FLAGGED if result.needs_attention else Status.UNCHANGED
    outcome = FileOutcome("<stdin>", status, result, written=write and status is Status.CHANGED)
    if write:
        sys.stdout.buffer.write(encode_text(result.text, decoded))
        sys.stdout.flush()
        reporter.add(outcome, show_data=False)
        if reporter.verbosity > 0 and reporter.fmt == "text":
            sys.stderr.write(inline_view(outcome))
    else:
        reporter.add(outcome)
    return reporter.finish()


def _detect(args: argparse.Namespace, options: Options) -> int:
    import json

    from fixenc import detect
    from fixenc.files import FileError, read_file
    from fixenc.report import format_detection

    code = 0
    documents = []
    for path, explicit in discover(
        [Path(p) for p in args.paths], follow_symlinks=args.follow_symlinks
    ):
        try:
            data, _ = read_file(path)
            detection = detect(
                data,
                target=options.target,
                assume_encoding=options.assume_encoding,
                lang=options.lang,
            )
        except (FileError, DecodeError) as exc:
            if not explicit and isinstance(exc, DecodeError):
                continue
            print(f"error: {path}: {str(exc).removeprefix(f'{path}: ')}", file=sys.stderr)
            code = EXIT_ERROR
            continue
        if args.format == "json":
            documents.append({"path": str(path), **detection.to_dict()})
        else:
            sys.stdout.write(format_detection(str(path), detection, color=use_color(sys.stdout)))
    if args.format == "json":
        json.dump(documents, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
