"""``guidestudio``: the editor with no arguments, the headless core with a command.

Every command runs the same core the editor uses, without a display, so CI can
validate and export a project exactly as a marketer's machine would. Exit codes
are 0 ok, 1 problems found, 2 usage error; problems go to stderr as
``file:line: field: message``.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidestudio.core.problems import Problem, count, sort_key

if TYPE_CHECKING:
    from guidestudio.core.model import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unusable input files: exit 2 with a one-line message."""


class NotNow(Exception):
    """The project kept changing while it was read (or stayed locked): exit 1, nothing
    written — never a result built from two states of the files."""


def _print_problems(problems: list[Problem], root: Path | None, stream=None) -> None:  # type: ignore[no-untyped-def]
    stream = stream or sys.stderr
    prefix = f"{root}/" if root is not None else ""
    for problem in sorted(problems, key=sort_key):
        print(prefix + problem.format(), file=stream)


def tolerate_any_encoding() -> None:
    """Make stdout and stderr write what their encoding cannot hold as ``\\u2014`` escapes.

    A pipe or terminal may not be UTF-8 (``PYTHONIOENCODING=latin-1``, a cp932 pipe on
    Japanese Windows, ``ascii``): the "—" of a summary must not turn a finished export into
    a crash with exit 1, which CI would report as a failed export."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to protect
                pass


# Arguments that are text (names, ids, dates), not paths.
TEXT_ARGUMENTS = ("name", "explain", "now", "guide", "variant", "locale", "profile")


def text_argument(value: str) -> str:
    """An argument meant as text, as it was typed. Where Python decoded the command line
    as ASCII (``LANG=C`` without UTF-8 mode) a non-ASCII argument arrives as escaped
    bytes, which no file can hold; a terminal sends UTF-8, so those bytes are read as
    UTF-8. Paths keep Python's form, which names the same file."""
    try:
        raw = os.fsencode(value)
    except UnicodeEncodeError:  # real characters already: nothing was escaped
        return value
    return raw.decode("utf-8", "replace")


def _text_arguments(args: argparse.Namespace) -> None:
    for name in TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, text_argument(value))
        elif isinstance(value, list):
            setattr(args, name, [text_argument(v) if isinstance(v, str) else v for v in value])


def _stdout_holds_unicode() -> bool:
    try:
        return codecs.lookup(sys.stdout.encoding or "ascii").name.startswith("utf")
    except (AttributeError, LookupError):
        return False


def _print_json(text: str) -> None:
    """JSON for stdout. Where stdout is not UTF-*, non-ASCII characters are written as JSON's
    own ``\\uXXXX`` escapes, so the output stays valid JSON (backslashreplace would write
    ``\\U0001f600`` for an emoji, which JSON does not know)."""
    if not _stdout_holds_unicode():
        text = json.dumps(json.loads(text), ensure_ascii=True, indent=2)
    print(text)


def _summary(problems: list[Problem]) -> str:
    errors, warnings = count(problems)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _load(folder: str):  # type: ignore[no-untyped-def]
    from guidestudio.core.files.project_io import NotAProject, ProjectChanging, load_project
    from guidestudio.core.files.transaction import ProjectBusy

    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder}: no such folder")
    try:
        return load_project(root)
    except NotAProject as exc:
        raise UsageError(str(exc)) from None
    except (ProjectChanging, ProjectBusy) as exc:
        raise NotNow(str(exc)) from None


def _all_problems(result) -> list[Problem]:  # type: ignore[no-untyped-def]
    from guidestudio.core.validate import validate_project

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
        _print_json(json.dumps(payload, ensure_ascii=False, indent=2))
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
    from guidestudio.core.bundle.export import export_project
    from guidestudio.core.bundle.parallel import default_workers
    from guidestudio.core.files.project_io import NotAProject, ProjectChanging
    from guidestudio.core.files.transaction import ProjectBusy

    if not Path(args.dir).is_dir():
        raise UsageError(f"{args.dir}: no such folder")
    output = Path(args.output)
    if output.is_dir():
        raise UsageError(f"{args.output} is a folder; give the bundle's file name")
    signing_key = None
    if getattr(args, "sign", None):
        from guidestudio.core.bundle.signing import SigningKeyError, load_private_key

        try:
            signing_key = load_private_key(args.sign)
        except SigningKeyError as exc:
            raise UsageError(f"--sign {exc}") from None
    try:
        result = export_project(
            Path(args.dir),
            output,
            environment=args.env,
            locales=args.locale or None,
            include_drafts=args.include_drafts,
            generated_at=_generated_at(args),
            runtime_dir=Path(args.runtime) if args.runtime else None,
            workers=default_workers(),
            signing_key=signing_key,
        )
    except NotAProject as exc:
        raise UsageError(str(exc)) from None
    except (ProjectChanging, ProjectBusy) as exc:
        raise NotNow(f"not exported: {exc}") from None
    _print_problems(result.problems, Path(args.dir))
    if not result.ok:
        print(f"not exported: {_summary(result.problems)}", file=sys.stderr)
        return EXIT_PROBLEMS
    signed = ", signed" if signing_key is not None else ""
    print(
        f"exported {result.guide_count} guides to {result.path} "
        f"({result.size_bytes:,} bytes, {result.checksum}{signed}) — {_summary(result.problems)}"
    )
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    from guidestudio.core.bundle.signing import SigningKeyError, write_key_pair

    try:
        pair = write_key_pair(Path(args.output))
    except SigningKeyError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write the keys ({exc.strerror or exc})") from None
    print(f"private key: {pair.private_path} (only you can read it; keep it out of the "
          f"repository, give it to `guidestudio export --sign`)")
    print(f"public key:  {pair.public_path}")
    print(f"for the runtime, GuideStudio.init({{publicKey: '{pair.public_raw}', …}})")
    print(f"the same key as SPKI (DER, base64), for other verifiers: {pair.public_spki}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from guidestudio.core.files.scaffold import ScaffoldError, new_project

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


def _review_side(path: str, env: str) -> tuple[dict, object]:  # type: ignore[type-arg]
    """A bundle file, or a project folder compiled as ``export --env`` would (with its
    project, whose attribute catalogue words the audience sentences)."""
    if not Path(path).is_dir():
        return _read_bundle(path), None
    from guidestudio.core.bundle.compiler import CompileError, compile_project

    result = _load(path)
    try:
        return compile_project(result.project, environment=env), result.project
    except CompileError as exc:
        raise UsageError(f"{path} does not compile: {exc.problem.format()}") from None


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed between two bundles (or two project folders), for release review."""
    from guidestudio.core.bundle.review import review_bundles
    from guidestudio.core.bundle.review_format import FORMATS

    old, old_project = _review_side(args.old, args.env)
    new, new_project = _review_side(args.new, args.env)
    sides = ((old, old_project), (new, new_project))
    labels = (Path(args.old).name, Path(args.new).name)
    if labels[0] == labels[1]:  # main/acme against pr/acme: the paths tell them apart
        labels = (args.old, args.new)
    review = review_bundles(old, new, new_project or old_project,  # type: ignore[arg-type]
                            old_label=labels[0], new_label=labels[1])
    text = FORMATS[args.format](review)
    (_print_json if args.format == "json" else print)(text)
    status = EXIT_PROBLEMS if args.exit_code and not review.same else EXIT_OK
    if args.png:
        from guidestudio.widgets.preview.shot import prepare_environment

        prepare_environment()
        from guidestudio.core.bundle.compiler import compile_project
        from guidestudio.core.resources import DEMO_APP
        from guidestudio.widgets.preview.bridge import asset_base_for
        from guidestudio.widgets.preview.diff_shots import render_review
        from guidestudio.widgets.preview.shot import ShotError

        # A folder's pictures: compiled again with their path from the demo page, as the
        # preview does (a bundle file's pictures are wherever the product serves them).
        shown = [compile_project(p, environment=args.env, asset_base=asset_base_for(p, DEMO_APP))
                 if p is not None else b for b, p in sides]
        try:
            written = render_review(review, shown[0], shown[1], Path(args.png),
                                    device=args.device)
        except ShotError as exc:
            print(f"guidestudio: previews failed: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"wrote {len(written)} before/after preview{'s' * (len(written) != 1)} "
              f"to {args.png}", file=sys.stderr)
    return status


def _print_audience_sql(bundle: Any, table: Any, now_ms: float, dialect: str) -> int:
    """``simulate --sql``: the audience queries for the warehouse, or why not."""
    from sqlglot.errors import SqlglotError

    from guidestudio.core.audience_sql.simulate_table import warehouse_sql
    from guidestudio.core.warehouse.transpile import UnportableSQL
    try:
        print(warehouse_sql(bundle, table, now_ms, dialect))
    except (UnportableSQL, SqlglotError, RecursionError) as exc:
        raise UsageError(f"the audience queries cannot be written for {dialect}: "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                         ) from None
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    """Who would see each guide, and which variant: the runtime's decisions
    (docs/eligibility.md) for every user of a file, against the bundle the
    project compiles to now."""
    from guidestudio.core import simulate
    from guidestudio.core.bundle.compiler import CompileError, compile_project, to_utc
    from guidestudio.core.eligibility import parse_utc

    result = _load(args.dir)
    problems = _all_problems(result)
    errors, _warnings = count(problems)
    if errors:
        _print_problems(problems, Path(args.dir))
        print(f"not simulated: {_summary(problems)}", file=sys.stderr)
        return EXIT_PROBLEMS
    project = result.project
    if args.now:
        try:
            from zoneinfo import ZoneInfo

            zone = UTC if project.timezone.upper() == "UTC" else ZoneInfo(project.timezone)
            now_ms = parse_utc(to_utc(args.now, zone))
        except (ValueError, OverflowError, KeyError):
            now_ms = None
        if now_ms is None:
            raise UsageError(f"--now {args.now!r} is not an ISO 8601 date or date-time "
                             "(e.g. 2026-12-01 or 2026-12-01T09:00:00Z)")
    else:
        now_ms = datetime.now(tz=UTC).timestamp() * 1000
    try:
        bundle = compile_project(project, environment=args.env,
                                 include_drafts=args.include_drafts)
    except CompileError as exc:
        _print_problems([exc.problem], Path(args.dir))
        print("not simulated: the project does not compile", file=sys.stderr)
        return EXIT_PROBLEMS

    def bad(message: str) -> None:
        print(message, file=sys.stderr)

    users_text = str(args.users)
    if users_text.lower().endswith(".parquet") or ".duckdb:" in users_text:
        # A table: audiences and splits counted in SQL (core/audience_sql), exactly.
        from guidestudio.core.audience_sql import TableError, open_table
        from guidestudio.core.audience_sql.simulate_table import simulate_table
        try:
            table = open_table(users_text)
            if args.sql:
                return _print_audience_sql(bundle, table, now_ms, args.sql)
            outcome = simulate_table(bundle, table, now_ms, explain_id=args.explain)
        except TableError as exc:
            raise UsageError(str(exc)) from None
        source_label = users_text
    else:
        try:
            source = simulate.open_users(args.users, on_bad=bad)
            if args.sql:
                # The columns' types are those the Python reader gives the values.
                from guidestudio.core.audience_sql.from_users import users_table
                users = [u for chunk in simulate.read_users(source) for u in chunk[0]]
                return _print_audience_sql(bundle, users_table(users, source.label), now_ms,
                                           args.sql)
            outcome = simulate.simulate_users(
                bundle, source, now_ms, explain_id=args.explain,
                progress=simulate.default_progress_stream(args.progress),
                workers=args.jobs if args.jobs else simulate.default_workers())
        except simulate.InputError as exc:
            raise UsageError(str(exc)) from None
        source_label = source.label
    if outcome.bad_lines:
        print(f"{source_label}: {outcome.bad_lines} bad line{'s' * (outcome.bad_lines != 1)} "
              f"skipped", file=sys.stderr)
    if outcome.users == 0 and outcome.bad_lines:
        raise UsageError(f"{source_label}: no usable user records")
    formatter = {"table": simulate.format_table, "json": simulate.format_json,
                 "csv": simulate.format_csv}[args.format]
    (_print_json if args.format == "json" else print)(formatter(outcome))
    if args.explain is not None and outcome.explained is None:
        raise UsageError(f"no user {args.explain!r} in {source_label} (--explain matches the "
                         "id attribute, the hash attribute or a profile id)")
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    """Screenshots of guides as the editor's preview shows them, rendered off screen with
    the runtime on a host page (the demo app by default), for review in pull requests."""
    if bool(args.png) == bool(args.all):
        raise UsageError("give either --png OUT.png (with --guide) or --all OUTDIR")
    if args.png and not args.guide:
        raise UsageError("--png needs --guide ID")
    project = _load(args.dir).project
    if args.profile and args.profile not in {p.id for p in project.profiles}:
        raise UsageError(f"no profile {args.profile!r} in {args.dir}/profiles.yaml")
    from guidestudio.core.bundle.compiler import CompileError, compile_guide
    from guidestudio.widgets.preview.shot import PlanError, plan_shots

    try:
        jobs = plan_shots(project, args.guide, args.variant, args.locale, args.step,
                          single=bool(args.png))
    except PlanError as exc:
        raise UsageError(str(exc)) from None
    broken = set()
    for gid in dict.fromkeys(job.guide_id for job in jobs):
        try:
            compile_guide(project, project.guides[gid])
        except CompileError as exc:
            _print_problems([exc.problem], Path(args.dir))
            broken.add(gid)
    if args.png and broken:
        print(f"not rendered: {args.guide} does not compile", file=sys.stderr)
        return EXIT_PROBLEMS

    from guidestudio.widgets.preview.shot import prepare_environment

    prepare_environment()  # before Qt starts: headless, and a web engine that runs as root
    from guidestudio.widgets.preview.shot import ShotError, render_shots

    try:
        shots, index = render_shots(project, [j for j in jobs if j.guide_id not in broken],
                                    Path(args.png or args.all), into_folder=bool(args.all),
                                    device=args.device,
                                    profile_id=args.profile, host=args.host)
    except ShotError as exc:
        print(f"guidestudio: preview failed: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {len(shots)} screenshot{'s' * (len(shots) != 1)}"
          + (f" and {index}" if index else f" to {args.png}"))
    return EXIT_PROBLEMS if broken else EXIT_OK


def _host_pages(hosts: list[str], base_url: str | None) -> list[str]:
    """Each ``--host`` as the address to open: a full URL as given, a path joined to
    ``--base-url`` (staging), a local file as a file URL."""
    from urllib.parse import urljoin, urlsplit

    pages = []
    for host in hosts:
        scheme = urlsplit(host).scheme.lower()
        if scheme in ("http", "https", "file"):
            pages.append(host)
        elif base_url:
            pages.append(urljoin(base_url.rstrip("/") + "/", host.lstrip("/")))
        elif Path(host).is_file():
            pages.append(Path(host).resolve().as_uri())
        else:
            raise UsageError(f"--host {host!r} is neither a URL nor a file; give a full URL, "
                             "or --base-url to resolve paths against")
    return pages


def cmd_check(args: argparse.Namespace) -> int:
    """Guide CI: open each host page headless and check every shipped guide's steps on it."""
    from guidestudio.core.bundle.compiler import CompileError, compile_project
    from guidestudio.core.guide_check import FORMATS

    if args.base_url and not args.base_url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--base-url {args.base_url!r} is not an http(s) address")
    pages = _host_pages(args.host, args.base_url)
    project = _load(args.dir).project
    locales = args.locale or list(project.settings.locales)
    unknown = [loc for loc in locales if loc not in project.settings.locales]
    if unknown:
        raise UsageError(f"locale {unknown[0]!r} is not one of the project's "
                         f"({', '.join(project.settings.locales)})")
    try:
        bundle = compile_project(project, environment=args.env)
    except CompileError as exc:
        _print_problems([exc.problem], Path(args.dir))
        print("not checked: the project does not compile", file=sys.stderr)
        return EXIT_PROBLEMS
    from guidestudio.widgets.preview.shot import prepare_environment

    prepare_environment()
    from guidestudio.widgets.preview.page_check import check_pages
    from guidestudio.widgets.preview.surface import DEVICES

    devices = list(dict.fromkeys(args.device or DEVICES))
    report = check_pages(project, bundle, pages, devices, locales,
                         Path(args.png) if args.png else None)
    text = FORMATS[args.format](report)
    (_print_json if args.format == "json" else print)(text)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _day(value: str | None, option: str):  # type: ignore[no-untyped-def]
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def cmd_results(args: argparse.Namespace) -> int:
    """Did the guides work: funnels and experiments from the product's own events, read
    with DuckDB in-process (core/results)."""
    from guidestudio.core.results import analysis, report, store
    from guidestudio.core.results.sources import SourceError, column_shape, settings_shape

    project = _load(args.dir).project
    if args.guide and args.guide not in project.guides:
        raise UsageError(f"no guide {args.guide!r} in {args.dir}")
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    if since and until and until < since:
        raise UsageError(f"--until {args.until} is before --since {args.since}")
    if args.sql:
        return _results_sql(args, project, since, until)
    if not args.events:
        raise UsageError("give the events: --events PATH… (or print the queries for a "
                         "warehouse with --sql DIALECT)")
    try:
        shape = (column_shape(args.columns) if args.columns
                 else settings_shape(project.settings.events) if project.settings.events
                 else None)
        con = store.connect()
        loaded = store.load(con, project, args.events, shape, since, until)
        results = analysis.analyse(con, project, [args.guide] if args.guide else None)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    for message in loaded.messages():
        print(message, file=sys.stderr)
    if args.format == "json":
        _print_json(report.format_json(results, loaded))
    elif args.format == "csv":
        print(report.format_csv(results, loaded))
    elif args.format == "html":
        from guidestudio.core.results.report_html import format_html

        sys.stdout.write(format_html(results, loaded, f"{project.settings.name}: guide results"))
    else:
        print(report.format_table(results, loaded))
    return EXIT_OK


def _results_sql(args: argparse.Namespace, project: Project, since: date | None,
                 until: date | None) -> int:
    """The same results as SQL for the team's warehouse (core/results/warehouse_sql)."""
    from guidestudio.core.results import warehouse_sql
    from guidestudio.core.warehouse.transpile import BadTableName

    if args.events or args.columns:
        raise UsageError("--sql prints queries for the warehouse's table (--events-table); "
                         "--events and --columns are for files")
    try:
        print(warehouse_sql.script(project, args.sql, args.events_table,
                                   [args.guide] if args.guide else None, since, until), end="")
    except BadTableName as exc:
        raise UsageError(f"--events-table {exc}") from None
    return EXIT_OK


def cmd_default(args: argparse.Namespace) -> int:
    """No command: open the editor on the last project or the bundled example."""
    from guidestudio.app import preflight  # Qt-free: asks before Qt could abort the process
    from guidestudio.core.resources import EXAMPLE_PROJECT

    cannot_show = preflight.check()
    if cannot_show is not None:
        print(cannot_show, file=sys.stderr)
        return EXIT_PROBLEMS
    folder = Path(args.project) if args.project else EXAMPLE_PROJECT
    try:
        from guidestudio.app.gui import run_gui  # the editor, when it is installed
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


# --- l10n: translators' files (core/l10n, docs/translation.md) --------------------------


def _target_locale(project, locale: str) -> str:  # type: ignore[no-untyped-def]
    from guidestudio.core.l10n.importer import LOCALE

    if not LOCALE.match(locale):
        raise UsageError(f"--locale {locale!r}: expected a language code like de or pt-BR")
    if locale == project.settings.default_locale:
        raise UsageError(f"--locale {locale}: that is the language the texts are written in")
    return locale


def cmd_l10n_export(args: argparse.Namespace) -> int:
    from guidestudio.core.describe.trail import language_name
    from guidestudio.core.files import atomic
    from guidestudio.core.l10n.status import project_status
    from guidestudio.core.l10n.xliff_write import export_xliff

    project = _load(args.dir).project
    locale = _target_locale(project, args.locale)
    output = Path(args.output)
    if output.is_dir():
        raise UsageError(f"{args.output} is a folder; give the XLIFF file's name")
    data = export_xliff(project, locale, args.xliff)
    try:
        atomic.write_bytes(output, data)
    except OSError as exc:
        raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
    status = project_status(project, [locale])[0]
    total = len(status.missing) + len(status.needs_review) + len(status.done)
    print(f"exported {total} texts for {language_name(locale)} ({locale}) to {output} "
          f"(XLIFF {args.xliff}): {len(status.missing)} to translate, "
          f"{len(status.needs_review)} to review, {len(status.done)} done")
    return EXIT_OK


def cmd_l10n_import(args: argparse.Namespace) -> int:
    from guidestudio.core import edits
    from guidestudio.core.describe.trail import language_name
    from guidestudio.core.files.project_io import SaveConflict, save_project
    from guidestudio.core.files.transaction import DiskChanged, ProjectBusy, ReadOnlyFiles
    from guidestudio.core.l10n.importer import import_file_plan

    if not Path(args.file).is_file():
        raise UsageError(f"{args.file}: no such file")
    result = _load(args.dir)
    plan = import_file_plan(result.project, args.file)
    if not plan.ok:
        _print_problems(plan.problems, None)
        errors = sum(1 for p in plan.problems if p.is_error)
        print(f"not imported: {errors} problem{'s' * (errors != 1)} in {args.file}; "
              "the project is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    name = f"{language_name(plan.locale)} ({plan.locale})"
    if not plan.changes:
        print(f"nothing to import: every {name} text in {args.file} is already in the project "
              f"({plan.untranslated} untranslated)")
        return EXIT_OK
    edits.apply(result.project, plan.edit)
    touched = {(target[0], target[1]) if target[0] == "guides" else (target[0],)
               for target in edits.leaf_targets(plan.edit)}
    try:
        save_project(result.project, result.files, only=touched)
    except (DiskChanged, ReadOnlyFiles, ProjectBusy, SaveConflict) as exc:
        raise NotNow(f"not imported: {exc}") from None
    kinds = [c.kind for c in plan.changes]
    print(f"imported {len(plan.changes)} {name} texts into {len(plan.guides())} guides "
          f"({kinds.count('new')} new, {kinds.count('changed')} changed, "
          f"{kinds.count('reviewed')} reviewed; {plan.unchanged} already there, "
          f"{plan.untranslated} untranslated left as they were)"
          + (f"; {language_name(plan.locale)} added to the project's languages"
             if plan.adds_locale else ""))
    return EXIT_OK


def cmd_l10n_status(args: argparse.Namespace) -> int:
    from guidestudio.core.describe.trail import language_name
    from guidestudio.core.files.schemas import format_path
    from guidestudio.core.l10n.status import project_status

    result = _load(args.dir)
    project, files = result.project, result.files
    for locale in args.locale or ():
        _target_locale(project, locale)
    statuses = project_status(project, args.locale)
    if not statuses:
        print(f"{project.settings.name} has one language, "
              f"{language_name(project.settings.default_locale)}: nothing to translate")
        return EXIT_OK
    for status in statuses:
        print(f"{status.locale} ({language_name(status.locale)}): "
              f"{len(status.missing)} missing, {len(status.needs_review)} need review, "
              f"{len(status.done)} done")
        for state, units in (("missing", status.missing), ("needs review", status.needs_review)):
            for unit in units:
                rel = files.file_of("guides", unit.guide_id)
                line = files.locate(rel, (*unit.path, status.locale)) or \
                    files.locate(rel, unit.path)
                where = f"{args.dir.rstrip('/')}/{rel}" + (f":{line}" if line else "")
                print(f"  {where}: {format_path((*unit.path, status.locale))}: {state} — "
                      f"{unit.label}")
    return EXIT_OK if all(s.complete for s in statuses) else EXIT_PROBLEMS


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
    p.add_argument("--runtime", metavar="DIR",
                   help="also write the JS runtime into DIR: guide-runtime.min.js (+ .map) to "
                   "serve, the readable guide-runtime.js, its ES-module entry and types")
    p.add_argument("--sign", metavar="KEY",
                   help="sign the bundle with this Ed25519 private key (PEM, from `guidestudio "
                   "keygen`); a runtime given the public key refuses unsigned or altered bundles")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("keygen", help="make a key pair for signing bundles",
                       description="Write an Ed25519 private key (PEM, readable by you only) "
                       "and its public key, for `export --sign` and the runtime's publicKey.")
    p.add_argument("-o", "--output", default=".", metavar="DIR",
                   help="folder to write guidestudio-signing.pem and .pub into (default: here)")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("new", help="create a new project",
                       description="Create a new, valid project in an empty folder.")
    p.add_argument("dir", help="folder to create")
    p.add_argument("--name", help="project name (default: the folder name)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "diff", help="compare two bundles for release review",
        description="What changed between two bundles (or the bundles two project folders "
        "compile to), per guide: old → new values, texts as text, audiences as rules, "
        "weights as percentages; status and schedule changes first.")
    p.add_argument("old", help="older bundle file or project folder")
    p.add_argument("new", help="newer bundle file or project folder")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text",
                   help="markdown: for a pull-request comment")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when they differ")
    p.add_argument("--env", choices=["production", "staging"], default="production",
                   help="for project folders: the environment to compile (as export --env)")
    p.add_argument("--png", metavar="DIR",
                   help="also write a before/after preview of each changed or added guide")
    p.add_argument("--device", choices=["desktop", "laptop", "tablet", "phone"],
                   default="laptop", help="viewport of the --png previews (default: laptop)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "simulate", help="who would see each guide, and which variant",
        description="Run every user of a file through the runtime's decisions "
        "(audience, schedule, A/B split, frequency, throttle) for every guide the "
        "environment ships. FILE is JSON Lines (one user object per line; an 'events' "
        "key holds {event: {YYYY-MM-DD: count}}, a 'history' key the runtime's stored "
        "history), CSV (columns are attributes, dotted headers nest, numbers and "
        "true/false are parsed, empty cells are missing), a profiles.yaml, or a table: "
        "Parquet or FILE.duckdb:TABLE (one column per attribute, dotted names or STRUCTs "
        "nest, events.<name>.count/last_7d/last_30d/days_since columns are the behaviour "
        "counters), counted in SQL with DuckDB.")
    p.add_argument("dir", help="project folder")
    p.add_argument("--users", required=True, metavar="FILE",
                   help="users: .jsonl, .csv, profiles .yaml, .parquet or FILE.duckdb:TABLE")
    p.add_argument("--explain", metavar="USER_ID",
                   help="also show every guide's decision and reason for this user")
    p.add_argument("--sql", choices=["bigquery", "snowflake", "postgres", "spark", "duckdb"],
                   help="print the audience queries for this warehouse (over a table named "
                   "users with the file's columns) instead of running them")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--now", metavar="ISO",
                   help="simulate this moment (default: now; no offset = project time zone)")
    p.add_argument("--env", choices=["production", "staging"], default="production",
                   help="production ships live guides; staging staged and live")
    p.add_argument("--include-drafts", action="store_true", help="also simulate drafts")
    p.add_argument("--progress", action="store_true",
                   help="show progress on stderr even when it is not a terminal")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="processes for a large JSON Lines file (default: up to 2)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "preview", help="render guides to PNG as the preview shows them",
        description="Render a guide off screen with the runtime on the demo app (or --host) "
        "and save a PNG the size of the device; --all writes every guide x variant x locale "
        "into a folder with an index.html.")
    p.add_argument("dir", help="project folder")
    p.add_argument("--guide", metavar="ID", help="the guide to render")
    p.add_argument("--variant", metavar="KEY", help="variant (default: the first)")
    p.add_argument("--locale", metavar="L", help="locale (default: the project's default)")
    p.add_argument("--profile", metavar="P", help="sample user from profiles.yaml "
                   "(default: none, placeholders show their fallbacks)")
    p.add_argument("--device", choices=["desktop", "laptop", "tablet", "phone"],
                   default="desktop", help="viewport size (default: desktop 1440x900)")
    p.add_argument("--step", type=int, metavar="N", help="show step N (1-based) of a walkthrough")
    p.add_argument("--host", metavar="URL", help="host page: a file or URL (default: the demo app)")
    p.add_argument("--png", metavar="OUT.png", help="write one screenshot here")
    p.add_argument("--all", metavar="OUTDIR",
                   help="write one PNG per guide x variant x locale and an index.html here")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser(
        "check", help="check every shipped guide on real host pages (guide CI)",
        description="Open each host page headless at each device size and, for every guide the "
        "environment ships whose url glob matches the page, check that each step's anchor "
        "exists, is rendered, matches exactly one element, and that the step fits the "
        "viewport. Exit 1 on any failure: for a pull request or a nightly job against staging.")
    p.add_argument("dir", help="project folder")
    p.add_argument("--host", action="append", required=True, metavar="URL",
                   help="a page to open (repeatable): a full URL, a path (with --base-url) "
                   "or an HTML file")
    p.add_argument("--base-url", metavar="URL",
                   help="where paths given to --host live, e.g. https://staging.example.com")
    p.add_argument("--device", action="append", choices=["desktop", "laptop", "tablet", "phone"],
                   help="viewport size (repeatable; default: all four the preview offers)")
    p.add_argument("--locale", action="append", metavar="L",
                   help="locale to show steps in (repeatable; default: the project's locales)")
    p.add_argument("--env", choices=["production", "staging"], default="production",
                   help="the guides to check: production ships live ones; staging staged too")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    p.add_argument("--png", metavar="DIR", help="write a screenshot of each failure here")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "results", help="funnels and experiment results from the product's events",
        description="Read the events the runtime sent to the product's analytics (JSON Lines, "
        "CSV or Parquet; a file, a glob or a folder of daily files; Segment/RudderStack track "
        "calls or Amplitude's export, or --columns) and report, per guide and variant, the "
        "funnel, the steps, missing anchors, surveys, checklists and the experiment against "
        "control. Rows that cannot be read are counted and located on stderr.")
    p.add_argument("dir", help="project folder")
    p.add_argument("--events", nargs="+", metavar="PATH",
                   help="event files, globs (quoted) or folders")
    p.add_argument("--guide", metavar="ID", help="only this guide")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="events from this UTC day on")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events up to this UTC day (included)")
    p.add_argument("--format", choices=["table", "json", "csv", "html"], default="table",
                   help="html: one self-contained page with charts, to share (> report.html)")
    p.add_argument("--columns", metavar="SPEC",
                   help="other shapes: user=COL,event=COL,timestamp=COL[,message_id=COL]"
                   "[,properties=COL] (properties not named: top-level columns); default: "
                   "the project's events: settings, if any")
    p.add_argument("--sql", choices=["bigquery", "snowflake", "postgres", "spark", "duckdb"],
                   help="instead of reading files, print the queries for this warehouse")
    p.add_argument("--events-table", metavar="NAME", default="guide_events",
                   help="with --sql: the warehouse table of events (default guide_events)")
    p.set_defaults(func=cmd_results)

    p = sub.add_parser(
        "l10n", help="translators' files: XLIFF export and import, what is left to translate",
        description="Send the project's texts to translators as XLIFF and bring them back "
        "(docs/translation.md).")
    l10n = p.add_subparsers(dest="l10n_command", metavar="ACTION", required=True)
    q = l10n.add_parser("export", help="write every text for one target language as XLIFF")
    q.add_argument("dir", help="project folder")
    q.add_argument("--locale", required=True, metavar="L", help="the target language, e.g. de")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="XLIFF file to write")
    q.add_argument("--xliff", choices=["2.0", "1.2"], default="2.0",
                   help="XLIFF version (default 2.0; 1.2 for older tools)")
    q.set_defaults(func=cmd_l10n_export)
    q = l10n.add_parser("import", help="check a translated XLIFF file and save its texts")
    q.add_argument("dir", help="project folder")
    q.add_argument("file", help="the translated XLIFF file (2.0 or 1.2)")
    q.set_defaults(func=cmd_l10n_import)
    q = l10n.add_parser("status", help="per language: texts missing, needing review, done; "
                        "exit 1 while any is missing or needs review")
    q.add_argument("dir", help="project folder")
    q.add_argument("--locale", action="append", metavar="L", help="only this language "
                   "(repeatable)")
    q.set_defaults(func=cmd_l10n_status)
    return parser


COMMANDS = ("validate", "export", "keygen", "new", "diff", "simulate", "preview", "check",
            "results", "l10n")


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_any_encoding()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        # `guidestudio DIR` opens DIR in the editor.
        if not Path(argv[0]).is_dir():
            parser.error(f"{argv[0]!r} is neither a command ({', '.join(COMMANDS)}) "
                         f"nor a project folder")
        if len(argv) > 1:
            parser.error(f"unexpected arguments after the project folder: {' '.join(argv[1:])}")
        args = argparse.Namespace(func=cmd_default, project=argv[0])
    else:
        args = parser.parse_args(argv)
        _text_arguments(args)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"guidestudio: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NotNow as exc:
        print(f"guidestudio: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
