"""``guidestudio check``: guide CI on the demo app served over HTTP, in the real engine.

One local server (a thread with ``http.server``) serves the demo app for every
path, so the example's ``/files/**`` guides match; ``?renamed`` serves it with the
share button's id changed, as a product's refactoring would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage

if QCoreApplication.instance() is None:  # QtWebEngine asks for it before the app exists
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from guidestudio.cli import main  # noqa: E402
from guidestudio.core.guide_check import StepToCheck, anchor_reason, fit_reason  # noqa: E402
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT  # noqa: E402
from tests.http_support import QuietHandler, serving

DEMO = (REPO_ROOT / "guidestudio" / "resources" / "preview" / "demo-app.html").read_text("utf-8")
RENAMED = DEMO.replace('id="share-button"', 'id="share-btn"')


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    assert RENAMED != DEMO

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = (RENAMED if "renamed" in self.path else DEMO).encode("utf-8")
            self.send(200, "text/html; charset=utf-8", body)

    with serving(Handler, "guide-ci-site") as url:
        yield url


def test_the_demo_app_passes(site: str, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["check", str(EXAMPLE_PROJECT), "--base-url", site, "--host", "/files",
                 "--device", "laptop", "--device", "phone", "--locale", "en", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["failures"]
    assert report["ok"] and report["devices"] == ["laptop", "phone"]
    # The tour, the banner on /files/** and the others ran, step by step, at both sizes.
    assert {"trial-conversion-tour", "storage-almost-full"} <= set(report["guides"])
    assert report["checks"] > 20


def test_a_renamed_element_is_reported_with_a_screenshot(site: str, tmp_path: Path, qapp,
                                                         capsys) -> None:  # type: ignore[no-untyped-def]
    shots = tmp_path / "shots"
    code = main(["check", str(EXAMPLE_PROJECT), "--host", f"{site}/files?renamed",
                 "--device", "phone", "--locale", "en", "--png", str(shots)])
    out = capsys.readouterr().out
    assert code == 1
    rows = [line for line in out.splitlines() if "#share-button" in line]
    # Both variants of the tour have the share step (2nd of "short", 3rd of "full").
    assert len(rows) == 2, out
    assert all("Trial conversion tour (trial-conversion-tour)" in r and "phone" in r
               and "no element matches; the runtime waits 5 s for it, then skips the step" in r
               for r in rows)
    assert "short · 2 (share)" in rows[0] + rows[1] and "full · 3 (share)" in rows[0] + rows[1]
    assert out.startswith("2 failures in ")
    pictures = sorted(shots.glob("*.png"))
    assert len(pictures) == 2 and all("share" in p.name for p in pictures)
    assert (QImage(str(pictures[0])).width(), QImage(str(pictures[0])).height()) == (390, 844)


def test_usage_errors(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", str(EXAMPLE_PROJECT), "--host", "/files"]) == 2
    assert "--base-url" in capsys.readouterr().err
    assert main(["check", str(EXAMPLE_PROJECT), "--host", "http://x.test/", "--locale", "fr"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", str(EXAMPLE_PROJECT)])  # no --host
    assert exc.value.code == 2


def _step(**kw: object) -> StepToCheck:
    return StepToCheck(**{"guide_id": "g", "guide_name": "G", "variant": "a", "index": 0,
                          "step_id": "s", "layout": "tooltip", "selector": "#x", **kw})


def test_what_the_page_answers_means() -> None:
    assert anchor_reason({"count": 1, "boxes": [{"w": 10, "h": 10}]}) is None
    assert anchor_reason({"count": 0, "boxes": []}) == "no element matches"
    assert "not rendered" in anchor_reason({"count": 2, "boxes": []}, "then")  # type: ignore[operator]
    assert anchor_reason({"count": 2, "boxes": [{"w": 1, "h": 1}, {"w": 1, "h": 1}]}) == \
        "2 rendered elements match (exactly one expected); the runtime takes the first"
    assert "no size (0×12 px)" in anchor_reason({"count": 1, "boxes": [{"w": 0, "h": 12}]})  # type: ignore[operator]
    assert "invisible" in anchor_reason({"count": 1, "boxes": [{"w": 5, "h": 5, "hidden": True}]})  # type: ignore[operator]
    assert "not valid CSS" in anchor_reason({"invalid": True})  # type: ignore[operator]
    viewport = {"vw": 390, "vh": 844, "overflow": 0}
    assert fit_reason(_step(), {"x": 12, "y": 12, "w": 366, "h": 300, **viewport}) is None
    assert fit_reason(_step(), {"x": 100, "y": 700, "w": 366, "h": 300, **viewport}) == (
        "the step (366×300 px) does not fit the 390×844 viewport: 76 px past the right edge, "
        "156 px below the bottom")
    assert "scrolling inside the step" in fit_reason(  # type: ignore[operator]
        _step(), {"x": 0, "y": 0, "w": 300, "h": 300, **viewport, "overflow": 40})
    assert fit_reason(_step(), None) == "the runtime did not show the step"
    assert _step(if_missing="modal").without_anchor.endswith("as a centred modal instead")


def test_a_step_too_long_for_the_phone_is_reported(site: str, tmp_path: Path, qapp,
                                                   capsys) -> None:  # type: ignore[no-untyped-def]
    """The fit check in the engine: a modal whose body outgrows a phone's height."""
    import shutil

    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    for path in (root / "guides").glob("*.yaml"):
        if path.stem != "win-back-inactive":
            path.unlink()
    guide = root / "guides" / "win-back-inactive.yaml"
    text = guide.read_text("utf-8")
    first = "        Welcome back, {{first_name|there}}."
    assert first in text
    long = "        Sync is faster now.\n\n" * 40
    guide.write_text(text.replace(first, long + first, 1), "utf-8")
    assert main(["check", str(root), "--host", f"{site}/files", "--device", "phone",
                 "--device", "desktop", "--locale", "en", "--format", "json"]) == 1
    failures = json.loads(capsys.readouterr().out)["failures"]
    assert [(f["guide_id"], f["device"], f["step"]) for f in failures] == [  # devices in order
        ("win-back-inactive", "phone", "1 (sync-rebuilt)"),
        ("win-back-inactive", "desktop", "1 (sync-rebuilt)")]
    assert all("only show by scrolling inside the step" in f["reason"] for f in failures)
