"""Output encodings: every command, run as CI or a Japanese Windows pipe would run it
(``PYTHONIOENCODING`` latin-1, cp932, ascii…, ``LANG=C`` without UTF-8 coercion), must exit
as it does under UTF-8, print no traceback, keep JSON valid and write the same bundle."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT
from tests.reliability.rows import Row

# The environments: what a shell, a CI runner or a pipe may hand the process.
ENVIRONMENTS: list[dict[str, str]] = [
    {"PYTHONIOENCODING": "latin-1"},
    {"PYTHONIOENCODING": "cp932"},
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "cp1252", "LC_ALL": "C"},
    {"PYTHONIOENCODING": "utf-16"},
    {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},  # stdio is ASCII
    {"LC_ALL": "POSIX", "LANG": "ja_JP.SJIS", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
]
JSON_COMMANDS = {"validate-json", "diff-json", "simulate-json"}


def _project(root: Path) -> dict[str, Path]:
    """The example project with a name and guide texts no 8-bit encoding holds, two bundles
    that differ, and a users file."""
    project = root / "project"
    shutil.copytree(EXAMPLE_PROJECT, project)
    settings = project / "guidestudio.yaml"
    settings.write_text(settings.read_text("utf-8").replace(
        "name: Acme Cloud", "name: Acme Cloud — 日本語 😀 Ω"), "utf-8")
    for guide in sorted((project / "guides").glob("*.yaml"))[:3]:
        text = re.sub(r"^name: ('?)", r"name: \1✓ Ünïcode 📦 ", guide.read_text("utf-8"),
                      count=1, flags=re.MULTILINE)
        guide.write_text(text, "utf-8")
    old, new = root / "old.json", root / "new.json"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for out, extra in ((old, []), (new, ["--env", "staging", "--include-drafts"])):
        subprocess.run([sys.executable, "-m", "guidestudio", "export", str(project), "-o",
                        str(out), *extra], check=True, capture_output=True, cwd=REPO_ROOT,
                       env=env, timeout=300)
    users = root / "users.jsonl"
    users.write_text("".join(json.dumps({"id": f"u-{i}", "first_name": "Zoë 😀", "plan": plan},
                                        ensure_ascii=False) + "\n"
                             for i, plan in enumerate(["free", "pro", "team"] * 5)), "utf-8")
    return {"project": project, "old": old, "new": new, "users": users, "root": root}


def _commands(paths: dict[str, Path]) -> dict[str, list[str]]:
    p, root = str(paths["project"]), paths["root"]
    simulate = ["simulate", p, "--users", str(paths["users"]), "--now", "2026-11-24"]
    return {
        "validate": ["validate", p],
        "validate-json": ["validate", p, "--format", "json"],
        "export": ["export", p, "-o", str(root / "out-{n}.json")],
        "new": ["new", str(root / "new-{n}"), "--name", "Überprojekt — 日本 😀"],
        "diff": ["diff", str(paths["old"]), str(paths["new"])],
        "diff-json": ["diff", str(paths["old"]), str(paths["new"]), "--format", "json"],
        "simulate": simulate,
        "simulate-json": [*simulate, "--format", "json"],
        "simulate-csv": [*simulate, "--format", "csv"],
        "preview-usage": ["preview", p],  # a usage error: its message must get out too
        "missing-folder": ["validate", str(root / "no — such 日本")],
        "help": ["export", "--help"],
        "l10n-export": ["l10n", "export", p, "--locale", "de", "-o", str(root / "de-{n}.xlf")],
        "l10n-status": ["l10n", "status", p],
    }


def _run(args: list[str], env: dict[str, str], n: int) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")}
    return subprocess.run([sys.executable, "-m", "guidestudio",
                           *(a.replace("{n}", str(n)) for a in args)],
                          capture_output=True, cwd=REPO_ROOT, env={**full, **env}, timeout=300)


def run(trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-encodings-") as folder:
        paths = _project(Path(folder))
        commands = _commands(paths)
        cases = list(itertools.product(sorted(commands), range(len(ENVIRONMENTS))))
        rng.shuffle(cases)
        cases = (cases * (trials // len(cases) + 1))[:trials]
        baseline = {name: _run(commands[name], {"PYTHONIOENCODING": "utf-8"}, 0)
                    for name in sorted({name for name, _ in cases} | {"export"})}
        for n, (name, which) in enumerate(cases, 1):
            env = ENVIRONMENTS[which]
            done = _run(commands[name], env, n)
            what = f"{name} under {env}"
            stderr = done.stderr.decode("utf-8", "replace")
            if done.returncode != baseline[name].returncode:
                failures.append(f"{what}: exit {done.returncode}, not "
                                f"{baseline[name].returncode}: {stderr[-300:]}")
            elif "Traceback" in stderr or "Error:" in stderr and "Encode" in stderr:
                failures.append(f"{what}: {stderr[-300:]}")
            elif name in JSON_COMMANDS and done.returncode in (0, 1):
                encoding = env.get("PYTHONIOENCODING") or "ascii"
                try:
                    json.loads(done.stdout.decode(encoding))
                except ValueError as exc:
                    failures.append(f"{what}: stdout is not JSON ({exc})")
            elif name == "export" and done.returncode == 0:
                ours = paths["root"] / f"out-{n}.json"
                if ours.read_bytes() != (paths["root"] / "out-0.json").read_bytes():
                    failures.append(f"{what}: the bundle differs from the UTF-8 run's")
    return failures


ROW = Row("output encodings (every command)", quick=6, long=len(ENVIRONMENTS) * 12 * 2,
          run=run)
