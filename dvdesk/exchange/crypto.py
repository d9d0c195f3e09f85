"""Passphrase protection of packages (mã hóa gói bằng mật khẩu).

AES-256-GCM with a key from scrypt (n = 2**17, r = 8, p = 1: about 128 MB and
a few tenths of a second per try, which makes guessing slow). The file is a
short header, the salt, the nonce and the ciphertext; GCM's tag means a wrong
passphrase and a modified file are both refused, never half-read.
"""

from __future__ import annotations

import os

from dvdesk.exchange.manifest import PackageError

MAGIC = b"DVDESK-ENC\x01"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_SALT, _NONCE = 16, 12


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def _check(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise PackageError("Mật khẩu phải có ít nhất 8 ký tự.")


def encrypt(data: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check(passphrase)
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    # The header is authenticated too: changing it breaks the tag.
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


def decrypt(data: bytes, passphrase: str | None, source: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if passphrase is None:
        raise PackageError(
            f"Gói “{source}” được mã hóa: hãy cho mật khẩu bằng --passphrase-file "
            "hoặc biến môi trường DVDESK_PASSPHRASE."
        )
    body = data[len(MAGIC):]
    if len(body) < _SALT + _NONCE + 16:
        raise PackageError(f"Gói mã hóa “{source}” bị cắt cụt hoặc hỏng.")
    salt, nonce, sealed = body[:_SALT], body[_SALT:_SALT + _NONCE], body[_SALT + _NONCE:]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, sealed, MAGIC)
    except InvalidTag as exc:
        raise PackageError(
            f"Không giải mã được gói “{source}”: sai mật khẩu hoặc tệp đã bị sửa đổi."
        ) from exc
