"""The manifest of a commune package (manifest.json): who, when, what, checksums."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from dvdesk.errors import KnownError

FORMAT_NAME = "dvdesk-goi-du-lieu-xa"
# major.minor: a newer minor reads; a newer major is refused. 1.1: members.csv has the
# office fields (domain/fields.py, since="1.1"); a 1.0 package lacks them and still reads.
FORMAT_VERSION = "1.1"
MANIFEST_FILE = "manifest.json"


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
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackageError(f"Gói “{source}”: tệp manifest.json bị hỏng.") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
            raise PackageError(f"“{source}” không phải là gói dữ liệu xã của dvdesk.")
        _check_version(str(raw.get("format_version", "")), source)
        try:
            return cls(
                commune_code=str(raw["commune_code"]),
                commune_name=str(raw["commune_name"]),
                created_at=str(raw["created_at"]),
                sequence=int(raw["sequence"]),
                app_version=str(raw.get("app_version", "")),
                counts={str(k): int(v) for k, v in raw["counts"].items()},
                files={str(k): str(v) for k, v in raw["files"].items()},
                format_version=str(raw["format_version"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PackageError(f"Gói “{source}”: manifest.json thiếu thông tin ({exc}).") from exc


def _check_version(text: str, source: str) -> None:
    try:
        major = int(text.split(".")[0])
    except ValueError as exc:
        raise PackageError(f"Gói “{source}”: phiên bản định dạng “{text}” không đọc được.") from exc
    ours = int(FORMAT_VERSION.split(".")[0])
    if major > ours:
        raise PackageError(
            f"Gói “{source}” có định dạng {text}, mới hơn định dạng phiên bản này đọc được "
            f"({FORMAT_VERSION}). Hãy cập nhật dvdesk rồi gộp lại."
        )
