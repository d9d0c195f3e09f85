"""Passphrase protection of packages (mã hóa gói bằng mật khẩu).

AES-256-GCM with a key from scrypt (n = 2**17, r = 8, p = 1: 128 MB and about
a second per try, which makes guessing slow). The file is a short header (magic
and the scrypt parameters, so a later version can raise them and still read
old files), the salt, the nonce and the ciphertext; the header is bound to the
ciphertext as associated data. GCM's tag means a wrong passphrase and a
modified file are both refused, never half-read.
"""

from __future__ import annotations

import os

from dvdesk.exchange.manifest import PackageError

MAGIC = b"DVDESK-ENC\x01"
LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
MAX_LOG2_N = 20  # refuse a header that would ask for gigabytes of memory
_PARAMS, _SALT, _NONCE = 3, 16, 12


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def _check(passphrase: str) -> None:
    if len(passphrase) < 8:
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
    if not (10 <= log2_n <= MAX_LOG2_N and 1 <= r <= 16 and 1 <= p <= 4):
        raise PackageError(f"Gói mã hóa “{source}” có tham số lạ: tệp hỏng hoặc bị sửa đổi.")
    salt, nonce, sealed = body[:_SALT], body[_SALT : _SALT + _NONCE], body[_SALT + _NONCE :]
    try:
        return AESGCM(_key(passphrase, salt, log2_n, r, p)).decrypt(nonce, sealed, header)
    except InvalidTag as exc:
        raise PackageError(
            f"Không giải mã được gói “{source}”: sai mật khẩu hoặc tệp đã bị sửa đổi."
        ) from exc
