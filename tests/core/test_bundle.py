"""The bundle file: canonical bytes JavaScript agrees with, checksum, schema, export.

The runtime re-serialises the bundle with ``JSON.stringify`` over sorted keys to
check the checksum, so these tests ask Node itself (available in CI) rather
than trusting our reading of the ECMAScript spec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.bundle import bundle_file as bundle_io
from guidestudio.core.bundle import canonical_json, export
from guidestudio.core.bundle.compiler import compile_project
from guidestudio.core.bundle.export import export_project
from guidestudio.core.bundle.theme_css import DEFAULTS, HOST_RESET, base_css, theme_css
from guidestudio.core.files.project_io import save_project
from guidestudio.core.model import (
    Audience,
    Button,
    Experiment,
    Guide,
    Project,
    Segment,
    Settings,
    Step,
    Theme,
    Variant,
)

NODE = shutil.which("node")

# Reads JSON from stdin, prints JSON.stringify of it with keys sorted recursively.
JS_CANONICAL = """
const sort = v => Array.isArray(v) ? v.map(sort)
  : (v && typeof v === "object")
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sort(v[k])])) : v;
let d = ""; process.stdin.on("data", c => d += c).on("end", () => {
  const value = JSON.parse(d);
  const arg = process.argv[1];
  if (arg === "checksum") {
    const {checksum, ...rest} = value;
    const hex = require("crypto").createHash("sha256").update(JSON.stringify(sort(rest)), "utf8")
      .digest("hex");
    process.stdout.write("sha256:" + hex);
  } else {
    process.stdout.write(JSON.stringify(sort(value)));
  }
});
"""


def node(data: str, mode: str = "canonical") -> str:
    assert NODE is not None, "Node.js is required for the tests (see README)"
    out = subprocess.run([NODE, "-e", JS_CANONICAL, mode], input=data.encode("utf-8"),
                         capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def small_project(root: Path | None = None) -> Project:
    steps = [Step(title={"en": "Hi {{first_name|there}}", "ja": "こんにちは"},
                  body={"en": "**Upgrade** to keep uploading — 90% full."},
                  buttons=[Button({"en": "Upgrade"}, "url", url="https://acme.example/billing"),
                           Button({"en": "Not now"}, "dismiss")])]
    guide = Guide(id="storage-full", name="Storage almost full", kind="banner", status="live",
                  audience=Audience(segments=["free"],
                                    conditions={"storage_used_pct": {"$gte": 90.5}}),
                  experiment=Experiment(key="storage-banner", control_weight=0.1),
                  variants=[Variant("a", steps), Variant("b", steps, weight=2)])
    return Project(
        settings=Settings(id="acme", name="Acme Cloud", locales=["en", "ja"], theme="acme"),
        guides={guide.id: guide},
        segments={"free": Segment("free", "Free plan", {"plan": "free"})},
        themes={"acme": Theme("acme", "Acme", colors={"primary": "#0b5fff"}, radius=12)},
        root=root,
    )


def saved_project(root: Path) -> Path:
    save_project(small_project(root))
    return root


# --- canonical JSON ---------------------------------------------------------------------------

NUMBERS = [0.0, -0.0, 1.0, -1.0, 100.0, 0.1, 0.5, 1 / 3, 2 / 3, 5e-05, 1e-06, 1e-07, 1.5e-07,
           123456.789, 1e15, 1e16, 1e20, 1e21, 1.5e21, 2.0**53, 2.0**53 + 2, 2.0**60,
           1.7976931348623157e308, 5e-324, 0.225, 0.675, 90.5, 12, -7, 2**53, 2**60]


def test_js_number_formatting_examples() -> None:
    assert canonical_json.dumps([1.0, 5e-05, 1e-7, 1e21, 1e16, -0.0, 2**60]) == \
        "[1,0.00005,1e-7,1e+21,10000000000000000,0,1152921504606847000]"


def test_numbers_match_javascript() -> None:
    ours = canonical_json.dumps(NUMBERS)
    assert node(ours) == ours
    # And from Python's own JSON text (what a bundle reader would start from):
    assert node(json.dumps(NUMBERS)) == ours


def test_strings_and_key_order_match_javascript() -> None:
    value: dict[str, Any] = {
        "z": "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f nbsp \xa0",
        "a": "ja 日本語 emoji 😀 line sep \u2028 para \u2029",
        "é": {"b": [True, False, None], "a": []},
        "😀": 1, "\uffff": 2, "B": 3, "_": 4,
        "lone": "\ud800 x \udc00",
    }
    ours = canonical_json.dumps(value)
    assert node(json.dumps(value)) == ours


def test_canonical_rejects_nan_and_odd_keys() -> None:
    with pytest.raises(ValueError):
        canonical_json.dumps({"x": float("nan")})
    with pytest.raises(ValueError):
        canonical_json.dumps([float("inf")])
    with pytest.raises(TypeError):
        canonical_json.dumps({1: "x"})


def test_canonical_does_not_modify_input() -> None:
    value = {"w": [1.0, 5e-05], "n": {"x": 2.0}}
    canonical_json.dumps(value)
    assert value == {"w": [1.0, 5e-05], "n": {"x": 2.0}}
    assert isinstance(value["w"][0], float)


# --- checksum ---------------------------------------------------------------------------------


def test_finalize_and_verify() -> None:
    bundle = compile_project(small_project())
    assert bundle["checksum"].startswith("sha256:") and len(bundle["checksum"]) == 71
    assert bundle_io.verify_checksum(bundle)
    payload = {k: v for k, v in bundle.items() if k != "checksum"}
    assert bundle_io.finalize(payload) == bundle
    assert bundle["checksum"] == "sha256:" + canonical_json.sha256_hex(payload)


def test_tampering_is_detected() -> None:
    bundle = compile_project(small_project())
    html = bundle["guides"][0]["variants"][0]["steps"][0]["html"]
    tampered = json.loads(json.dumps(bundle))
    tampered["guides"][0]["variants"][0]["steps"][0]["html"]["en"] = html["en"].replace(
        "Upgrade", "Upgrade!")
    assert not bundle_io.verify_checksum(tampered)
    reweighted = json.loads(json.dumps(bundle))
    reweighted["guides"][0]["experiment"]["weights"][0] = 0.0
    assert not bundle_io.verify_checksum(reweighted)
    assert not bundle_io.verify_checksum({k: v for k, v in bundle.items() if k != "checksum"})
    assert not bundle_io.verify_checksum("not a bundle")


def test_javascript_computes_the_same_checksum(tmp_path: Path) -> None:
    bundle = compile_project(small_project(), generated_at="2026-01-01T00:00:00Z")
    text = bundle_io.dumps(bundle)
    assert node(text, "checksum") == bundle["checksum"]


# --- schema and file ---------------------------------------------------------------------------


def test_compiled_bundle_validates_and_broken_one_does_not() -> None:
    bundle = compile_project(small_project())
    assert bundle_io.validate_bundle(bundle) == []
    broken = json.loads(json.dumps(bundle))
    del broken["guides"][0]["variants"][0]["steps"][0]["html"]
    broken["format_version"] = 2
    errors = bundle_io.validate_bundle(broken)
    assert any(e.startswith("format_version:") for e in errors)
    assert any("guides[0].variants[0].steps[0]" in e and "html" in e for e in errors)


def test_write_bundle_writes_canonical_bytes(tmp_path: Path) -> None:
    bundle = compile_project(small_project())
    path = tmp_path / "out" / "bundle.json"
    size = bundle_io.write_bundle(bundle, path)
    data = path.read_bytes()
    assert size == len(data)
    assert data == (canonical_json.dumps(bundle) + "\n").encode("utf-8")
    assert "こんにちは" in data.decode("utf-8")  # non-ASCII written as is
    reread = json.loads(data)
    assert reread == bundle and bundle_io.verify_checksum(reread)
    assert [p.name for p in path.parent.iterdir()] == ["bundle.json"]  # no temp files left


def test_write_bundle_refuses_invalid_and_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text("old\n")
    bundle = compile_project(small_project())
    bad = dict(bundle, environment="moon")
    with pytest.raises(bundle_io.InvalidBundle) as info:
        bundle_io.write_bundle(bad, path)
    assert any("environment" in e for e in info.value.errors)
    stale = dict(bundle, timezone="Asia/Tokyo")  # content changed, checksum not
    with pytest.raises(bundle_io.InvalidBundle):
        bundle_io.write_bundle(stale, path)
    assert path.read_text() == "old\n"


# --- export ------------------------------------------------------------------------------------


def test_export_writes_a_valid_deterministic_bundle(tmp_path: Path) -> None:
    root = saved_project(tmp_path / "project")
    calls: list[tuple[int, int]] = []
    first = export_project(root, tmp_path / "a.json", environment="production",
                           progress=lambda done, total: calls.append((done, total)))
    assert first.ok, [p.format() for p in first.problems]
    assert first.guide_count == 1 and calls == [(1, 1)]
    assert first.path == tmp_path / "a.json"
    assert first.size_bytes == (tmp_path / "a.json").stat().st_size
    assert first.checksum == first.bundle["checksum"]
    assert export_project(root, tmp_path / "b.json", environment="production").ok
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert "generated_at" not in json.loads((tmp_path / "a.json").read_text())


def test_export_timestamp_and_source_date_epoch(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = saved_project(tmp_path / "project")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    stamped = export_project(root, None, timestamp=True)
    assert stamped.ok and "generated_at" in stamped.bundle
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    fixed = export_project(root, None)
    assert fixed.bundle["generated_at"] == "2026-01-01T00:00:00Z"
    given = export_project(root, None, generated_at="2026-02-03T04:05:06Z")
    assert given.bundle["generated_at"] == "2026-02-03T04:05:06Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert not export_project(root, None).ok


def test_export_refuses_a_project_with_errors(tmp_path: Path) -> None:
    root = saved_project(tmp_path / "project")
    (root / "guides" / "broken.yaml").write_text("schema_version: 1\nid: broken\nkind: [\n")
    out = tmp_path / "bundle.json"
    result = export_project(root, out)
    assert not result.ok and result.bundle is None
    assert any(p.file == "guides/broken.yaml" and p.line for p in result.problems)
    assert not out.exists()


def test_export_rejects_unknown_locale(tmp_path: Path) -> None:
    root = saved_project(tmp_path / "project")
    result = export_project(root, None, locales=["fr"])
    assert not result.ok
    assert any("fr" in p.message for p in result.problems)
    assert export_project(root, None, locales=["ja"]).bundle["locales"] == ["ja"]


def test_export_copies_the_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "guide-runtime.js").write_text("/* runtime */\n")
    (runtime / "guide-runtime.d.ts").write_text("export {};\n")
    monkeypatch.setattr(export, "RUNTIME_DIR", runtime)
    root = saved_project(tmp_path / "project")
    # a runtime that does not say its version cannot become a package: a problem, not a crash
    result = export_project(root, tmp_path / "site" / "bundle.json",
                            runtime_dir=tmp_path / "site")
    assert not result.ok
    assert [p.message for p in result.problems if p.code == "runtime"] == [
        "runtime: the runtime source does not declare its version"]
    (runtime / "guide-runtime.js").write_text("/* runtime */\n  version: '2.3.4',\n")
    result = export_project(root, tmp_path / "site" / "bundle.json",
                            runtime_dir=tmp_path / "site")
    assert result.ok
    assert (tmp_path / "site" / "guide-runtime.js").read_text().startswith("/* runtime */\n")
    assert (tmp_path / "site" / "guide-runtime.d.ts").exists()
    package = json.loads((tmp_path / "site" / "package.json").read_text())
    assert (package["name"], package["version"]) == ("@guidestudio/runtime", "2.3.4")
    assert package["files"] == ["guide-runtime.d.ts", "guide-runtime.js"]  # what was copied


def test_export_staging_and_drafts(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    project.guides["storage-full"].status = "draft"
    save_project(project)
    assert export_project(project.root, None).guide_count == 0
    preview = export_project(project.root, None, include_drafts=True)
    assert preview.guide_count == 1 and preview.bundle["environment"] == "preview"
    with pytest.raises(ValueError):
        export_project(project.root, None, environment="moon")


# --- theme CSS -----------------------------------------------------------------------------------


def test_theme_css_blocks_sorted_with_defaults() -> None:
    themes = {
        "zebra": Theme("zebra", "Z", colors={"primary": "#000"}, font={"size": 16}),
        "acme": Theme("acme", "A", colors={"primary": "rgb(11, 95, 255)", "text": "navy"},
                      radius=4.5, shadow="0 1px 2px rgba(0,0,0,.2)", z_index=1000,
                      font={"family": "Inter, \"Helvetica Neue\", sans-serif",
                            "heading_weight": 700}),
    }
    css = theme_css(themes, "default")
    assert css.startswith(HOST_RESET + base_css())
    blocks = css[len(HOST_RESET + base_css()):]
    assert blocks.index(".gs-theme-acme") < blocks.index(".gs-theme-default") \
        < blocks.index(".gs-theme-zebra")
    acme = blocks[blocks.index(".gs-theme-acme"):blocks.index("}")]
    assert "--gs-primary: rgb(11, 95, 255);" in acme and "--gs-text: navy;" in acme
    assert "--gs-radius: 4.5px;" in acme and "--gs-z: 1000;" in acme
    assert "--gs-heading-weight: 700;" in acme
    assert f"--gs-surface: {DEFAULTS['--gs-surface']};" in acme
    for prop, value in DEFAULTS.items():  # base.css declares the same defaults
        assert f"{prop}: {value};" in base_css()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("colors", {"primary": "red;}</style><script>alert(1)</script>"}),
        ("colors", {"primary": "rgb(1,2,3"}),
        ("shadow", "0 0 1px (((("),
        ("shadow", "0 0 1px red} body{display:none"),
        ("font", {"family": "'Inter"}),
        ("font", {"family": "x;}\n.gs-root{color:red"}),
        ("font", {"size": float("inf")}),
        ("radius", -5),
        ("z_index", True),
    ],
)
def test_theme_values_cannot_break_out(field: str, value: Any) -> None:
    theme = Theme("evil", "Evil", **{field: value})
    block = theme_css({"evil": theme}, None, base="").removeprefix(HOST_RESET)
    assert block.count("{") == 1 and block.count("}") == 1
    assert "<" not in block and "script" not in block
    assert block.count(";") == len(DEFAULTS)
    assert block.count("(") == block.count(")")


def test_bundle_checksum_survives_a_json_round_trip(tmp_path: Path) -> None:
    result = export_project(saved_project(tmp_path / "p"), tmp_path / "b.json")
    assert result.ok
    reread = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert bundle_io.verify_checksum(reread)
    assert bundle_io.dumps(reread) == (tmp_path / "b.json").read_text(encoding="utf-8")
    assert os.path.getsize(tmp_path / "b.json") == result.size_bytes
