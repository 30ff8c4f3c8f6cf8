"""Signed bundles in the real web engine (issue 17, item 2): a product that passes the public key
to ``init`` gets its guides only from a bundle whose Ed25519 signature verifies, checked with
WebCrypto before anything is used; an unsigned, tampered or re-signed bundle is refused with a
``runtime_error`` and shows nothing. Without a key the runtime behaves as before.

Bundles are signed by the real ``export --sign`` code path (``bundle_file.finalize`` with a key
``keygen`` wrote), so Python signs and the browser verifies: the cross-language contract of
docs/bundle-format.md.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from guidestudio.core.bundle import bundle_file as bundle_io
from guidestudio.core.bundle import signing
from tests.runtime.conftest import NOW_MS, GuidePage, history_of

Bundle = dict[str, Any]
Profiles = dict[str, dict[str, Any]]
PROFILE = "emma-free-storage-full"  # the storage banner shows to her on /files


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ours = signing.write_key_pair(tmp_path_factory.mktemp("ours"))
    theirs = signing.write_key_pair(tmp_path_factory.mktemp("theirs"))
    return {"public": ours.public_raw, "private": signing.load_private_key(ours.private_path),
            "other": signing.load_private_key(theirs.private_path)}


@pytest.fixture(scope="module")
def signed(example_bundle: Bundle, keys: dict[str, Any]) -> Bundle:
    bundle = bundle_io.finalize(example_bundle, keys["private"])
    assert bundle["checksum"] == example_bundle["checksum"]  # the signature is outside it
    return bundle


def start(browser: GuidePage, bundle: Bundle, profiles: Profiles, key: str | None) -> None:
    """Start the runtime as a product would (``GuidePage.start``), with ``publicKey`` when
    given; ``window.__atInit`` records whether a guide was on screen when ``init`` returned."""
    browser.load("/files")
    profile = profiles[PROFILE]
    if key is None:
        browser.start(bundle, profile["attributes"], history=history_of(profile))
        return
    browser.page.runJavaScript(browser.runtime.read_text(encoding="utf-8"), 0)
    storage_key = "guidestudio:" + bundle["project"]["id"]
    browser.run(f"localStorage.setItem({json.dumps(storage_key)},"
                f" {json.dumps(json.dumps(history_of(profile)))});")
    browser.run(f"window.__now = {NOW_MS}; window.__events = [];"
                f"window.gs = GuideStudio.init({{bundle: {json.dumps(bundle)},"
                f" user: {json.dumps(profile['attributes'])}, locale: 'en',"
                f" publicKey: {json.dumps(key)}, now: () => window.__now,"
                " onEvent: (name, props) => window.__events.push([name, props])});"
                "window.__atInit = !!document.querySelector('.gs-root');")


def settled(browser: GuidePage) -> None:
    """Verification is over: a guide showed or the bundle was refused."""
    browser.wait_for("document.querySelector('.gs-root') || window.__events.some("
                     "(e) => e[0] === 'runtime_error')")


def test_a_bundle_signed_with_the_products_key_shows_its_guides(
        browser: GuidePage, signed: Bundle, profiles: Profiles, keys: dict[str, Any]) -> None:
    start(browser, signed, profiles, keys["public"])
    assert browser.js("window.__atInit") is False  # nothing before the signature is checked
    settled(browser)
    assert "runtime_error" not in browser.names()
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"
    assert "guide_shown" in browser.names()


def _tampered(bundle: Bundle) -> Bundle:
    """What an attacker on the CDN would do: change a text and recompute the checksum."""
    out = copy.deepcopy(bundle)
    for guide in out["guides"]:
        for variant in guide["variants"]:
            for step in variant["steps"]:
                step["html"] = {k: v.replace("</h2>", " — pay at evil.example</h2>")
                                for k, v in step["html"].items()}
    out["checksum"] = bundle_io.compute_checksum(out)
    assert bundle_io.verify_checksum(out)
    return out


def _unsigned(bundle: Bundle) -> Bundle:
    return {k: v for k, v in bundle.items() if k != "signature"}


CASES = {
    "tampered": (lambda b, k: _tampered(b), "bundle refused: signature: does not match"),
    "unsigned": (lambda b, k: _unsigned(b), "bundle refused: signature: unsigned"),
    "another key": (lambda b, k: bundle_io.finalize(b, k["other"]),
                    "bundle refused: signature: does not match"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_unsigned_tampered_or_re_signed_bundle_is_refused_with_a_runtime_error(
        browser: GuidePage, signed: Bundle, profiles: Profiles, keys: dict[str, Any],
        case: str) -> None:
    make, message = CASES[case]
    bad = make(signed, keys)
    assert bundle_io.verify_checksum(bad)  # only the signature can tell
    start(browser, bad, profiles, keys["public"])
    settled(browser)
    errors = [p for n, p in browser.events() if n == "runtime_error"]
    assert [e["message"] for e in errors] == [message]
    assert browser.js("document.querySelector('.gs-root')") is None
    assert any(message in m for m in browser.page.console)
    browser.run("gs.page(); gs.track('file_shared'); gs.show('storage-almost-full');")
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("gs.decide('storage-almost-full')") is None
    assert browser.names() == ["runtime_error"]
    browser.click("#nav-reports")  # the product still works
    assert browser.js("document.getElementById('section-reports').hidden") is False


def test_without_a_key_a_bundle_shows_at_once_signed_or_not(
        browser: GuidePage, signed: Bundle, example_bundle: Bundle, profiles: Profiles) -> None:
    for bundle in (signed, example_bundle):
        start(browser, bundle, profiles, None)
        # synchronous, as before: on screen when init returns
        assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") \
            == "storage-almost-full"
        browser.run("gs.destroy(); localStorage.clear();")


def test_a_bad_public_key_refuses_the_bundle_with_a_runtime_error(
        browser: GuidePage, signed: Bundle, profiles: Profiles) -> None:
    start(browser, signed, profiles, "not a key!")
    settled(browser)
    errors = [p["message"] for n, p in browser.events() if n == "runtime_error"]
    assert len(errors) == 1 and errors[0].startswith("bundle refused: signature: ")
    assert browser.js("document.querySelector('.gs-root')") is None


def test_update_with_a_re_signed_bundle_keeps_the_verified_one(
        browser: GuidePage, signed: Bundle, profiles: Profiles, keys: dict[str, Any]) -> None:
    start(browser, signed, profiles, keys["public"])
    settled(browser)
    browser.run(f"gs.update({json.dumps(_tampered(signed))});")
    browser.wait_for("window.__events.some((e) => e[0] === 'runtime_error')")
    assert "pay at evil.example" not in (browser.text(".gs-step .gs-title") or "")
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"
