"""The manifest of a commune package (manifest.json): who, when, what, checksums."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dvdesk.errors import KnownError

FORMAT_NAME = "dvdesk-goi-du-lieu-xa"
# major.minor: a newer minor reads; a newer major is refused. 1.1: signed (manifest.sig),
# and members.csv has the office fields (domain/fields.py, since="1.1"); a 1.0 package
# lacks them and still reads (but an unsigned package is refused: packages.py).
# 1.2: the admission dossier travels (dossiers, introducers, votes, dossier_exceptions,
# unit_positions .csv: dossier_tables.py); a 1.1 package lacks them and leaves the
# receiving level's dossier rows of that commune as they are.
# 1.3: the đảng bộ's yearly figures travel (party_totals.csv); a 1.2 package lacks them
# and leaves the receiving level's figures of that commune as they are.
FORMAT_VERSION = "1.3"
MANIFEST_FILE = "manifest.json"
MAX_SEQUENCE = 999_999  # a commune exporting daily for 2,700 years; a forged 10**15 is refused
_COMMUNE_CODE = re.compile(r"[0-9]{5}")
# What a package may carry, by pattern: nothing that could become a path or a formula.
VERSION = re.compile(r"\d{1,3}\.\d{1,3}")
CODE = re.compile(r"\w[\w.-]{0,31}")  # unit codes: KDC01, THPT1 (communes: five digits)
UID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,63}")  # a uuid, as new_uid makes them
SHA256 = re.compile(r"[0-9a-f]{64}")
FILE_NAME = re.compile(r"[a-z][a-z_]{0,31}\.(?:csv|json)")
MAX_COUNT = 10_000_000
# How every package writes its creation time (build_package: isoformat, seconds, local
# time, no offset); the receiving level orders packages and members who moved by it.
CREATED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
# A commune's clock may run a little fast; a package made further in the future than
# this would win every move between communes until that date.
CLOCK_SLACK = timedelta(days=1)
# Line breaks, escapes, bidirectional overrides, zero-width marks: nothing a name
# or code shown to the officer (or written in an error line) may carry.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def invisible(text: str) -> bool:
    """Whether `text` holds a control, format or unassigned character."""
    return any(unicodedata.category(c) in _INVISIBLE for c in text)


def shown(text: str, limit: int = 40) -> str:
    """`text` as an error message may quote it: invisible characters as \\uXXXX, cut."""
    out = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _INVISIBLE else c for c in text)
    return out if len(out) <= limit else out[:limit] + "…"


class PackageError(KnownError):
    """A package that is refused: damaged, altered, incomplete or too new.

    The message is one line whatever a hostile file puts in it: any invisible
    character a quoted value brings (a line break in a commune code, an escape
    sequence in a file name) is shown as \\uXXXX.
    """

    def __init__(self, message: str) -> None:
        super().__init__(shown(message, limit=2000) if invisible(message) else message)


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
    signing_key: str = ""  # the signer's Ed25519 public key, base64 (signing.py)
    party_members: int = 0  # the commune's Party members and target (receiving level's summary)
    target_percent: float = 3.0
    format: str = FORMAT_NAME
    format_version: str = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes, source: str) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
            raise PackageError(f"Gói “{source}”: tệp manifest.json bị hỏng.") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
            raise PackageError(f"“{source}” không phải là gói dữ liệu xã của dvdesk.")
        _check_version(raw.get("format_version"), source)
        try:
            manifest = cls(
                commune_code=_text(raw["commune_code"]),
                commune_name=_text(raw["commune_name"]),
                created_at=_text(raw["created_at"]),
                sequence=_whole(raw["sequence"]),
                app_version=_text(raw.get("app_version", "")),
                counts={_text(k): _count(v) for k, v in raw["counts"].items()},
                files={_text(k): _text(v) for k, v in raw["files"].items()},
                format_version=str(raw["format_version"]),
                signing_key=str(raw.get("signing_key", "")),
                party_members=_count(raw.get("party_members", 0), "số đảng viên"),
                target_percent=min(100.0, max(0.0, float(raw.get("target_percent", 3.0)))),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise PackageError(
                f"Gói “{source}”: manifest.json thiếu thông tin hoặc có giá trị sai ({exc})."
            ) from exc
        manifest._check(source)
        return manifest

    def _check(self, source: str) -> None:
        """Every text by pattern: codes, file names, checksums, the creation time."""

        def bad(what: str) -> PackageError:
            return PackageError(f"Gói “{source}”: manifest.json có {what} không hợp lệ.")

        # The commune code and name are checked by check_identity (five digits).
        if len(self.commune_name) > 200 or invisible(self.commune_name):
            raise bad("tên xã/phường")
        try:
            if not CREATED_AT.fullmatch(self.created_at):
                raise ValueError(self.created_at)
            made = datetime.fromisoformat(self.created_at)
        except ValueError as exc:
            raise bad(f"thời điểm tạo “{shown(self.created_at)}”") from exc
        if made > datetime.now() + CLOCK_SLACK:
            raise PackageError(
                f"Gói “{source}”: thời điểm tạo gói {self.created_at.replace('T', ' ')} ở "
                "tương lai (đồng hồ máy của xã sai hoặc gói bị sửa đổi). Không gộp gói này."
            )
        if len(self.app_version) > 40 or invisible(self.app_version) or len(self.signing_key) > 200:
            raise bad("phiên bản chương trình hoặc khóa ký")
        for name, digest in self.files.items():
            if not FILE_NAME.fullmatch(name):
                raise bad(f"tên tệp “{shown(name)}”")
            if not SHA256.fullmatch(digest):
                raise bad(f"mã kiểm tra của {shown(name)}")
        for name in self.counts:
            if not FILE_NAME.fullmatch(name):
                raise bad(f"tên tệp “{shown(name)}”")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"cần chữ, có {type(value).__name__}")
    return value


def _count(value: object, what: str = "số dòng") -> int:
    number = _whole(value)
    if not 0 <= number <= MAX_COUNT:
        raise ValueError(f"{what} “{number}” ngoài khoảng 0–{MAX_COUNT}")
    return number


def _no_constant(name: str) -> float:
    # json.loads takes NaN and Infinity, which are not JSON and no real figure.
    raise ValueError(f"giá trị {name} không hợp lệ")


def minor_version(text: str) -> tuple[int, int]:
    """(major, minor) of a format version; (0, 0) for what does not read."""
    try:
        major, _, minor = text.partition(".")
        return int(major), int(minor or 0)
    except ValueError:
        return 0, 0


def _whole(value: Any) -> int:
    # JSON true, 2.5 or "7" are not sequence numbers (int() would take them).
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"số thứ tự gói “{value}” không phải số nguyên")
    return value


def _check_version(value: object, source: str) -> None:
    text = value if isinstance(value, str) else ""
    if not VERSION.fullmatch(text) or int(text.split(".")[0]) < 1:
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


def commune_code_problem(code: str) -> str:
    """Why `code` is not an official commune code (mã đơn vị hành chính), or ''.

    Official codes are exactly five digits (00001 … 99999); the caller trims
    what a person typed, but a package must carry the code exactly.
    """
    if not code:
        return "chưa có mã xã/phường"
    if not _COMMUNE_CODE.fullmatch(code) or code == "00000":
        return f"mã xã/phường “{shown(code)}” không hợp lệ (mã đơn vị hành chính gồm đúng 5 chữ số)"
    return ""


def check_identity(manifest: Manifest, source: str) -> None:
    """The commune code and the sequence number a package may carry."""
    problem = commune_code_problem(manifest.commune_code)
    if problem:
        raise PackageError(f"Gói “{source}”: {problem}. Không gộp gói này.")
    if not 1 <= manifest.sequence <= MAX_SEQUENCE:
        raise PackageError(
            f"Gói “{source}”: số thứ tự gói {manifest.sequence} không hợp lệ (phải từ 1 đến "
            f"{MAX_SEQUENCE}). Không gộp gói này."
        )
    if not manifest.commune_name.strip():
        raise PackageError(f"Gói “{source}”: thiếu tên xã/phường. Không gộp gói này.")
