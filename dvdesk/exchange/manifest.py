"""The manifest of a commune package (manifest.json): who, when, what, checksums."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from dvdesk.errors import KnownError

FORMAT_NAME = "dvdesk-goi-du-lieu-xa"
# major.minor: a newer minor reads; a newer major is refused. 1.1: members.csv has the
# office fields (domain/fields.py, since="1.1"); a 1.0 package lacks them and still reads.
FORMAT_VERSION = "1.1"
MANIFEST_FILE = "manifest.json"
# What a package may carry, by pattern: nothing that could become a path or a formula.
VERSION = re.compile(r"\d{1,3}\.\d{1,3}")
CODE = re.compile(r"\w[\w.-]{0,31}")  # commune and unit codes: KDC01, THPT1, 27001
UID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,63}")  # a uuid, as new_uid makes them
SHA256 = re.compile(r"[0-9a-f]{64}")
FILE_NAME = re.compile(r"[a-z][a-z_]{0,31}\.csv")
MAX_SEQUENCE = 2**62  # SQLite integers stop at 2**63 - 1; no commune sends that many
MAX_COUNT = 10_000_000


class PackageError(KnownError):
    """A package that is refused: damaged, altered, incomplete or too new."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    commune_code: str  # mã đơn vị hành chính
    commune_name: str
    created_at: str  # ISO date-time
    sequence: int  # số thứ tự gói: grows by one with each export
    app_version: str
    counts: dict[str, int] = field(default_factory=dict)  # rows per CSV file
    files: dict[str, str] = field(default_factory=dict)  # file name → SHA-256
    format: str = FORMAT_NAME
    format_version: str = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes, source: str) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise PackageError(f"Gói “{source}”: tệp manifest.json bị hỏng.") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
            raise PackageError(f"“{source}” không phải là gói dữ liệu xã của dvdesk.")
        _check_version(raw.get("format_version"), source)
        try:
            manifest = cls(
                commune_code=_text(raw["commune_code"]),
                commune_name=_text(raw["commune_name"]),
                created_at=_text(raw["created_at"]),
                sequence=_number(raw["sequence"], 1, MAX_SEQUENCE),
                app_version=_text(raw.get("app_version", "")),
                counts={_text(k): _number(v, 0, MAX_COUNT) for k, v in raw["counts"].items()},
                files={_text(k): _text(v) for k, v in raw["files"].items()},
                format_version=str(raw["format_version"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PackageError(
                f"Gói “{source}”: manifest.json thiếu thông tin hoặc có giá trị sai ({exc})."
            ) from exc
        manifest._check(source)
        return manifest

    def _check(self, source: str) -> None:
        def bad(what: str) -> PackageError:
            return PackageError(f"Gói “{source}”: manifest.json có {what} không hợp lệ.")

        if not CODE.fullmatch(self.commune_code):
            raise bad(f"mã xã/phường “{self.commune_code[:40]}”")
        if not self.commune_name.strip() or len(self.commune_name) > 200:
            raise bad("tên xã/phường")
        try:
            datetime.fromisoformat(self.created_at)
        except ValueError as exc:
            raise bad(f"thời điểm tạo “{self.created_at[:40]}”") from exc
        if len(self.app_version) > 40:
            raise bad("phiên bản chương trình")
        for name, digest in self.files.items():
            if not FILE_NAME.fullmatch(name):
                raise bad(f"tên tệp “{name[:40]}”")
            if not SHA256.fullmatch(digest):
                raise bad(f"mã kiểm tra của {name[:40]}")
        for name in self.counts:
            if name not in self.files:
                raise bad(f"số dòng của tệp “{name[:40]}” không có trong gói")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"cần chữ, có {type(value).__name__}")
    return value


def _number(value: object, low: int, high: int) -> int:
    # JSON true/false are ints to Python, and 1e400 a float: only a real integer counts.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"số “{str(value)[:30]}” ngoài khoảng {low}–{high}")
    return value


def _check_version(value: object, source: str) -> None:
    text = value if isinstance(value, str) else ""
    if not VERSION.fullmatch(text):
        raise PackageError(
            f"Gói “{source}”: phiên bản định dạng “{str(value)[:20]}” không đọc được."
        )
    major = int(text.split(".")[0])
    ours = int(FORMAT_VERSION.split(".")[0])
    if major > ours:
        raise PackageError(
            f"Gói “{source}” có định dạng {text}, mới hơn định dạng phiên bản này đọc được "
            f"({FORMAT_VERSION}). Hãy cập nhật dvdesk rồi gộp lại."
        )
    if major < 1:
        raise PackageError(f"Gói “{source}”: phiên bản định dạng “{text}” không đọc được.")
