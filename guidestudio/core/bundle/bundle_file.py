"""The bundle as a file: checksum, signature, schema validation, canonical bytes on disk.

The checksum lets the runtime (and a release engineer) detect a bundle that was
edited or truncated after export: it is ``sha256:`` + the SHA-256 of the
canonical JSON of everything but the ``checksum`` and ``signature`` keys, which
the runtime can recompute with ``JSON.stringify`` over sorted keys (see
canonical_json). ``export --sign`` adds an Ed25519 signature over the same bytes
(signing.py), which only the private key's holder can make.
Writing validates first, so an invalid bundle never reaches a product.
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidestudio.core.bundle import canonical_json, signing
from guidestudio.core.files import atomic, schemas

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

CHECKSUM_KEY = "checksum"
CHECKSUM_PREFIX = "sha256:"
SIGNATURE_KEY = "signature"


class InvalidBundle(ValueError):
    """The bundle does not match schemas/bundle.schema.json or its checksum."""

    def __init__(self, errors: list[str]):
        super().__init__("invalid bundle: " + "; ".join(errors[:5])
                         + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""))
        self.errors = errors


def _payload(bundle: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in bundle.items() if k != CHECKSUM_KEY and k != SIGNATURE_KEY}


def compute_checksum(bundle: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    for piece in canonical_json.iter_dumps(_payload(bundle)):
        digest.update(piece.encode("utf-8"))
    return CHECKSUM_PREFIX + digest.hexdigest()


def signed_bytes(bundle: dict[str, Any]) -> bytes:
    """What the checksum hashes and the signature signs: the UTF-8 canonical JSON (RFC 8785)
    of the bundle without ``checksum`` and ``signature``. Whole, because Ed25519 reads its
    message twice; only a signed export holds it."""
    return "".join(canonical_json.iter_dumps(_payload(bundle))).encode("utf-8")


def finalize(payload: dict[str, Any], key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """The payload with its ``checksum`` added, and its ``signature`` when a private ``key``
    is given (a stale checksum or signature is replaced, or dropped)."""
    bundle = _payload(payload)
    if key is None:
        bundle[CHECKSUM_KEY] = compute_checksum(bundle)
        return bundle
    message = signed_bytes(bundle)
    bundle[CHECKSUM_KEY] = CHECKSUM_PREFIX + hashlib.sha256(message).hexdigest()
    bundle[SIGNATURE_KEY] = signing.sign(key, message)
    return bundle


def verify_signature(bundle: Any, public_key: Ed25519PublicKey) -> bool:
    """True when the bundle carries a signature that ``public_key`` verifies over its content
    (what the runtime checks when a product passes ``publicKey``)."""
    if not isinstance(bundle, dict):
        return False
    try:
        message = signed_bytes(bundle)
    except (TypeError, ValueError):
        return False
    return signing.verify(public_key, bundle.get(SIGNATURE_KEY), message)


def verify_checksum(bundle: Any) -> bool:
    """True when the bundle's checksum matches its content."""
    if not isinstance(bundle, dict) or not isinstance(bundle.get(CHECKSUM_KEY), str):
        return False
    try:
        return bundle[CHECKSUM_KEY] == compute_checksum(bundle)
    except (TypeError, ValueError):
        return False


def validate_bundle(bundle: Any) -> list[str]:
    """Schema errors as ``path: message`` lines; empty when the bundle is valid."""
    if schemas.is_valid("bundle", bundle):
        return []
    return [
        f"{schemas.format_path(path) or '(bundle)'}: {message}"
        for path, message in schemas.validate("bundle", bundle)
    ]


def dumps(bundle: dict[str, Any]) -> str:
    """The file's text: canonical JSON and a trailing newline."""
    return canonical_json.dumps(bundle) + "\n"


def write_bundle(bundle: dict[str, Any], path: Path | str) -> int:
    """Validate, then write atomically; returns the number of bytes written.

    Raises ``InvalidBundle`` (and writes nothing) when the bundle does not match
    the schema or its checksum.
    """
    errors = validate_bundle(bundle)
    if errors:
        raise InvalidBundle(errors)
    if not verify_checksum(bundle):
        raise InvalidBundle(["checksum: does not match the bundle's content"])
    pieces = canonical_json.iter_dumps(bundle)
    chunks = (piece.encode("utf-8") for piece in itertools.chain(pieces, ("\n",)))
    return atomic.write_chunks(Path(path), chunks)
