"""``guidestudio keygen`` and ``export --sign`` as a release job runs them: real processes, real
key files, and the signature checked by an independent reader of the format (JCS from the
``rfc8785`` package, Ed25519 from ``cryptography``), as docs/bundle-format.md tells any language
to do it."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tests.cli.test_cli import run
from tests.conftest import EXAMPLE_PROJECT


def keygen(folder: Path) -> tuple[Path, str]:
    result = run("keygen", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    public = (folder / "guidestudio-signing.pub").read_text("ascii").strip()
    assert f"publicKey: '{public}'" in result.stdout
    return folder / "guidestudio-signing.pem", public


def verify_as_any_language_would(path: Path, public: str) -> None:
    """Parse, drop ``checksum`` and ``signature``, JCS, then SHA-256 and Ed25519 over those bytes."""
    bundle = json.loads(path.read_text("utf-8"))
    signature = bundle.pop("signature")
    checksum = bundle.pop("checksum")
    message = rfc8785.dumps(bundle)
    assert checksum == "sha256:" + hashlib.sha256(message).hexdigest()
    assert signature.startswith("ed25519:")
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
    key.verify(base64.b64decode(signature.removeprefix("ed25519:")), message)  # raises if not


def test_keygen_writes_a_private_key_only_its_owner_reads_and_the_public_key(tmp_path: Path) -> None:
    private, public = keygen(tmp_path / "keys")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text("ascii").startswith("-----BEGIN PRIVATE KEY-----")
    assert len(base64.b64decode(public)) == 32
    again = run("keygen", "-o", str(tmp_path / "keys"))  # never overwrites a key
    assert again.returncode == 2 and "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_export_sign_writes_a_signature_any_language_can_verify(tmp_path: Path) -> None:
    private, public = keygen(tmp_path / "keys")
    signed, unsigned = tmp_path / "signed.json", tmp_path / "unsigned.json"
    result = run("export", str(EXAMPLE_PROJECT), "-o", str(signed), "--sign", str(private))
    assert result.returncode == 0, result.stderr
    assert "signed" in result.stdout
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(unsigned)).returncode == 0
    verify_as_any_language_would(signed, public)
    a, b = json.loads(signed.read_text("utf-8")), json.loads(unsigned.read_text("utf-8"))
    assert a.pop("signature") and "signature" not in b
    assert a == b  # the signature is all that signing adds; the checksum is the same
    again = tmp_path / "again.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(again), "--sign", str(private)
               ).returncode == 0
    assert again.read_bytes() == signed.read_bytes()  # deterministic, signature included


def test_a_changed_bundle_no_longer_verifies(tmp_path: Path) -> None:
    private, public = keygen(tmp_path / "keys")
    signed = tmp_path / "signed.json"
    assert run("export", str(EXAMPLE_PROJECT), "-o", str(signed), "--sign", str(private)
               ).returncode == 0
    bundle = json.loads(signed.read_text("utf-8"))
    bundle["guides"][0]["priority"] += 1
    signed.write_text(json.dumps(bundle), "utf-8")
    try:
        verify_as_any_language_would(signed, public)
    except (InvalidSignature, AssertionError):
        return
    raise AssertionError("a changed bundle still verified")


def test_unusable_keys_are_usage_errors_that_say_why(tmp_path: Path) -> None:
    keygen(tmp_path / "keys")
    ec = tmp_path / "ec.pem"
    ec.write_bytes(generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    locked = tmp_path / "locked.pem"
    locked.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret")))
    cases = {tmp_path / "missing.pem": "no such key file",
             tmp_path / "keys" / "guidestudio-signing.pub": "not a PEM private key",
             ec: "bundles are signed with Ed25519",
             locked: "protected by a passphrase"}
    out = tmp_path / "b.json"
    for key, words in cases.items():
        result = run("export", str(EXAMPLE_PROJECT), "-o", str(out), "--sign", str(key))
        assert result.returncode == 2, (key, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert not out.exists()
