"""The commune package (gói dữ liệu xã): written at the commune, read at the level above.

A `.zip` with manifest.json, units.csv, members.csv, steps.csv, the audit
entries since the last package (audit.csv) and data_dictionary.csv; optionally
sealed with a passphrase (crypto.py). Never the live database file, never row
ids. Reading checks everything before anything is used: the archive's names
and sizes, the manifest's format, every file's SHA-256, the columns, the row
counts and every value; any failure refuses the whole package.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk import __version__
from dvdesk.domain.member import Member, Unit
from dvdesk.domain.procedure import StepRecord
from dvdesk.errors import KnownError
from dvdesk.exchange import crypto, records
from dvdesk.exchange.cells import escape_reversible, unescape_reversible
from dvdesk.exchange.csv_files import csv_bytes, dict_rows
from dvdesk.exchange.dictionary import (
    DICTIONARY_FILE,
    DICTIONARY_HEADER,
    FILES,
    column_names,
    dictionary_rows,
    required_column_names,
)
from dvdesk.exchange.manifest import MANIFEST_FILE, Manifest, PackageError, sha256
from dvdesk.exchange.safe_zip import read_entries
from dvdesk.files import check_output, write_private
from dvdesk.store.errors import translate

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


@dataclass
class Package:
    """A package read and checked, ready to plan a merge."""

    source: str
    manifest: Manifest
    digest: str  # SHA-256 of the file as received
    units: list[Unit] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    steps: dict[str, list[StepRecord]] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)


def _table(file: str, rows: list[dict[str, Any]]) -> bytes:
    names = column_names(file)
    return csv_bytes(names, ([escape_reversible(str(r[n] or "")) for n in names] for r in rows))


def build_package(store: Store, now: datetime | None = None) -> tuple[bytes, Manifest, int]:
    """The zip bytes of the next package, its manifest, and the audit mark it reaches."""
    settings = store.settings.get()
    if not settings.commune_code.strip():
        raise PackageError(
            "Chưa đặt mã xã/phường (mã đơn vị hành chính) trong Cài đặt: gói dữ liệu cần mã này."
        )
    steps = store.packages.steps(None)
    audit, mark = store.packages.audit_since(settings.export_audit_mark)
    tables = {
        "units.csv": [records.unit_to_row(u) for u in store.packages.units(None)],
        "members.csv": [records.member_to_row(m) for m in store.packages.members(None)],
        "steps.csv": [records.step_to_row(uid, r) for uid in sorted(steps) for r in steps[uid]],
        "audit.csv": audit,
    }
    files = {name: _table(name, rows) for name, rows in tables.items()}
    files[DICTIONARY_FILE] = csv_bytes(
        DICTIONARY_HEADER, ([r[k] for k in DICTIONARY_HEADER] for r in dictionary_rows())
    )
    manifest = Manifest(
        commune_code=settings.commune_code.strip(),
        commune_name=settings.commune_name,
        created_at=(now or datetime.now()).isoformat(timespec="seconds"),
        sequence=settings.export_sequence + 1,
        app_version=__version__,
        counts={name: len(rows) for name, rows in tables.items()},
        files={name: sha256(data) for name, data in files.items()},
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_FILE, manifest.to_json())
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue(), manifest, mark


def write_package(
    store: Store, out: Path, passphrase: str | None = None, *, overwrite: bool = False
) -> Manifest:
    """Write the next package to `out` and record it as sent (sequence, audit mark).

    The path is checked before anything is built (dvdesk/files.py). The
    package is sealed in memory, so no temporary file ever holds it
    unencrypted when a passphrase was given. Recording and placing the file
    are one step: the export is recorded inside a transaction, the file is
    renamed into place, and only then is the transaction committed; if the
    commit fails the new file is removed again. A kill in between leaves a
    package whose sequence the next export simply uses again.
    """
    check_output(out, overwrite=overwrite, protect=[store.path])
    data, manifest, mark = build_package(store)
    if passphrase is not None:
        data = crypto.encrypt(data, passphrase)
    placed = False
    try:
        with store.transaction():
            store.packages.record_export(
                manifest.sequence,
                mark,
                {"file": out.name, "counts": manifest.counts, "encrypted": passphrase is not None},
            )
            write_private(out, data, overwrite=overwrite, protect=[store.path])
            placed = True
    except BaseException:
        if placed:
            # Written but not recorded: a package the store does not know must not be sent.
            with contextlib.suppress(OSError):
                out.unlink()
        raise
    return manifest


def read_package(path: Path, passphrase: str | None = None) -> Package:
    """Read and check a package; `PackageError` (Vietnamese) when anything is wrong."""
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _os_problem(exc, path) from exc
    digest = sha256(data)
    if crypto.is_encrypted(data):
        data = crypto.decrypt(data, passphrase, source)
    entries = read_entries(data, source)
    if MANIFEST_FILE not in entries:
        raise PackageError(f"Gói “{source}” thiếu tệp manifest.json.")
    manifest = Manifest.from_json(entries.pop(MANIFEST_FILE), source)
    _check_files(manifest, entries, source)
    package = Package(source, manifest, digest)
    tables = {name: _rows(name, entries[name], manifest, source) for name in FILES}
    _convert(tables["units.csv"], records.unit_from_row, package.units.append, "units.csv", source)
    # Normalized once here (NFC, trimmed) so planning compares storage forms.
    _convert(
        tables["members.csv"],
        lambda r: records.member_from_row(r).normalized(),
        package.members.append,
        "members.csv",
        source,
    )

    def add_step(pair: tuple[str, StepRecord]) -> None:
        package.steps.setdefault(pair[0], []).append(pair[1])

    _convert(tables["steps.csv"], records.step_from_row, add_step, "steps.csv", source)
    package.audit = [
        {k: r[k] or None if k in ("old", "new") else r[k] for k in column_names("audit.csv")}
        for r in tables["audit.csv"]
    ]
    return package


def _os_problem(exc: OSError, path: Path) -> KnownError:
    if isinstance(exc, IsADirectoryError):
        return PackageError(f"“{path}” là một thư mục, không phải tệp gói.")
    return translate(exc, path) or PackageError(f"Không đọc/ghi được tệp “{path}” ({exc}).")


def _check_files(manifest: Manifest, entries: dict[str, bytes], source: str) -> None:
    for name in (*FILES, DICTIONARY_FILE):
        if name not in entries:
            raise PackageError(f"Gói “{source}” thiếu tệp {name}.")
        if name not in manifest.files:
            raise PackageError(f"Gói “{source}”: manifest.json không ghi mã kiểm tra của {name}.")
    for name, data in entries.items():
        expected = manifest.files.get(name)
        if expected is None:
            raise PackageError(f"Gói “{source}” có tệp lạ “{name}” không ghi trong manifest.")
        if sha256(data) != expected:
            raise PackageError(
                f"Gói “{source}”: tệp {name} không khớp mã kiểm tra SHA-256 — tệp đã bị "
                "sửa đổi hoặc hỏng khi sao chép. Hãy xin xã gửi lại gói."
            )


def _rows(name: str, data: bytes, manifest: Manifest, source: str) -> list[dict[str, str]]:
    try:
        header, rows = dict_rows(data)
    except UnicodeDecodeError as exc:
        raise PackageError(f"Gói “{source}”: tệp {name} không phải UTF-8.") from exc
    except ValueError as exc:
        raise PackageError(f"Gói “{source}”: tệp {name} dòng {exc} sai số cột.") from exc
    missing = [c for c in required_column_names(name) if c not in header]
    if missing:
        raise PackageError(f"Gói “{source}”: tệp {name} thiếu cột {', '.join(missing)}.")
    if manifest.counts.get(name) != len(rows):
        raise PackageError(
            f"Gói “{source}”: tệp {name} có {len(rows)} dòng, manifest ghi "
            f"{manifest.counts.get(name)}."
        )
    return [{k: unescape_reversible(v) for k, v in r.items()} for r in rows]


def _convert(
    rows: list[dict[str, str]],
    read: Callable[[dict[str, str]], Any],
    add: Callable[[Any], None],
    name: str,
    source: str,
) -> None:
    for line, row in enumerate(rows, start=2):
        try:
            add(read(row))
        except records.RecordError as exc:
            raise PackageError(f"Gói “{source}”: tệp {name} dòng {line}: {exc}.") from exc
