"""Export a project folder to a bundle file: the one code path the CLI and the editor share.

Load, validate, refuse on any error, compile, schema-check, write atomically
(and optionally copy the runtime next to it). Problems come back in the
result rather than as exceptions, so the CLI can print ``file:line`` lines and
exit 1 and the export dialog can list them; a missing project folder
(``NotAProject``) still raises, because that is a usage error, not a problem in
the project.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidestudio.core.bundle import bundle_file as bundle_io
from guidestudio.core.bundle.compiler import ENVIRONMENT_STATUSES, CompileError, compile_payload
from guidestudio.core.files import atomic
from guidestudio.core.files.project_io import PROJECT_FILE, LoadResult, load_project
from guidestudio.core.problems import Problem, sort_key
from guidestudio.core.resources import RUNTIME_DIR

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# What --runtime writes next to a bundle (plus a package.json, below): the minified runtime a
# product serves and its source map, the readable source (the map's source; also what the
# ES-module entry imports) and the types.
RUNTIME_FILES = ("guide-runtime.js", "guide-runtime.min.js", "guide-runtime.min.js.map",
                 "guide-runtime.mjs", "guide-runtime.d.ts")
# The npm package --runtime makes of that folder (docs/runtime.md, "Installing with npm").
PACKAGE_NAME = "@guidestudio/runtime"
_RUNTIME_VERSION_RE = re.compile(r"^\s*version: '([^']+)',$", re.M)
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@dataclass
class ExportResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    bundle: dict[str, Any] | None = None
    path: Path | None = None
    size_bytes: int = 0
    checksum: str | None = None
    guide_count: int = 0
    runtime_files: list[Path] = field(default_factory=list)


def _validation_problems(loaded: LoadResult) -> list[Problem]:
    """Loader problems plus semantic validation (guidestudio.core.validate) when it is available."""
    problems = list(loaded.problems)
    try:
        from guidestudio.core.validate import validate_project
    except ModuleNotFoundError as exc:
        if exc.name != "guidestudio.core.validate":
            raise
        return problems
    found = validate_project(loaded.project, loaded.files)
    seen = set(problems)
    problems.extend(p for p in found if p not in seen)
    return problems


def _generated_at(timestamp: bool) -> tuple[str | None, Problem | None]:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) wins; else now, when asked for."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            return None, Problem("SOURCE_DATE_EPOCH", None, "",
                                 f"must be a whole number of seconds, found {epoch!r}",
                                 code="source-date-epoch")
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ"), None
    if timestamp:
        return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), None
    return None, None


def _locale_problems(loaded: LoadResult, locales: list[str] | None) -> list[Problem]:
    if not locales:
        return []
    known = set(loaded.project.settings.locales)
    out = []
    for locale in locales:
        if not _LOCALE_RE.match(locale):
            out.append(Problem(PROJECT_FILE, None, "locales",
                               f"{locale!r} is not a locale code (e.g. en, pt-BR)",
                               code="locale"))
        elif locale not in known:
            out.append(Problem(PROJECT_FILE, None, "locales",
                               f"locale {locale!r} is not one of the project's locales "
                               f"({', '.join(sorted(known))})", code="locale"))
    return out


def runtime_package_json(runtime_source: str, files: Iterable[str]) -> bytes:
    """The ``package.json`` that makes the --runtime folder an npm package, as fixed bytes.

    The version is the runtime's own (``GuideStudio.version``), so a product pins what it
    tested. ``import`` resolves to the ES module, ``require`` to the readable CommonJS/script
    file (what the ES module wraps, so both give the same object), and anything else (a CDN,
    a bundler without conditions) to the minified script. ``sideEffects`` names the two classic
    files because in a browser they set ``globalThis.GuideStudio``, which the ES module reads;
    ``init`` and nothing else registers listeners. Keys keep npm's usual order and the text
    ends in a newline, so every export writes the same bytes.
    """
    found = _RUNTIME_VERSION_RE.search(runtime_source)
    if found is None:
        raise ValueError("the runtime source does not declare its version")
    package = {
        "name": PACKAGE_NAME,
        "version": found.group(1),
        "description": "Shows Guide Studio guides (exported bundles) in a web product.",
        "license": "UNLICENSED",
        "main": "./guide-runtime.js",
        "module": "./guide-runtime.mjs",
        "types": "./guide-runtime.d.ts",
        "unpkg": "./guide-runtime.min.js",
        "exports": {
            ".": {
                "types": "./guide-runtime.d.ts",
                "import": "./guide-runtime.mjs",
                "require": "./guide-runtime.js",
                "default": "./guide-runtime.min.js",
            },
            "./guide-runtime.min.js": "./guide-runtime.min.js",
            "./package.json": "./package.json",
        },
        "files": sorted(files),
        "sideEffects": ["./guide-runtime.js", "./guide-runtime.min.js"],
    }
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _copy_runtime(target: Path) -> list[Path]:
    source = RUNTIME_DIR / RUNTIME_FILES[0]
    if not source.is_file():
        raise FileNotFoundError(f"the runtime is missing from this installation ({source})")
    written = []
    for name in RUNTIME_FILES:
        path = RUNTIME_DIR / name
        if path.is_file():
            atomic.write_bytes(target / name, path.read_bytes())
            written.append(target / name)
    package = runtime_package_json(source.read_text(encoding="utf-8"), (p.name for p in written))
    atomic.write_bytes(target / "package.json", package)
    written.append(target / "package.json")
    return written


def export_project(
    root: Path | str,
    output: Path | str | None,
    *,
    environment: str = "production",
    locales: Iterable[str] | None = None,
    include_drafts: bool = False,
    timestamp: bool = False,
    runtime_dir: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    generated_at: str | None = None,
    workers: int = 1,
    signing_key: Ed25519PrivateKey | None = None,
) -> ExportResult:
    """Export ``root`` to ``output`` (``None``: compile and check only, write nothing).

    ``generated_at`` is recorded when a caller has already worked it out (the
    CLI does); otherwise ``SOURCE_DATE_EPOCH``, or the current time when
    ``timestamp`` is true. Without either the bundle has no time in it, so the
    same project exports to the same bytes. With a ``signing_key`` the bundle also carries
    an Ed25519 ``signature`` (deterministic too: Ed25519 signatures are).

    Raises ``NotAProject`` for a folder without guidestudio.yaml and
    ``ValueError`` for an unknown environment (both usage errors).
    """
    if environment not in ENVIRONMENT_STATUSES:
        raise ValueError(f"unknown environment {environment!r}; use production or staging")
    chosen = list(locales) if locales else None
    loaded = load_project(Path(root))
    problems = _validation_problems(loaded) + _locale_problems(loaded, chosen)
    if generated_at is None:
        generated_at, problem = _generated_at(timestamp)
        if problem is not None:
            problems.append(problem)
    elif not _TIMESTAMP_RE.match(generated_at):
        problems.append(Problem("generated_at", None, "",
                                f"must be YYYY-MM-DDTHH:MM:SSZ, found {generated_at!r}",
                                code="generated-at"))
    problems.sort(key=sort_key)
    if any(p.is_error for p in problems):
        return ExportResult(ok=False, problems=problems)

    try:
        payload = compile_payload(loaded.project, environment=environment, locales=chosen,
                                  include_drafts=include_drafts, generated_at=generated_at,
                                  progress=progress, workers=workers)
    except CompileError as exc:
        return ExportResult(ok=False, problems=[*problems, exc.problem])
    del loaded  # the project is done with: serialising the bundle is the memory peak
    bundle = bundle_io.finalize(payload, signing_key)

    result = ExportResult(ok=True, problems=problems, bundle=bundle,
                          checksum=bundle[bundle_io.CHECKSUM_KEY],
                          guide_count=len(bundle["guides"]))
    where = str(output) if output is not None else "bundle"
    try:
        if output is None:
            errors = bundle_io.validate_bundle(bundle)
            if errors:
                raise bundle_io.InvalidBundle(errors)
            result.size_bytes = len(bundle_io.dumps(bundle).encode("utf-8"))
            return result
        result.path = Path(output)
        result.size_bytes = bundle_io.write_bundle(bundle, result.path)  # validates first
        if runtime_dir is not None:
            result.runtime_files = _copy_runtime(Path(runtime_dir))
    except bundle_io.InvalidBundle as exc:
        result.ok = False
        result.problems += [Problem(where, None, "", f"invalid bundle: {e}", code="bundle")
                            for e in exc.errors]
    except OSError as exc:
        result.ok = False
        result.problems.append(Problem(where, None, "", f"cannot be written: {exc}",
                                       code="write"))
    except ValueError as exc:  # an installation whose runtime has no version
        result.ok = False
        result.problems.append(Problem(str(runtime_dir), None, "", f"runtime: {exc}",
                                       code="runtime"))
    return result
