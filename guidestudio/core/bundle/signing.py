"""Ed25519 keys and signatures for bundles (``guidestudio keygen``, ``export --sign``).

The checksum detects a bundle damaged on the way; anyone who can change the file
on the CDN can recompute it. A signature made with a private key that never
leaves the release machine cannot be recomputed: the runtime, given the public
key, refuses a bundle whose signature does not verify. Ed25519 because WebCrypto
verifies it natively in every current browser (the runtime stays dependency-free)
and every language has it; the signed bytes are the canonical text the checksum
hashes (bundle_file.signed_bytes), so a verifier needs only a JCS library
(RFC 8785) and Ed25519 (docs/bundle-format.md, "Signature").
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_PREFIX = "ed25519:"
PRIVATE_KEY_FILE = "guidestudio-signing.pem"
PUBLIC_KEY_FILE = "guidestudio-signing.pub"


class SigningKeyError(ValueError):
    """A key that cannot be used, with a message that says why (for the CLI's stderr)."""


@dataclass(frozen=True)
class KeyPair:
    """What ``keygen`` wrote and what a product passes to the runtime's ``init``."""

    private_path: Path
    public_path: Path
    public_raw: str  # base64 of the 32-byte key: init({publicKey})
    public_spki: str  # base64 of its SubjectPublicKeyInfo (DER): what other tools read


def public_raw(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)).decode("ascii")


def public_spki(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)).decode("ascii")


def write_key_pair(directory: Path | str) -> KeyPair:
    """A new key pair in ``directory``: the private key as unencrypted PKCS#8 PEM, readable
    by its owner only (0600, set when the file is created, never after), and the public key
    as one line of base64 (the raw 32 bytes). Refuses to overwrite a key: losing a private
    key means re-signing for every product that pins its public key."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / PRIVATE_KEY_FILE, folder / PUBLIC_KEY_FILE
    for path in (private_path, public_path):
        if path.exists():
            raise SigningKeyError(f"{path} already exists; move it away or choose another folder "
                            f"(a product may trust the key it holds)")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    raw, spki = public_raw(key.public_key()), public_spki(key.public_key())
    public_path.write_text(raw + "\n", encoding="ascii")
    return KeyPair(private_path, public_path, raw, spki)


def load_private_key(path: Path | str) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file, or ``SigningKeyError`` saying what is wrong."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise SigningKeyError(f"{file}: no such key file (make one with `guidestudio keygen`)"
                              ) from None
    except OSError as exc:
        raise SigningKeyError(f"{file}: cannot be read ({exc.strerror or exc})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningKeyError(f"{file}: the key is protected by a passphrase; sign with an "
                              f"unencrypted key kept where only the release job can read it"
                              ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(f"{file}: not a PEM private key (expected the "
                              f"{PRIVATE_KEY_FILE} that `guidestudio keygen` writes)") from None
    if not isinstance(key, Ed25519PrivateKey):
        kind = type(key).__name__.removeprefix("_").removesuffix("PrivateKey")
        raise SigningKeyError(f"{file}: an {kind} key; bundles are signed with Ed25519 "
                              f"(`guidestudio keygen`)")
    return key


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key as the runtime takes it (base64 of the raw 32 bytes or of SPKI DER),
    or as PEM; ``SigningKeyError`` otherwise."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
        else:
            data = base64.b64decode(text, validate=True)
            key = (Ed25519PublicKey.from_public_bytes(data) if len(data) == 32
                   else serialization.load_der_public_key(data))
    except (ValueError, binascii.Error, UnsupportedAlgorithm):
        raise SigningKeyError("not an Ed25519 public key (base64 of 32 bytes, of SPKI DER, or PEM)"
                        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("not an Ed25519 public key")
    return key


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """The bundle's ``signature`` value: ``ed25519:`` and the base64 of the 64-byte signature."""
    return SIGNATURE_PREFIX + base64.b64encode(key.sign(message)).decode("ascii")


def verify(public_key: Ed25519PublicKey, signature: object, message: bytes) -> bool:
    """True when ``signature`` (a bundle's ``signature`` value) signs ``message``."""
    if not isinstance(signature, str) or not signature.startswith(SIGNATURE_PREFIX):
        return False
    try:
        public_key.verify(base64.b64decode(signature[len(SIGNATURE_PREFIX):], validate=True),
                          message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
