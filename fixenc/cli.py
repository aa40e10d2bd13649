"""The command line: ``fixenc fix|check|detect PATH...``.

Stage: none (entry point). Parses arguments, walks the paths, hands each file to the
one file flow (``process``, through ``runner`` for many files) and every outcome to one
``report.Reporter``, which owns wording and exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from fixenc import __version__, targets
from fixenc.config import Config, parse_kind, parse_size, resolve_config
from fixenc.errors import ConfigError, DecodeError, Spelling
from fixenc.files import (
    BACKUP_SUFFIXES,
    MAX_FILE_BYTES,
    SKIP_MESSAGES,
    Entry,
    Selection,
    Streaming,
    copy_verbatim,
    mirror_path,
    remove_stale_temp,
    walk,
)
from fixenc.model import FileOutcome, Kind, Options, SkipReason, Status
from fixenc.process import Job, process_data, process_path
from fixenc.report import ExitCode, Reporter
from fixenc.report.progress import Progress
from fixenc.report.text import format_detection, inline_view, use_color
from fixenc.runner import Item, Task, run

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
  fixenc fix corpus/ --report r.html   a whole tree on every core, plus a visual report
  fixenc check . --exclude vendor/     skip paths (.gitignore syntax; .gitignore is honoured)

configuration: [tool.fixenc] in the nearest pyproject.toml (target, include, exclude,
  protected-terms, max-size, jobs, ...); flags override it.

exit codes:
  0  nothing to do, or everything was fixed
  1  check/--diff found something to change, or damage that needs a person
     (unrecoverable text such as 锟斤拷 or U+FFFD, an encoding too ambiguous to guess)
  2  usage error, or a file that cannot be read, decoded or written
  130  interrupted (Ctrl-C, SIGTERM): every file is wholly old or new; run again
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
        type=_target,
        default=None,
        metavar="{" + ",".join(targets.names()) + "}",
        help="Chinese script variant to convert to (default: keep, convert nothing); "
        "region tags such as zh-CN, zh-SG, zh-MO are accepted too",
    )
    sub.add_argument(
        "--ignore",
        metavar="KIND",
        type=_kinds,
        action="append",
        default=None,
        help="do not report findings of KIND (" + ", ".join(k.value for k in Kind) + "; "
        "repeatable or comma-separated; adds to ignore in the config)",
    )
    sub.add_argument(
        "--assume-encoding", metavar="ENC", help="decode non-UTF-8 files with ENC (e.g. gbk, big5)"
    )
    sub.add_argument(
        "--lang", metavar="LANG", help="language hint for encoding detection: zh, ja, ko"
    )
    sub.add_argument(
        "--cjk-punctuation",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="turn ASCII , : ; ( ) ! ? between Han characters into full-width forms",
    )
    sub.add_argument(
        "--protect",
        metavar="TERM",
        action="append",
        default=None,
        help="a term never to change (repeatable; adds to protected-terms in the config)",
    )
    if command == "fix":
        sub.add_argument(
            "--keep-encoding",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="write legacy-encoded files back in their encoding instead of UTF-8",
        )
        sub.add_argument("--backup", metavar="SUFFIX", help="keep each original as PATH+SUFFIX")
        sub.add_argument(
            "--output-dir", metavar="DIR", type=Path, help="write repaired copies under DIR"
        )
        sub.add_argument(
            "--dry-run", action="store_true", help="say what would be fixed; write nothing"
        )
    if command != "detect":
        _add_record_options(sub)
    files = sub.add_argument_group("choosing files")
    files.add_argument(
        "--include",
        metavar="GLOB",
        action="append",
        default=None,
        help="only files matching GLOB (.gitignore syntax; repeatable; replaces the config's)",
    )
    files.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        default=None,
        help="skip paths matching GLOB (.gitignore syntax; repeatable; replaces the config's)",
    )
    files.add_argument(
        "--gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="honour .gitignore files inside directories (default: on)",
    )
    files.add_argument(
        "--follow-symlinks",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="follow symbolic links inside directories (default: skip them)",
    )
    files.add_argument(
        "--max-size",
        metavar="SIZE",
        default=None,
        help=f"skip larger files, e.g. 10MiB (default: {MAX_FILE_BYTES // 2**20}MiB)",
    )
    run = sub.add_argument_group("running")
    run.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=int,
        default=None,
        help="worker processes (default: 0, every core)",
    )
    run.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        default=None,
        help="read [tool.fixenc] from FILE instead of the nearest pyproject.toml",
    )
    if command != "detect":
        run.add_argument(
            "--report",
            metavar="HTML",
            type=Path,
            default=None,
            help="also write a self-contained HTML page showing every change",
        )
        run.add_argument(
            "--no-summary",
            dest="summary",
            action="store_false",
            help="print the per-file lines only, no closing summary (the pre-commit hooks "
            "use it: pre-commit runs fixenc on batches of files in parallel)",
        )
        run.add_argument(
            "--exit-zero",
            action="store_true",
            help="exit 0 even when something would change (errors still exit 2)",
        )
    verbosity = sub.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="also list every change and unchanged file"
    )


def _add_record_options(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group(
        "record mode: corpus shards (.jsonl, .jsonl.gz, .jsonl.zst, .parquet)"
    )
    group.add_argument(
        "--field",
        metavar="NAME",
        help="repair field NAME of every record; lines that are not JSON objects pass through",
    )
    group.add_argument(
        "--id-field",
        metavar="NAME",
        default="id",
        help="record field that names a record in the change log (default: id)",
    )
    group.add_argument(
        "--change-log",
        metavar="FILE",
        type=Path,
        help="write one JSON line per changed, flagged or malformed record",
    )


def _records(args: argparse.Namespace, chosen: Settings) -> int:
    """Record mode (``--field``): stream each shard through ``fixenc.records``."""
    from fixenc.fixer import Fixer
    from fixenc.records import run as run_records

    file_only = ("diff", "report", "backup", "keep_encoding")  # options of file mode only
    if any(getattr(args, name, None) for name in file_only) or (
        STDIN in args.paths and len(args.paths) > 1
    ):
        print(
            "error: --field takes shard files, or - alone, and none of --diff, --report, "
            "--backup, --keep-encoding",
            file=sys.stderr,
        )
        return ExitCode.ERROR
    write = args.command == "fix" and not args.dry_run
    changed, attention, errors = run_records(
        [Path(p) for p in args.paths],
        Fixer.from_options(chosen.options, field=args.field),
        write=write,
        output_dir=getattr(args, "output_dir", None),
        change_log=args.change_log,
        id_field=args.id_field or None,
        verbosity=-1 if args.quiet else (1 if args.verbose else 0),
        jobs=chosen.jobs,
    )
    if errors:
        return ExitCode.ERROR
    return ExitCode.FOUND if attention or (changed and not write) else ExitCode.OK


@dataclass(frozen=True, slots=True)
class Settings:
    """The command line merged over ``[tool.fixenc]`` over the built-in defaults."""

    options: Options
    selection: Selection
    jobs: int
    keep_encoding: bool
    config: Config
    ignore: frozenset[Kind] = frozenset()


def settings(args: argparse.Namespace) -> Settings:
    """Merge flags, configuration file and defaults; raise ``ConfigError`` if wrong."""
    config = resolve_config(args.paths, args.config)

    def pick(flag: object, key: str, default: object) -> Any:
        if flag is not None:
            return flag
        return config.get(key, default)

    try:
        max_size = parse_size(pick(args.max_size, "max-size", MAX_FILE_BYTES))
    except ValueError as exc:
        raise ConfigError(f"--max-size: {exc}") from None
    jobs = int(pick(args.jobs, "jobs", 0))
    if jobs < 0:
        raise ConfigError("--jobs must be 0 (every core) or more")
    protected = (*cast(list[str], config.get("protected-terms", [])), *(args.protect or []))
    options = Options(
        target=pick(args.target, "target", "keep"),
        cjk_punctuation=bool(pick(args.cjk_punctuation, "cjk-punctuation", False)),
        assume_encoding=pick(args.assume_encoding, "assume-encoding", None),
        lang=pick(args.lang, "lang", None),
        protected_terms=tuple(dict.fromkeys(protected)),
    )
    selection = Selection(
        include=tuple(pick(args.include, "include", [])),
        exclude=tuple(pick(args.exclude, "exclude", [])),
        respect_gitignore=bool(pick(args.gitignore, "respect-gitignore", True)),
        follow_symlinks=bool(pick(args.follow_symlinks, "follow-symlinks", False)),
        max_bytes=max_size,
        base=config.base,
        backup_suffixes=_backup_suffixes(getattr(args, "backup", None)),
    )
    keep_encoding = bool(pick(getattr(args, "keep_encoding", None), "keep-encoding", False))
    ignore = frozenset(
        (
            *cast(list[Kind], config.get("ignore", [])),
            *(kind for kinds in args.ignore or () for kind in kinds),
        )
    )
    return Settings(options, selection, jobs, keep_encoding, config, ignore)


def _target(name: str) -> str:
    """``--target``: a target's name or one of its aliases, as the table's name."""
    try:
        return targets.canonical(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _kinds(text: str) -> tuple[Kind, ...]:
    """``--ignore variant`` or ``--ignore variant,mojibake``."""
    try:
        return tuple(parse_kind(name) for name in text.split(",") if name.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _backup_suffixes(suffix: str | None) -> tuple[str, ...]:
    """The usual backup suffixes plus this run's ``--backup``: never input."""
    return tuple(dict.fromkeys((*BACKUP_SUFFIXES, *([suffix] if suffix else []))))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see ``fixenc --help``).

    A reader that stops early (``fixenc check --format json . | head``) ends the run
    quietly: the rest of the output goes nowhere and no traceback is printed.
    """
    try:
        code = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE
    return code


# Exit status after the reader of standard output went away: what a shell reports for
# a process killed by SIGPIPE (128 + 13), as ``git log | head`` leaves it.
BROKEN_PIPE = 128 + 13


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's final flush
    does not raise again (the recipe in Python's ``signal`` documentation)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.paths:
        parser.error(f"{args.command}: no paths given; use - for standard input")
    if STDIN in args.paths and len(args.paths) > 1:
        parser.error("- (standard input) cannot be combined with other paths")
    stdin_fix = STDIN in args.paths and args.command == "fix"
    if (
        stdin_fix
        and args.format == "json"
        and not (args.diff or args.dry_run or getattr(args, "field", None))
    ):
        parser.error(
            "fix - writes the repaired text to standard output, which leaves no room for "
            "JSON; use check --format json - for the report, or --diff"
        )
    try:
        _check_paths_up_front(args)
        chosen = settings(args)
    except ConfigError as exc:
        print(f"error: {exc.in_words(Spelling.COMMAND_LINE)}", file=sys.stderr)
        return ExitCode.ERROR
    options = chosen.options
    if args.command == "detect":
        return _detect(args, chosen)
    if getattr(args, "field", None):
        return _exit(_records(args, chosen), args)
    dry_run = getattr(args, "dry_run", False)
    mode = "diff" if getattr(args, "diff", False) else ("fix" if args.command == "fix" else "check")
    reporter = Reporter(
        mode=mode,  # type: ignore[arg-type]
        fmt=args.format,
        verbosity=-1 if args.quiet else (1 if args.verbose else 0),
        ignore=chosen.ignore,
        closing=getattr(args, "summary", True),
    )
    write = mode == "fix" and not dry_run
    if STDIN in args.paths:
        stdin_job = Job(options, write=write, spelling=Spelling.COMMAND_LINE)
        return _exit(_stdin(reporter, stdin_job, args), args)
    output_dir: Path | None = getattr(args, "output_dir", None)
    roots = [Path(p) for p in args.paths]
    reporter.table = any(root.is_dir() for root in roots)
    job = Job(
        options,
        write=write,
        keep_encoding=chosen.keep_encoding,
        backup_suffix=getattr(args, "backup", None),
        max_bytes=chosen.selection.max_bytes,
        spelling=Spelling.COMMAND_LINE,
        # Large files stream in pieces; the outcome lists their records without text.
        streaming=Streaming(),
    )
    task = Task(
        job,
        keep_text=mode != "fix" or args.verbose or getattr(args, "report", None) is not None,
    )
    # Stale temporary files are removed only by a run that writes in place: it is the
    # run that would have replaced them.
    clean_temps = write and output_dir is None
    try:
        with _terminate_as_interrupt():
            code = _bulk(roots, chosen, task, reporter, args, output_dir, clean_temps)
    except KeyboardInterrupt:
        _report_interrupt(reporter)
        return ExitCode.INTERRUPTED
    return _exit(code, args)


def _report_interrupt(reporter: Reporter) -> None:
    """Say how far the run got and list every file it rewrote, so that nothing changed
    goes unreported (the per-file lines may have been quiet, or lost in progress)."""
    done = len(reporter.outcomes)
    written = [o.path for o in reporter.outcomes if o.written]
    lines = [
        f"\ninterrupted after {done} file{'s' if done != 1 else ''}: every file is wholly "
        "old or wholly new; run the same command again to finish",
        f"{len(written)} file{'s' if len(written) != 1 else ''} rewritten before the "
        f"interruption{':' if written else '.'}",
        *(f"  {path}" for path in written),
    ]
    print("\n".join(lines), file=sys.stderr)


def _check_paths_up_front(args: argparse.Namespace) -> None:
    """Refuse, before any file is read, paths that can only fail at the end: an output
    directory that is a file, a report path that is a directory (or has no directory
    to go in), a configuration file that is a directory. Each message names the path."""
    output_dir: Path | None = getattr(args, "output_dir", None)
    if output_dir is not None and output_dir.exists() and not output_dir.is_dir():
        raise ConfigError(f"--output-dir {output_dir}: is a file, not a directory")
    report: Path | None = getattr(args, "report", None)
    if report is not None:
        if report.is_dir():
            raise ConfigError(f"--report {report}: is a directory; name the HTML file to write")
        parent = report.parent if str(report.parent) else Path(".")
        if not parent.is_dir():
            raise ConfigError(f"--report {report}: no such directory {parent}")
    if args.config is not None and args.config.is_dir():
        raise ConfigError(f"--config {args.config}: is a directory, not a configuration file")


def _bulk(
    roots: list[Path],
    chosen: Settings,
    task: Task,
    reporter: Reporter,
    args: argparse.Namespace,
    output_dir: Path | None,
    clean_temps: bool,
) -> int:
    """Walk, process (in parallel when it pays), report, and write the HTML page."""
    selection = chosen.selection
    if output_dir is not None:
        prune = selection.prune | {Path(os.path.abspath(output_dir))}
        selection = dataclasses.replace(selection, prune=prune)
    entries = list(walk(roots, selection))
    items = [
        Item(e.path, e.explicit, mirror_path(e.path, roots, output_dir) if output_dir else None)
        for e in entries
        if e.to_process
    ]
    pending = iter(entries)
    progress = Progress(len(items), sys.stderr, enabled=False if args.quiet else None)
    if progress.enabled:
        # Everything printed while the bar is up erases it first, and the bar is put
        # back right after (tqdm.write's way): it stays on screen between lines.
        reporter.out = progress.guard(reporter.out or sys.stdout)
        reporter.err = progress.guard(reporter.err or sys.stderr)

    def skip_outcome(entry: Entry) -> FileOutcome:
        if entry.error:
            return FileOutcome(str(entry.path), Status.ERROR, message=entry.error)
        message = entry.message
        stale = entry.skip is SkipReason.STALE_TEMP
        if clean_temps and stale and remove_stale_temp(entry.path):
            message = f"{SKIP_MESSAGES[SkipReason.STALE_TEMP]}; removed"
        return FileOutcome(str(entry.path), Status.SKIPPED, message=message, skip=entry.skip)

    def copy_unprocessed(path: Path, outcome: FileOutcome) -> FileOutcome:
        """With --output-dir, a file not repaired still belongs in the copy of the tree
        (binary files, links, skipped files): copy it as it is, links as links."""
        if output_dir is None or outcome.status is not Status.SKIPPED:
            return outcome
        if outcome.skip in (SkipReason.STALE_TEMP, SkipReason.NOT_REGULAR):
            return outcome  # a leftover of a killed run, or a FIFO: not part of the tree
        try:
            copy_verbatim(path, mirror_path(path, roots, output_dir))
        except OSError as exc:
            message = f"cannot copy into {output_dir}: {exc.strerror or exc}"
            return FileOutcome(outcome.path, Status.ERROR, message=message)
        return outcome

    def sink(outcome: FileOutcome) -> None:
        for entry in pending:  # skipped entries listed before this file, in walk order
            if entry.to_process:
                break
            reporter.add(copy_unprocessed(entry.path, skip_outcome(entry)))
        reporter.add(copy_unprocessed(Path(outcome.path), outcome))
        progress.advance()
        progress.refresh()

    with progress:
        run(items, task, sink, jobs=chosen.jobs, started=progress.start)
    for entry in pending:
        reporter.add(copy_unprocessed(entry.path, skip_outcome(entry)))
    report_path: Path | None = getattr(args, "report", None)
    if report_path is not None:
        from fixenc.report.html import write_report

        try:
            write_report(report_path, reporter.outcomes, reporter.summary(), mode=reporter.mode)
        except OSError as exc:
            print(f"error: {report_path}: cannot write report: {exc.strerror}", file=sys.stderr)
            reporter.finish()
            return ExitCode.ERROR
    return reporter.finish()


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so a ``kill`` also removes the temporary file in
    flight. Only the main thread may set handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit(code: int, args: argparse.Namespace) -> int:
    """``--exit-zero`` turns "found something" (1) into success; errors stay 2."""
    return ExitCode.OK if code == ExitCode.FOUND and getattr(args, "exit_zero", False) else code


def _stdin(reporter: Reporter, job: Job, args: argparse.Namespace) -> int:
    """Standard input through the same flow as a file; with ``fix``, the repaired bytes
    go to standard output. When ``fix`` refuses the input (binary, undecodable), the
    input goes to standard output unchanged, so ``fixenc fix - < a > b`` never leaves
    an empty ``b``; the message goes to standard error and the exit code is 2."""
    data = sys.stdin.buffer.read()
    processed = process_data(data, job)
    outcome = processed.outcome
    if outcome.status is Status.SKIPPED:
        # Nothing to vouch for: standard input that cannot be decoded is an error.
        outcome = FileOutcome(outcome.path, Status.ERROR, message=outcome.message)
    if outcome.status is Status.ERROR or processed.data is None:
        if job.write:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        reporter.add(outcome)
        return _stdin_report(reporter, args)
    if job.write:
        outcome = dataclasses.replace(outcome, written=outcome.status is Status.CHANGED)
        sys.stdout.buffer.write(processed.data)
        sys.stdout.flush()
        reporter.add(outcome, show_data=False)
        if reporter.verbosity > 0 and reporter.fmt == "text":
            sys.stderr.write(inline_view(outcome))
    else:
        reporter.add(outcome)
    return _stdin_report(reporter, args)


def _stdin_report(reporter: Reporter, args: argparse.Namespace) -> int:
    """Finish a standard-input run, writing the HTML page when ``--report`` asks."""
    code = reporter.finish()
    report_path: Path | None = getattr(args, "report", None)
    if report_path is None:
        return code
    from fixenc.report.html import write_report

    try:
        write_report(report_path, reporter.outcomes, reporter.summary(), mode=reporter.mode)
    except OSError as exc:
        print(f"error: {report_path}: cannot write report: {exc.strerror}", file=sys.stderr)
        return ExitCode.ERROR
    return code


def _detect(args: argparse.Namespace, chosen: Settings) -> int:
    """``fixenc detect``: the same flow as ``check``, reporting findings and the map."""
    import json

    job = Job(
        chosen.options,
        max_bytes=chosen.selection.max_bytes,
        detect=True,
        spelling=Spelling.COMMAND_LINE,
    )
    code = ExitCode.OK
    documents = []
    for entry in walk([Path(p) for p in args.paths], chosen.selection):
        if not entry.to_process:
            continue
        if str(entry.path) == STDIN:
            processed = process_data(sys.stdin.buffer.read(), job)
        else:
            processed = process_path(entry.path, job, explicit=entry.explicit)
        outcome = processed.outcome
        if not entry.explicit and isinstance(processed.error, DecodeError):
            continue  # a file met while walking that is not text: nothing to detect
        if outcome.detection is None:
            print(f"error: {entry.path}: {outcome.message}", file=sys.stderr)
            code = ExitCode.ERROR
            continue
        detection = outcome.detection
        if chosen.ignore:
            kept = tuple(f for f in detection.findings if f.kind not in chosen.ignore)
            detection = dataclasses.replace(detection, findings=kept)
        if args.format == "json":
            documents.append({"path": str(entry.path), **detection.to_dict()})
        else:
            color = use_color(sys.stdout)
            sys.stdout.write(format_detection(str(entry.path), detection, color=color))
    if args.format == "json":
        json.dump(documents, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
