"""Passphrase protection of packages (mã hóa gói bằng mật khẩu).

AES-256-GCM with a key from scrypt (n = 2**17, r = 8, p = 1: 128 MB and about
a second per try, which makes guessing slow). The file is a short header (magic
and the scrypt parameters, so a later version can raise them and still read
old files), the salt, the nonce and the ciphertext; the header is bound to the
ciphertext as associated data. GCM's tag means a wrong passphrase and a
modified file are both refused, never half-read. Passphrases are used in
Unicode NFC form; the cost a header may ask for is bounded as a whole.
"""

from __future__ import annotations

import os
import unicodedata

from dvdesk.exchange.manifest import PackageError

MAGIC = b"DVDESK-ENC\x01"
LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
MAX_LOG2_N = 20
# A header may ask for any parameters; bound what one try costs in total, not each
# parameter alone: memory 128·r·n bytes (≤ 256 MiB, twice ours) and work n·r·p
# (≤ twice ours, about two seconds).
MAX_MEMORY = 256 * 1024 * 1024
MAX_WORK = 2 * (2**LOG2_N) * SCRYPT_R * SCRYPT_P
_PARAMS, _SALT, _NONCE = 3, 16, 12


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def normalized(passphrase: str) -> str:
    """The form a passphrase is used in: NFC, so "ờ" typed as one or as two code points
    (keyboards and Notepad differ) is the same passphrase."""
    return unicodedata.normalize("NFC", passphrase)


def cost_allowed(log2_n: int, r: int, p: int) -> bool:
    n = 2**log2_n if 1 <= log2_n <= MAX_LOG2_N else 0
    return (
        10 <= log2_n <= MAX_LOG2_N
        and 1 <= r <= 16
        and 1 <= p <= 4
        and 128 * r * n <= MAX_MEMORY
        and n * r * p <= MAX_WORK
    )


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(normalized(passphrase).encode("utf-8"))


def _check(passphrase: str) -> None:
    if len(normalized(passphrase)) < 8:
        raise PackageError("Mật khẩu phải có ít nhất 8 ký tự.")


def encrypt(data: bytes, passphrase: str, log2_n: int | None = None) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check(passphrase)
    log2_n = log2_n or LOG2_N
    header = MAGIC + bytes((log2_n, SCRYPT_R, SCRYPT_P))
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    key = _key(passphrase, salt, log2_n, SCRYPT_R, SCRYPT_P)
    # The header is authenticated too: changing it breaks the tag.
    return header + salt + nonce + AESGCM(key).encrypt(nonce, data, header)


def decrypt(data: bytes, passphrase: str | None, source: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if passphrase is None:
        raise PackageError(
            f"Gói “{source}” được mã hóa: hãy cho mật khẩu bằng --passphrase-file "
            "hoặc biến môi trường DVDESK_PASSPHRASE."
        )
    start = len(MAGIC) + _PARAMS
    header, body = data[:start], data[start:]
    if len(body) < _SALT + _NONCE + 16:
        raise PackageError(f"Gói mã hóa “{source}” bị cắt cụt hoặc hỏng.")
    log2_n, r, p = header[len(MAGIC) :]
    if not cost_allowed(log2_n, r, p):
        raise PackageError(f"Gói mã hóa “{source}” có tham số lạ: tệp hỏng hoặc bị sửa đổi.")
    salt, nonce, sealed = body[:_SALT], body[_SALT : _SALT + _NONCE], body[_SALT + _NONCE :]
    try:
        return AESGCM(_key(passphrase, salt, log2_n, r, p)).decrypt(nonce, sealed, header)
    except InvalidTag as exc:
        raise PackageError(
            f"Không giải mã được gói “{source}”: sai mật khẩu hoặc tệp đã bị sửa đổi."
        ) from exc
