"""Signed packages (chữ ký số của gói dữ liệu): Ed25519 over the manifest.

Each data file has its own key (store.packages.signing_key). A package's
manifest.json names the signer's public key and the SHA-256 of every other
file; manifest.sig is the Ed25519 signature of manifest.json's exact bytes.
So a changed file breaks its hash, a recomputed hash breaks the signature,
and a package re-signed with another key shows another key: the receiving
level compares it with the key it recorded on the commune's first package
(checked in merge.py). The short fingerprint is what two officers read to
each other on the phone.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dvdesk.exchange.manifest import MANIFEST_FILE, PackageError

SIGNATURE_FILE = "manifest.sig"
ALGORITHM = "Ed25519"
_GROUPS, _GROUP = 4, 4  # ABCD-EFGH-JKLM-NPQR: 80 bits, read aloud in under a minute


def fingerprint(public_key: bytes) -> str:
    """A short code for the key: 16 base32 letters and digits in groups of four."""
    text = base64.b32encode(hashlib.sha256(public_key).digest()[:10]).decode()
    return "-".join(text[i : i + _GROUP] for i in range(0, _GROUPS * _GROUP, _GROUP))


def normalize_fingerprint(text: str) -> str:
    """The fingerprint an officer typed, in canonical form ('' when it cannot be one)."""
    raw = re.sub(r"[\s\-–.]", "", text).upper()
    if not re.fullmatch(r"[A-Z2-7]{16}", raw):
        return ""
    return "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))


def encode_key(public_key: bytes) -> str:
    return base64.b64encode(public_key).decode("ascii")


def public_key_of(private_key: bytes) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign(private_key: bytes, manifest_bytes: bytes) -> bytes:
    """The content of manifest.sig for these manifest bytes."""
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(manifest_bytes)
    body = {"algorithm": ALGORITHM, "signature": base64.b64encode(signature).decode("ascii")}
    return json.dumps(body, sort_keys=True).encode()


def signed_zip(private_key: bytes, manifest_bytes: bytes, files: dict[str, bytes]) -> bytes:
    """The zip of the manifest, its signature (manifest.sig) and the files, in that order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_FILE, manifest_bytes)
        archive.writestr(SIGNATURE_FILE, sign(private_key, manifest_bytes))
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def manifest_key(manifest_bytes: bytes, source: str) -> bytes:
    """The signer's public key named in a manifest (before the manifest is trusted)."""
    try:
        raw = json.loads(manifest_bytes.decode("utf-8"))
        text = raw["signing_key"] if isinstance(raw, dict) else None
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError) as exc:
        raise _unsigned(source) from exc
    key = _b64(text, 32)
    if key is None:
        raise _unsigned(source)
    return key


def verify(manifest_bytes: bytes, signature_file: bytes | None, source: str) -> bytes:
    """Check manifest.sig against the key the manifest names; that key (32 bytes).

    Raises:
        PackageError: unsigned, malformed or bad signature.
    """
    if signature_file is None:
        raise _unsigned(source)
    public_key = manifest_key(manifest_bytes, source)
    try:
        body = json.loads(signature_file.decode("utf-8"))
        algorithm = body.get("algorithm") if isinstance(body, dict) else None
        signature = _b64(body.get("signature") if isinstance(body, dict) else None, 64)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(source) from exc
    if algorithm != ALGORITHM or signature is None:
        raise _bad(source)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, manifest_bytes)
    except (InvalidSignature, ValueError) as exc:
        raise _bad(source) from exc
    return public_key


def _b64(text: object, length: int) -> bytes | None:
    if not isinstance(text, str) or len(text) > 200:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return data if len(data) == length else None


def _unsigned(source: str) -> PackageError:
    return PackageError(
        f"Gói “{source}” không có chữ ký số: không gộp gói không ký (có thể do phiên bản "
        "dvdesk cũ tạo hoặc đã bị sửa). Hãy đề nghị xã cập nhật dvdesk và xuất lại gói."
    )


def _bad(source: str) -> PackageError:
    return PackageError(
        f"Gói “{source}” có chữ ký số không hợp lệ: gói đã bị sửa đổi sau khi xã ký. "
        "Không gộp; hãy xin xã gửi lại gói."
    )
