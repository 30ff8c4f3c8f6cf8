"""``guidestudio``: the editor with no arguments, the headless core with a command.

Every command runs the same core the editor uses, without a display, so CI can
validate and export a project exactly as a marketer's machine would. Exit codes
are 0 ok, 1 problems found, 2 usage error; problems go to stderr as
``file:line: field: message``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from app.core.problems import Problem, count, sort_key

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unusable input files: exit 2 with a one-line message."""


def _print_problems(problems: list[Problem], root: Path | None, stream=None) -> None:  # type: ignore[no-untyped-def]
    stream = stream or sys.stderr
    prefix = f"{root}/" if root is not None else ""
    for problem in sorted(problems, key=sort_key):
        print(prefix + problem.format(), file=stream)


def _summary(problems: list[Problem]) -> str:
    errors, warnings = count(problems)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _load(folder: str):  # type: ignore[no-untyped-def]
    from app.core.project_io import NotAProject, load_project

    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder}: no such folder")
    try:
        return load_project(root)
    except NotAProject as exc:
        raise UsageError(str(exc)) from None


def _all_problems(result) -> list[Problem]:  # type: ignore[no-untyped-def]
    from app.core.validate import validate_project

    return [*result.problems, *validate_project(result.project, result.files)]


def cmd_validate(args: argparse.Namespace) -> int:
    result = _load(args.dir)
    problems = _all_problems(result)
    if args.format == "json":
        payload = [
            {"severity": p.severity, "file": p.file, "line": p.line, "column": p.column,
             "field": p.field, "message": p.message, "code": p.code}
            for p in sorted(problems, key=sort_key)
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_problems(problems, Path(args.dir))
        project = result.project
        print(
            f"{project.settings.name}: {len(project.guides)} guides, "
            f"{len(project.segments)} segments, {len(project.themes)} themes — "
            f"{_summary(problems)}"
        )
    errors, warnings = count(problems)
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def _generated_at(args: argparse.Namespace) -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if args.timestamp:
        return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def cmd_export(args: argparse.Namespace) -> int:
    from app.core.export import export_project
    from app.core.project_io import NotAProject

    if not Path(args.dir).is_dir():
        raise UsageError(f"{args.dir}: no such folder")
    output = Path(args.output)
    if output.is_dir():
        raise UsageError(f"{args.output} is a folder; give the bundle's file name")
    try:
        result = export_project(
            Path(args.dir),
            output,
            environment=args.env,
            locales=args.locale or None,
            include_drafts=args.include_drafts,
            generated_at=_generated_at(args),
            runtime_dir=Path(args.runtime) if args.runtime else None,
        )
    except NotAProject as exc:
        raise UsageError(str(exc)) from None
    _print_problems(result.problems, Path(args.dir))
    if not result.ok:
        print(f"not exported: {_summary(result.problems)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"exported {result.guide_count} guides to {result.path} "
        f"({result.size_bytes:,} bytes, {result.checksum}) — {_summary(result.problems)}"
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from app.core.scaffold import ScaffoldError, new_project

    try:
        project = new_project(Path(args.dir), name=args.name)
    except (ScaffoldError, OSError) as exc:
        raise UsageError(str(exc)) from None
    print(f"created project {project.settings.name!r} in {args.dir}")
    return EXIT_OK


def _read_bundle(path: str) -> dict:  # type: ignore[type-arg]
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != "guidestudio-bundle":
        raise UsageError(f"{path}: not a Guide Studio bundle")
    return data


def cmd_diff(args: argparse.Namespace) -> int:
    from app.core.bundle_diff import diff_bundles

    result = diff_bundles(_read_bundle(args.old), _read_bundle(args.new))
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.format())
    return EXIT_PROBLEMS if args.exit_code and not result.same else EXIT_OK


def cmd_default(args: argparse.Namespace) -> int:
    """No command: open the editor on the last project or the bundled example."""
    from app.core.resources import EXAMPLE_PROJECT

    folder = Path(args.project) if args.project else EXAMPLE_PROJECT
    try:
        from app.gui import run_gui  # the editor, when it is installed
    except ImportError:
        run_gui = None
    if run_gui is not None:
        return int(run_gui(folder if args.project else None))
    # Without the editor: show what the editor would show first — the problems —
    # and produce the bundle, so the set-up command proves the whole pipeline.
    ns = argparse.Namespace(dir=str(folder), format="text", strict=False)
    status = cmd_validate(ns)
    if status != EXIT_OK:
        return status
    out = Path("out") / f"{folder.resolve().name}.bundle.json"
    ns = argparse.Namespace(
        dir=str(folder), output=str(out), env="production", locale=None,
        include_drafts=False, timestamp=False, runtime=None,
    )
    return cmd_export(ns)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guidestudio",
        description="Author, target, preview and export in-app guides. "
        "With no command (or just a project folder), opens the editor.",
    )
    parser.set_defaults(func=cmd_default, project=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a project and list its problems",
                       description="Check a project; exit 1 if it has errors.")
    p.add_argument("dir", help="project folder")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="write the bundle the product loads",
                       description="Validate and export a deterministic bundle.")
    p.add_argument("dir", help="project folder")
    p.add_argument("-o", "--output", required=True, help="bundle file to write")
    p.add_argument("--env", choices=["production", "staging"], default="production",
                   help="production exports live guides; staging staged and live")
    p.add_argument("--locale", action="append", metavar="L",
                   help="export only this locale (repeatable)")
    p.add_argument("--include-drafts", action="store_true", help="also export drafts")
    p.add_argument("--timestamp", action="store_true",
                   help="record the export time (SOURCE_DATE_EPOCH wins if set)")
    p.add_argument("--runtime", metavar="DIR", help="also copy the JS runtime into DIR")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("new", help="create a new project",
                       description="Create a new, valid project in an empty folder.")
    p.add_argument("dir", help="folder to create")
    p.add_argument("--name", help="project name (default: the folder name)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("diff", help="compare two bundles for release review",
                       description="Which guides were added, removed or changed, and where.")
    p.add_argument("old", help="older bundle")
    p.add_argument("new", help="newer bundle")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when they differ")
    p.set_defaults(func=cmd_diff)
    return parser


COMMANDS = ("validate", "export", "new", "diff")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        # `guidestudio DIR` opens DIR in the editor.
        if len(argv) > 1:
            parser.error(f"unexpected arguments after the project folder: {' '.join(argv[1:])}")
        args = argparse.Namespace(func=cmd_default, project=argv[0])
    else:
        args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"guidestudio: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
