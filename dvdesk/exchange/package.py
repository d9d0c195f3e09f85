"""The commune package (gói dữ liệu xã): written at the commune, read at the level above.

A `.zip` with manifest.json, units.csv, members.csv, steps.csv, the audit
entries since the last package (audit.csv), the admission dossier's files (1.2), the
đảng bộ's yearly figures (party_totals.csv, 1.3) and data_dictionary.csv; optionally
sealed with a passphrase (crypto.py). Never the live database file, never row
ids. Reading checks everything before anything is used: the archive's names
and sizes, the manifest's format, every file's SHA-256, the columns, the row
counts and every value; any failure refuses the whole package.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk import __version__
from dvdesk.domain.member import Member, Unit
from dvdesk.domain.procedure import StepRecord
from dvdesk.domain.statistics import YearTotals
from dvdesk.errors import KnownError
from dvdesk.exchange import crypto, dossier_tables, records, signing
from dvdesk.exchange.cells import escape_reversible, unescape_reversible
from dvdesk.exchange.csv_files import csv_bytes, dict_rows
from dvdesk.exchange.dictionary import (
    CORE_FILES,
    DICTIONARY_FILE,
    DICTIONARY_HEADER,
    DOSSIER_FILES,
    DOSSIER_SINCE,
    PARTY_TOTALS_FILE,
    PARTY_TOTALS_SINCE,
    column_names,
    dictionary_rows,
    required_column_names,
)
from dvdesk.exchange.manifest import (
    CODE,
    MANIFEST_FILE,
    UID,
    Manifest,
    PackageError,
    check_identity,
    commune_code_problem,
    invisible,
    minor_version,
    sha256,
    shown,
)
from dvdesk.exchange.safe_zip import read_entries
from dvdesk.files import check_output, write_private
from dvdesk.store.errors import translate

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


# A 200,000-member commune packs to ~25 MB; a file far past that is not a package.
MAX_PARTY_MEMBERS = 10_000_000  # a count in party_totals.csv past this is not a đảng bộ's
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024


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
    public_key: bytes = b""  # the key that signed it (verified against manifest.sig)
    # The admission dossier's rows by store table (store/dossier_rows.py); None for a
    # package of format 1.1, which does not carry them (the receiver's are kept).
    dossier: dict[str, list[dict[str, Any]]] | None = None
    # The đảng bộ's yearly figures (party_totals.csv); None for a package before format
    # 1.3, which does not carry them (the receiver's are kept).
    party_totals: list[YearTotals] | None = None

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)


def _table(file: str, rows: Iterable[dict[str, Any]]) -> tuple[bytes, int]:
    """A package CSV and its row count, written from `rows` as they come."""
    names = column_names(file)
    count = 0

    def cells() -> Iterator[list[str]]:
        nonlocal count
        for r in rows:
            count += 1
            yield [escape_reversible(str(r[n] or "")) for n in names]

    return csv_bytes(names, cells()), count


def build_package(store: Store, now: datetime | None = None) -> tuple[bytes, Manifest, int]:
    """The zip bytes of the next package, its manifest, and the audit mark it reaches.

    Each table is read through a cursor and encoded as it is read, so the
    export holds the CSV bytes and the zip, never every member as objects.
    """
    settings = store.settings.get()
    _check_sender(settings.commune_code.strip(), settings.commune_name)
    mark = max(settings.export_audit_mark, store.packages.audit_mark())
    tables: dict[str, Iterable[dict[str, Any]]] = {
        "units.csv": map(records.unit_to_row, store.packages.units(None)),
        "members.csv": map(records.member_to_row, store.packages.each_member(None)),
        "steps.csv": (records.step_to_row(uid, r) for uid, r in store.packages.each_step(None)),
        "audit.csv": store.packages.each_audit(settings.export_audit_mark, mark),
        **dossier_tables.to_rows(store.dossier_rows.read(None)),
        PARTY_TOTALS_FILE: (
            {
                "year": str(t.year),
                "members_at_start": _count_text(t.members_at_start),
                "outside_admitted": _count_text(t.outside_admitted),
                "source": t.source,
            }
            for t in store.statistics.totals.all().values()
        ),
    }
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for name, rows in tables.items():
        files[name], counts[name] = _table(name, rows)
    files[DICTIONARY_FILE] = csv_bytes(
        DICTIONARY_HEADER, ([r[k] for k in DICTIONARY_HEADER] for r in dictionary_rows())
    )
    manifest = Manifest(
        commune_code=settings.commune_code.strip(),
        commune_name=settings.commune_name,
        created_at=(now or datetime.now()).isoformat(timespec="seconds"),
        sequence=settings.export_sequence + 1,
        app_version=__version__,
        counts=counts,
        party_members=settings.party_members,
        target_percent=settings.target_percent,
        files={name: sha256(data) for name, data in files.items()},
    )
    return signed_archive(store, manifest, files), manifest, mark


def _count_text(count: int | None) -> str:
    return "" if count is None else str(count)  # 0 is a figure; empty is "not entered"


def _check_sender(code: str, name: str) -> None:
    problem = commune_code_problem(code)
    if problem:
        raise PackageError(
            f"Không xuất được gói: {problem}. Hãy đặt mã xã/phường (mã đơn vị hành chính, "
            "5 chữ số) trong Cài đặt hoặc bằng lệnh dvdesk init."
        )
    if not name.strip():
        raise PackageError("Không xuất được gói: chưa đặt tên xã/phường trong Cài đặt.")
    if invisible(name):
        # The receiving level refuses such a name (manifest.py): say so here, where it is fixed.
        raise PackageError(
            f"Không xuất được gói: tên xã/phường “{shown(name, 80)}” có ký tự điều khiển hoặc "
            "ký tự ẩn; hãy gõ lại tên trong Cài đặt."
        )


def signed_archive(store: Store, manifest: Manifest, files: dict[str, bytes]) -> bytes:
    """The zip of a manifest, its signature with this data file's key, and the files."""
    private, public = store.packages.signing_key()
    manifest.signing_key = signing.encode_key(public)
    body = manifest.to_json()
    return signing.signed_zip(private, body, files)


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
    return PackageFile.open(path, passphrase).load()


class PackageFile:
    """A package file read from disk (and decrypted), not yet unpacked.

    `manifest` is peeked from the archive without checking anything but its
    format, commune code and sequence (a merge orders and sorts packages by
    it); `load()` then checks everything and converts the rows. Keeping only
    the archive's bytes between the two lets a merge of a hundred communes
    hold one commune's rows at a time.
    """

    def __init__(self, source: str, data: bytes, digest: str) -> None:
        self.source = source
        self.digest = digest  # SHA-256 of the file as received
        self._data: bytes | None = data
        self.manifest = self._peek()

    @classmethod
    def open(cls, path: Path, passphrase: str | None = None) -> PackageFile:
        try:
            if path.is_file() and path.stat().st_size > MAX_PACKAGE_BYTES:
                raise PackageError(
                    f"Gói “{path.name}” lớn bất thường (hơn {MAX_PACKAGE_BYTES >> 20} MB), "
                    "không gộp."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise _os_problem(exc, path) from exc
        digest = sha256(data)
        if crypto.is_encrypted(data):
            data = crypto.decrypt(data, passphrase, path.name)
        return cls(path.name, data, digest)

    def _peek(self) -> Manifest:
        assert self._data is not None
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as archive:
                info = archive.getinfo(MANIFEST_FILE)
                if info.file_size > MAX_MANIFEST_BYTES:
                    raise KeyError(MANIFEST_FILE)
                body = archive.read(info)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
            self.load()  # says precisely what is wrong
            raise PackageError(f"Gói “{self.source}” bị hỏng.") from None
        manifest = Manifest.from_json(body, self.source)
        check_identity(manifest, self.source)
        return manifest

    def load(self, *, release: bool = False) -> Package:
        """Check everything and read the rows; `release` drops the archive's bytes."""
        if self._data is None:
            raise PackageError(f"Gói “{self.source}” đã được đọc.")
        data, source = self._data, self.source
        if release:
            self._data = None
        return _unpack(data, source, self.digest)


def _unpack(data: bytes, source: str, digest: str) -> Package:
    entries = read_entries(data, source)
    manifest, public_key = signed_manifest(entries, source)
    _check_files(manifest, entries, source)
    package = Package(source, manifest, digest, public_key=public_key)
    optional = (*DOSSIER_FILES, PARTY_TOTALS_FILE)
    names = [*CORE_FILES, *(f for f in optional if f in entries)]
    tables = {name: _rows(name, entries[name], manifest, source) for name in names}
    del entries
    _convert(tables["units.csv"], records.unit_from_row, package.units.append, "units.csv", source)
    # Normalized once here (NFC, trimmed) so planning compares storage forms.
    _convert(
        tables["members.csv"],
        lambda r: records.member_from_row(r, normalized=True),
        package.members.append,
        "members.csv",
        source,
    )

    def add_step(pair: tuple[str, StepRecord]) -> None:
        package.steps.setdefault(pair[0], []).append(pair[1])

    _convert(tables["steps.csv"], records.step_from_row, add_step, "steps.csv", source)
    _check_identities(package, source)
    # The rows as read (their columns were checked): empty old/new values are None.
    audit: list[dict[str, Any]] = tables["audit.csv"]
    for r in audit:
        r["old"] = r["old"] or None
        r["new"] = r["new"] or None
    package.audit = audit
    if DOSSIER_FILES[0] in tables:
        package.dossier = read_dossier(
            tables, {m.uid for m in package.members}, {u.code for u in package.units}, source
        )
    if PARTY_TOTALS_FILE in tables:
        package.party_totals = read_party_totals(tables[PARTY_TOTALS_FILE], source)
    return package


def _count_cell(text: str, column: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text and column != "year":
        return None
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise records.RecordError(
            f"cột {column}: “{shown(text)}” không phải số từ {low} đến {high}"
        )
    return int(text)


def read_party_totals(rows: list[dict[str, str]], source: str) -> list[YearTotals]:
    """party_totals.csv checked: a year 1900–2200 once each, counts 0–10^7 or empty,
    a source without control characters; anything else refuses the package."""
    out: list[YearTotals] = []
    years: set[int] = set()
    for line, r in enumerate(rows, start=2):
        try:
            year = _count_cell(r["year"], "year", 1900, 2200)
            assert year is not None
            if year in years:
                raise records.RecordError(f"năm {year} ghi hai lần")
            years.add(year)
            if invisible(r["source"]):
                raise records.RecordError("cột source có ký tự điều khiển hoặc ký tự ẩn")
            out.append(
                YearTotals(
                    year,
                    _count_cell(r["members_at_start"], "members_at_start", 0, MAX_PARTY_MEMBERS),
                    _count_cell(r["outside_admitted"], "outside_admitted", 0, MAX_PARTY_MEMBERS),
                    " ".join(r["source"].split()),
                )
            )
        except records.RecordError as exc:
            raise PackageError(
                f"Gói “{source}”: tệp {PARTY_TOTALS_FILE} dòng {line}: {exc}."
            ) from exc
    return out


def read_dossier(
    tables: dict[str, list[dict[str, str]]], uids: set[str], units: set[str], source: str
) -> dict[str, list[dict[str, Any]]]:
    """The dossier files' rows, checked, by store table (dossier_tables.py)."""
    try:
        return {
            dossier_tables.TABLE_OF[f]: dossier_tables.from_rows(f, tables[f], uids, units)
            for f in DOSSIER_FILES
        }
    except records.RecordError as exc:
        raise PackageError(f"Gói “{source}”: {exc}.") from exc


def signed_manifest(entries: dict[str, bytes], source: str) -> tuple[Manifest, bytes]:
    """Pop manifest.json and manifest.sig from `entries`; the checked manifest and signer.

    The signature is checked on the manifest's exact bytes before anything in
    it is believed; then the commune code and the sequence number.
    """
    if MANIFEST_FILE not in entries:
        raise PackageError(f"Gói “{source}” thiếu tệp manifest.json.")
    body = entries.pop(MANIFEST_FILE)
    signature = entries.pop(signing.SIGNATURE_FILE, None)
    manifest = Manifest.from_json(body, source)  # format and version first: "not a package"
    public_key = signing.verify(body, signature, source)
    check_identity(manifest, source)
    return manifest, public_key


def _check_identities(package: Package, source: str) -> None:
    """Codes and uids by pattern, each unit and member once: nothing a path or SQL trips on."""

    def refuse(file: str, what: str) -> PackageError:
        return PackageError(f"Gói “{source}”: tệp {file} có {what}; gói bị hỏng hoặc bị sửa đổi.")

    codes: set[str] = set()
    for unit in package.units:
        if not CODE.fullmatch(unit.code):
            raise refuse("units.csv", f"mã đơn vị không hợp lệ “{shown(unit.code)}”")
        if unit.code in codes:
            raise refuse("units.csv", f"mã đơn vị “{unit.code}” hai lần")
        codes.add(unit.code)
    uids: set[str] = set()
    for member in package.members:
        if not UID.fullmatch(member.uid):
            raise refuse("members.csv", f"mã định danh không hợp lệ “{shown(member.uid)}”")
        if member.uid in uids:
            raise refuse("members.csv", f"mã định danh “{member.uid}” hai lần")
        if not CODE.fullmatch(member.unit_code):
            raise refuse("members.csv", f"mã đơn vị không hợp lệ “{shown(member.unit_code)}”")
        uids.add(member.uid)
    made = datetime.fromisoformat(package.manifest.created_at).date()
    for uid, records_of in package.steps.items():
        if not UID.fullmatch(uid):
            raise refuse("steps.csv", f"mã định danh không hợp lệ “{shown(uid)}”")
        if len({r.code for r in records_of}) != len(records_of):
            # The store keeps one row per (member, step): a second would abort the merge.
            raise refuse("steps.csv", f"một bước quy trình ghi hai lần cho mã “{uid}”")
        # Entry refuses a step done in the future; no step is done after its package was made.
        late = next((r for r in records_of if r.done_on and r.done_on > made), None)
        if late is not None and late.done_on is not None:
            raise refuse(
                "steps.csv",
                f"bước “{late.code}” của mã “{uid}” hoàn thành ngày "
                f"{late.done_on.strftime('%d/%m/%Y')}, sau ngày lập gói",
            )


def _os_problem(exc: OSError, path: Path) -> KnownError:
    if isinstance(exc, IsADirectoryError):
        return PackageError(f"“{path}” là một thư mục, không phải tệp gói.")
    return translate(exc, path) or PackageError(f"Không đọc/ghi được tệp “{path}” ({exc}).")


def _check_files(manifest: Manifest, entries: dict[str, bytes], source: str) -> None:
    needed = [*CORE_FILES, DICTIONARY_FILE]
    if minor_version(manifest.format_version) >= DOSSIER_SINCE or any(
        f in entries for f in DOSSIER_FILES
    ):
        needed += DOSSIER_FILES  # all of the dossier's files, or none (format 1.1)
    if minor_version(manifest.format_version) >= PARTY_TOTALS_SINCE:
        needed.append(PARTY_TOTALS_FILE)
    for name in needed:
        if name not in entries:
            raise PackageError(f"Gói “{source}” thiếu tệp {name}.")
        if name not in manifest.files:
            raise PackageError(f"Gói “{source}”: manifest.json không ghi mã kiểm tra của {name}.")
    for name in manifest.files:
        if name not in entries:
            raise PackageError(f"Gói “{source}”: manifest.json ghi tệp {name} nhưng gói không có.")
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
    except csv.Error as exc:
        # e.g. a cell over the csv module's field limit (131,072 characters)
        raise PackageError(
            f"Gói “{source}”: tệp {name} có ô quá dài hoặc sai định dạng CSV; gói bị hỏng "
            "hoặc bị sửa đổi."
        ) from exc
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
    if b"'" not in data:
        return rows  # nothing was escaped on export (cells.py escapes with a leading ')
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
