"""``guidestudio l10n`` as a localisation manager uses it: real processes, real files, exit
codes 0/1/2 — export for German, a CAT library translates, import saves once, status says
what is left; a bad file changes no byte of the project."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from tests.app.conftest import snapshot
from tests.cli.test_cli import run
from tests.conftest import EXAMPLE_PROJECT
from tests.core.l10n.cat_tool import translate_file


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return root


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_export_translate_import_status(project: Path, tmp_path: Path, version: str) -> None:
    xlf = tmp_path / "de.xlf"
    done = run("l10n", "export", str(project), "--locale", "de", "-o", str(xlf),
               "--xliff", version)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"exported 86 texts for German (de) to {xlf} (XLIFF "
                                  f"{version}): 86 to translate, 0 to review, 0 done")
    status = run("l10n", "status", str(project), "--locale", "de")
    assert status.returncode == 1  # texts are missing
    assert status.stdout.splitlines()[0] == "de (German): 86 missing, 0 need review, 0 done"
    assert f"{project}/guides/nps-survey.yaml:" in status.stdout

    translate_file(xlf, xlf, version)
    before = snapshot(project)
    done = run("l10n", "import", str(project), str(xlf))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported 86 German (de) texts into 10 guides (86 new")
    assert done.stdout.rstrip().endswith("German added to the project's languages")
    after = snapshot(project)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert changed == sorted(["guidestudio.yaml", *(f"guides/{p.name}" for p in
                                                    (project / "guides").glob("*.yaml"))])
    # Small diffs: lines are only added — a "de:" under each text, the hashes at the end.
    for rel in changed:
        diff = list(difflib.unified_diff(before[rel].decode().splitlines(),
                                         after[rel].decode().splitlines(), n=0, lineterm=""))
        assert not [line for line in diff[2:] if line.startswith("-")], rel
    nps = after["guides/nps-survey.yaml"].decode()
    assert nps.endswith("translated_from:\n  de:\n    a.nps.survey.comment_label: "
                        "3aa067b52faf730a\n    a.nps.survey.high_label: 0556bfb755c73e8c\n"
                        "    a.nps.survey.low_label: f3eb806ebb604e05\n"
                        "    a.nps.survey.question: 48085d1541967629\n"
                        "    a.nps.survey.thank_you: 6db711c9c24d27e8\n"
                        "    a.nps.title: 5ed5854e252b567c\n")

    status = run("l10n", "status", str(project))
    assert status.returncode == 0
    assert status.stdout.splitlines() == ["ja (Japanese): 0 missing, 0 need review, 86 done",
                                          "de (German): 0 missing, 0 need review, 86 done"]
    again = run("l10n", "import", str(project), str(xlf))
    assert again.returncode == 0 and again.stdout.startswith("nothing to import")

    nps = project / "guides" / "nps-survey.yaml"
    nps.write_text(nps.read_text("utf-8").replace("en: One quick question",
                                                  "en: One short question"), "utf-8")
    status = run("l10n", "status", str(project), "--locale", "de")
    assert status.returncode == 1
    assert status.stdout.splitlines()[0] == "de (German): 0 missing, 1 need review, 85 done"
    assert "guides/nps-survey.yaml:" in status.stdout.splitlines()[1]
    assert status.stdout.splitlines()[1].endswith(
        "variants[0].steps[0].title.de: needs review — Title")


def test_a_bad_file_exits_1_and_changes_nothing(project: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "de.xlf"
    assert run("l10n", "export", str(project), "--locale", "de", "-o", str(xlf)).returncode == 0
    translate_file(xlf, xlf)
    text = xlf.read_text("utf-8").replace('<unit id="nps-survey.a.nps.title"',
                                          '<unit id="nps-survey.a.gone.title"', 1)
    xlf.write_text(text, "utf-8")
    before = snapshot(project)
    done = run("l10n", "import", str(project), str(xlf))
    assert done.returncode == 1
    line = text[:text.index('<unit id="nps-survey.a.gone.title"')].count("\n") + 1
    assert f"{xlf}:{line}: nps-survey.a.gone.title: no such text in this project" in done.stderr
    assert done.stderr.rstrip().endswith(f"not imported: 1 problem in {xlf}; the project is "
                                         "unchanged")
    assert "Traceback" not in done.stderr
    assert snapshot(project) == before


def test_usage_errors_exit_2(project: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.xlf")
    for args, message in [
        (("export", str(project), "--locale", "en", "-o", out), "the language the texts are"),
        (("export", str(project), "--locale", "Deutsch", "-o", out), "expected a language"),
        (("export", str(project), "--locale", "de", "-o", str(tmp_path)), "is a folder"),
        (("import", str(project), str(tmp_path / "none.xlf")), "no such file"),
        (("status", str(tmp_path / "nowhere")), "no such folder"),
        (("status", str(project), "--locale", "German"), "expected a language code"),
    ]:
        done = run("l10n", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
