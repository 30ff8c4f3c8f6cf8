"""The CLI as a release engineer uses it: real processes, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "guidestudio", *args],
        capture_output=True,
        text=True,
        env={**full_env, "PYTHONPATH": str(REPO_ROOT)},
        cwd=cwd or REPO_ROOT,
        timeout=120,
    )


def test_help_for_every_command() -> None:
    for command in ("validate", "export", "new", "diff", "check"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "usage:" in result.stdout


def test_usage_errors_exit_2_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    cases = [
        ("validate", str(tmp_path / "missing")),
        ("validate", str(tmp_path)),  # a folder that is not a project
        ("export", str(tmp_path)),  # no -o
        ("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")),
        ("frobnicate",),
    ]
    for args in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip(), args


def test_new_project_validates_and_exports(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    assert run("new", str(project)).returncode == 0
    result = run("validate", str(project))
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout
    # Drafts are left out of production but included on request.
    out = tmp_path / "bundle.json"
    assert run("export", str(project), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["guides"] == []
    assert run("export", str(project), "-o", str(out), "--include-drafts").returncode == 0
    assert [g["id"] for g in json.loads(out.read_text(encoding="utf-8"))["guides"]] == ["welcome"]
    # A second `new` into the same folder refuses instead of overwriting.
    again = run("new", str(project))
    assert again.returncode == 2 and "already" in again.stderr


def test_validate_reports_file_line_field_and_exits_1(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert run("new", str(project)).returncode == 0
    guide = project / "guides" / "welcome.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("kind: modal", "kind: popup"),
                     encoding="utf-8")
    result = run("validate", str(project))
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if "welcome.yaml" in line)
    assert line.startswith(f"{project}/guides/welcome.yaml:4:")
    assert "kind:" in line and "popup" in line and "modal" in line


def test_export_refuses_a_project_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "p"
    run("new", str(project))
    (project / "guides" / "bad.yaml").write_text("id: bad\nname: [\n", encoding="utf-8")
    out = tmp_path / "bundle.json"
    result = run("export", str(project), "-o", str(out))
    assert result.returncode == 1
    assert "bad.yaml:3" in result.stderr or "bad.yaml:2" in result.stderr
    assert not out.exists()


def test_export_of_the_example_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"b{seed}.json"
        result = run("export", str(EXAMPLE_PROJECT), "-o", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    bundle = json.loads(outputs[0])
    assert "generated_at" not in bundle
    assert bundle["checksum"].startswith("sha256:")


def test_source_date_epoch_sets_the_timestamp_reproducibly(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    env = {"SOURCE_DATE_EPOCH": "1764000000"}
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(out), env=env).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["generated_at"] == "2025-11-24T16:00:00Z"
    bad = run("export", str(EXAMPLE_PROJECT), "-o", str(out), env={"SOURCE_DATE_EPOCH": "soon"})
    assert bad.returncode == 2


@pytest.mark.parametrize("env", ["production", "staging"])
def test_environment_selects_guides_by_status(tmp_path: Path, env: str) -> None:
    out = tmp_path / "b.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(out), "--env", env).returncode == 0
    statuses = {g["status"] for g in json.loads(out.read_text(encoding="utf-8"))["guides"]}
    assert statuses == ({"live"} if env == "production" else {"live", "staged"})


def test_locale_option_limits_the_exported_text(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(out), "--locale", "ja").returncode == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["locales"] == ["ja"]
    step = bundle["guides"][0]["variants"][0]["steps"][0]
    assert list(step["html"]) == ["ja"]


def test_runtime_option_copies_the_runtime_next_to_the_bundle(tmp_path: Path) -> None:
    out = tmp_path / "site" / "bundle.json"
    result = run("export", str(EXAMPLE_PROJECT), "-o", str(out), "--runtime", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "guide-runtime.js").read_bytes() == (
        REPO_ROOT / "guidestudio" / "resources" / "runtime" / "guide-runtime.js"
    ).read_bytes()
    # The file a product serves is the minified one, with its source map beside it (the map's
    # source is the readable file); the ES-module entry and the types come along.
    shipped = REPO_ROOT / "guidestudio" / "resources" / "runtime"
    for name in ("guide-runtime.min.js", "guide-runtime.min.js.map", "guide-runtime.mjs",
                 "guide-runtime.d.ts"):
        assert (tmp_path / "site" / name).read_bytes() == (shipped / name).read_bytes(), name
    minified = (tmp_path / "site" / "guide-runtime.min.js").read_text(encoding="utf-8")
    link = minified.rstrip().rsplit("\n", 1)[-1].removeprefix("//# sourceMappingURL=")
    source_map = json.loads((tmp_path / "site" / link).read_text(encoding="utf-8"))
    assert [(tmp_path / "site" / s).is_file() for s in source_map["sources"]] == [True]


def test_diff_names_added_removed_and_changed_guides(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(old)).returncode == 0
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(new), "--env", "staging").returncode == 0
    same = run("diff", str(old), str(old), "--exit-code")
    assert same.returncode == 0 and "the same" in same.stdout
    result = run("diff", str(old), str(new), "--format", "json", "--exit-code")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["added"] and not report["removed"]
    assert {"label": "Environment", "old": "production", "new": "staging",
            "path": "environment", "headline": False} in report["settings"]


def test_diff_reads_a_changed_text_as_text_in_its_locale(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(old)).returncode == 0
    bundle = json.loads(old.read_text(encoding="utf-8"))
    guide = bundle["guides"][0]
    step = guide["variants"][0]["steps"][0]
    step["html"]["ja"] = step["html"]["ja"].replace("</h2>", "（新）</h2>")
    new = tmp_path / "new.json"
    new.write_text(json.dumps(bundle), encoding="utf-8")
    out = run("diff", str(old), str(new)).stdout
    assert f"~ {guide['name']} ({guide['id']})" in out
    assert "Step title (ja): 同じファイルを手作業で共有するのは、もう終わりにしましょう → " \
        "同じファイルを手作業で共有するのは、もう終わりにしましょう（新）" in out
    assert "1 changed, 0 added, 0 removed" in out


def test_diff_of_project_folders_and_bad_input(tmp_path: Path) -> None:
    """Folders are compiled as export would; their catalogue words the audience."""
    import shutil

    copy = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, copy)
    guide = copy / "guides" / "storage-almost-full.yaml"
    guide.write_text(guide.read_text("utf-8").replace("      $gte: 90\n", "      $gte: 85\n"),
                     "utf-8")
    result = run("diff", str(EXAMPLE_PROJECT), str(copy), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "Storage used is at least 90%" in result.stdout
    assert "Storage used is at least 85%" in result.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{}", "utf-8")
    result = run("diff", str(bad), str(copy))
    assert result.returncode == 2 and "not a Guide Studio bundle" in result.stderr
