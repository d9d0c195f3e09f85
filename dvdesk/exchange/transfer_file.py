"""The transfer file (tệp chuyển nguồn) and its receipt (xác nhận đã nhận).

When a student on the source list graduates, the school (or commune) prints
the transfer letter and writes this file for the organisation where the
student goes: a signed `.zip` with one member, the procedure steps done (the
course certificate among them) and the letter's number. The receiving
organisation's dvdesk loads it (`dvdesk receive-transfer`): the person
appears with their dossier, marked "được chuyển đến". The receiver then
writes a receipt, also signed, which the sender loads the same way: the
sender's follow-up list "Đã chuyển đi — chờ nơi nhận xác nhận" loses them.

Same checks as commune packages: the archive's names and sizes, the
manifest signed with the sender's key (Ed25519, signing.py), every file's
SHA-256, every value.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk import __version__
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.exchange import crypto, dossier_tables, records, signing
from dvdesk.exchange.cells import escape_reversible, unescape_reversible
from dvdesk.exchange.csv_files import csv_bytes, dict_rows
from dvdesk.exchange.dictionary import column_names
from dvdesk.exchange.manifest import (
    MANIFEST_FILE,
    UID,
    PackageError,
    commune_code_problem,
    invisible,
    sha256,
)
from dvdesk.exchange.safe_zip import read_entries
from dvdesk.files import check_output, write_private

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TRANSFER_FORMAT = "dvdesk-tep-chuyen-nguon"
RECEIPT_FORMAT = "dvdesk-xac-nhan-chuyen-nguon"
# 1.1: the dossier travels too (dossier_tables.MEMBER_FILES); a 1.0 file lacks it.
FORMAT_VERSION = "1.1"
MEMBER_FILE, STEPS_FILE = "member.csv", "steps.csv"
DOSSIER_FILES = dossier_tables.MEMBER_FILES
# The manifest's texts the receiver shows and stores: names, the letter's number.
_TEXTS = {
    "member_name": "tên người được chuyển",
    "from_name": "tên nơi gửi",
    "from_committee": "tên cấp ủy nơi gửi",
    "to_organisation": "tên nơi nhận",
    "letter_number": "số giấy chuyển",
}
MAX_TEXT = 300


class TransferConflict(KnownError):
    """The person is already in this file with another dossier: shown, not applied."""


@dataclass
class TransferFile:
    """A transfer file read and checked (or a receipt: `member` is None)."""

    source: str
    kind: str  # TRANSFER_FORMAT or RECEIPT_FORMAT
    info: dict[str, Any]  # the manifest: ids, sender, receiver, letter number, dates
    public_key: bytes
    member: Member | None = None
    steps: list[StepRecord] = field(default_factory=list)
    # introducers, votes, education, helper, exceptions by store table (None: a 1.0 file)
    dossier: dict[str, list[dict[str, Any]]] | None = None

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)

    @property
    def sender(self) -> str:
        code = self.info.get("from_code") or ""
        return f"{self.info['from_name']}" + (f" (mã {code})" if code else "")


# -- writing -------------------------------------------------------------------


def _archive(store: Store, manifest: dict[str, Any], files: dict[str, bytes]) -> bytes:
    private, public = store.packages.signing_key()
    manifest = {
        **manifest,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "signing_key": signing.encode_key(public),
        "files": {name: sha256(data) for name, data in files.items()},
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    return signing.signed_zip(private, body, files)


def _write(store: Store, out: Path, data: bytes, passphrase: str | None, overwrite: bool) -> None:
    if passphrase is not None:
        data = crypto.encrypt(data, passphrase)
    write_private(out, data, overwrite=overwrite, protect=[store.path])


def _sender(store: Store) -> dict[str, str]:
    s = store.settings.get()
    name = s.commune_name.strip() or s.party_committee.strip()
    if not name:
        raise KnownError(
            "Chưa đặt tên xã/phường (hoặc trường) trong Cài đặt: tệp chuyển cần tên nơi gửi."
        )
    if invisible(name):
        # The receiver refuses such a name (_check_info): say so here, where it is fixed.
        raise KnownError(
            "Tên xã/phường (hoặc trường) trong Cài đặt có ký tự điều khiển hoặc ký tự ẩn: "
            "hãy gõ lại tên trước khi ghi tệp chuyển."
        )
    return {
        "from_name": name,
        "from_code": s.commune_code.strip(),
        "from_committee": s.party_committee.strip(),
    }


def write_transfer_file(
    store: Store,
    uid: str,
    to: str,
    out: Path,
    letter_number: str = "",
    passphrase: str | None = None,
    today: date | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Write the one-person transfer file and record the handover; the manifest.

    The handover is the one recorded with the letter (same member, same
    receiver): writing the file again reuses it and its id, never records a
    second transfer. A member without any procedure step has nothing to
    transfer (the letter refuses them too).
    """
    check_output(out, overwrite=overwrite, protect=[store.path])
    today = today or date.today()
    receiver = " ".join(to.split())
    member = store.members.get(uid)
    done = [r for r in store.steps.of(uid).values() if r.state is not StepState.NOT_STARTED]
    if not any(r.state is StepState.DONE for r in done):
        raise KnownError(
            f"{member.full_name} chưa có bước nào của quy trình: không có hồ sơ để chuyển."
        )
    letter_number = letter_number.strip()
    for label, text in (("Tổ chức tiếp nhận", receiver), ("Số giấy chuyển", letter_number)):
        if len(text) > MAX_TEXT or invisible(text):
            # The receiver would refuse the file (_check_info).
            raise KnownError(f"{label} quá dài (quá {MAX_TEXT} ký tự) hoặc có ký tự ẩn.")
    sender = _sender(store)  # before the handover is recorded: a refused name records nothing
    transfer = store.transfers.outgoing(uid, today, receiver, letter_number)
    member_row = records.member_to_row(member)
    files = {
        MEMBER_FILE: _table(MEMBER_FILE, [member_row]),
        STEPS_FILE: _table(STEPS_FILE, [records.step_to_row(uid, r) for r in done]),
    }
    dossier = dossier_tables.to_rows(store.dossier_rows.read(uid=uid))
    for name in DOSSIER_FILES:
        files[name] = _table(name, dossier[name])
    manifest = {
        "format": TRANSFER_FORMAT,
        "transfer_id": transfer["transfer_id"],
        "member_uid": uid,
        "member_name": member.full_name,
        "to_organisation": receiver,
        "letter_number": transfer["letter_number"],
        "on_date": transfer["on_date"],
        **sender,
    }
    _write(store, out, _archive(store, manifest, files), passphrase, overwrite)
    return manifest


def write_receipt(
    store: Store,
    transfer_id: str,
    out: Path,
    passphrase: str | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Any]:
    """The signed receipt of a transfer file loaded here, for the sender to load."""
    check_output(out, overwrite=overwrite, protect=[store.path])
    arrival = store.transfers.arrival(transfer_id)
    manifest = {
        "format": RECEIPT_FORMAT,
        "transfer_id": transfer_id,
        "member_uid": arrival["uid"],
        "member_name": arrival["full_name"],
        "received_at": arrival["received_at"],
        **_sender(store),
    }
    _write(store, out, _archive(store, manifest, {}), passphrase, overwrite)
    return manifest


def _table(file: str, rows: list[dict[str, str]]) -> bytes:
    names = column_names({MEMBER_FILE: "members.csv"}.get(file, file))
    return csv_bytes(names, ([escape_reversible(str(r[n] or "")) for n in names] for r in rows))


# -- reading -------------------------------------------------------------------


def read_transfer_file(path: Path, passphrase: str | None = None) -> TransferFile:
    """Read and check a transfer file or a receipt; `PackageError` when anything is wrong."""
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"Không đọc được tệp “{path}” ({exc}).") from exc
    if crypto.is_encrypted(data):
        data = crypto.decrypt(data, passphrase, source)
    entries = read_entries(data, source)
    if MANIFEST_FILE not in entries:
        raise PackageError(f"“{source}” không phải tệp chuyển nguồn của dvdesk (thiếu manifest).")
    body = entries.pop(MANIFEST_FILE)
    try:
        info = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"Tệp “{source}”: manifest.json bị hỏng.") from exc
    kind = info.get("format") if isinstance(info, dict) else None
    if kind not in (TRANSFER_FORMAT, RECEIPT_FORMAT):
        raise PackageError(f"“{source}” không phải tệp chuyển nguồn hay xác nhận của dvdesk.")
    public_key = signing.verify(body, entries.pop(signing.SIGNATURE_FILE, None), source)
    _check_info(info, kind, source)
    files = info["files"]
    expected = {MEMBER_FILE, STEPS_FILE} if kind == TRANSFER_FORMAT else set()
    if kind == TRANSFER_FORMAT and any(f in entries or f in files for f in DOSSIER_FILES):
        expected |= set(DOSSIER_FILES)  # all of the dossier's files, or none (format 1.0)
    if set(entries) != expected or set(files) != expected:
        raise PackageError(f"Tệp “{source}”: danh sách tệp bên trong không đúng.")
    for name, content in entries.items():
        if sha256(content) != files[name]:
            raise PackageError(
                f"Tệp “{source}”: {name} không khớp mã kiểm tra SHA-256 — tệp đã bị sửa đổi."
            )
    out = TransferFile(source, kind, info, public_key)
    if kind == TRANSFER_FORMAT:
        out.member, out.steps = _content(entries, info, source)
        if DOSSIER_FILES[0] in entries:
            out.dossier = _dossier(entries, out.member.uid, source)
    return out


def _dossier(entries: dict[str, bytes], uid: str, source: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name in DOSSIER_FILES:
        try:
            header, rows = dict_rows(entries[name])
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageError(f"Tệp “{source}”: {name} không đọc được.") from exc
        if missing := [c for c in column_names(name) if c not in header]:
            raise PackageError(f"Tệp “{source}”: {name} thiếu cột {', '.join(missing)}.")
        rows = [{k: unescape_reversible(v) for k, v in r.items()} for r in rows]
        try:
            out[dossier_tables.TABLE_OF[name]] = dossier_tables.from_rows(name, rows, {uid}, set())
        except records.RecordError as exc:
            raise PackageError(f"Tệp “{source}”: {exc}.") from exc
    return out


def _check_info(info: dict[str, Any], kind: str, source: str) -> None:
    needed = ["transfer_id", "member_uid", "member_name", "from_name", "format_version"]
    needed += ["to_organisation", "on_date"] if kind == TRANSFER_FORMAT else ["received_at"]
    missing = [k for k in needed if not info.get(k)]
    if missing or not isinstance(info.get("files"), dict):
        raise PackageError(f"Tệp “{source}”: manifest.json thiếu {', '.join(missing) or 'files'}.")
    try:
        # The id exactly as uuid4 writes it: "{…}", upper case or "urn:uuid:" forms of
        # one id would be another transfer to the receiver and match no receipt.
        if str(uuid.UUID(str(info["transfer_id"]))) != info["transfer_id"]:
            raise ValueError(info["transfer_id"])
        if kind == TRANSFER_FORMAT:
            date.fromisoformat(str(info["on_date"]))
    except ValueError as exc:
        raise PackageError(f"Tệp “{source}”: mã tệp chuyển hoặc ngày chuyển không hợp lệ.") from exc
    if not isinstance(info["member_uid"], str) or not UID.fullmatch(info["member_uid"]):
        raise PackageError(f"Tệp “{source}”: mã đoàn viên trong manifest.json không hợp lệ.")
    for key, label in _TEXTS.items():
        value = info.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT or invisible(value):
            raise PackageError(f"Tệp “{source}”: manifest.json có {label} không hợp lệ.")
    code = str(info.get("from_code") or "")
    if code and commune_code_problem(code):
        raise PackageError(f"Tệp “{source}”: {commune_code_problem(code)}.")
    if str(info["format_version"]).split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise PackageError(
            f"Tệp “{source}” có định dạng {info['format_version']}, phiên bản này không đọc "
            "được. Hãy cập nhật dvdesk."
        )


def _content(
    entries: dict[str, bytes], info: dict[str, Any], source: str
) -> tuple[Member, list[StepRecord]]:
    tables: dict[str, list[dict[str, str]]] = {}
    for name, schema in ((MEMBER_FILE, "members.csv"), (STEPS_FILE, "steps.csv")):
        try:
            header, rows = dict_rows(entries[name])
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageError(f"Tệp “{source}”: {name} không đọc được.") from exc
        if missing := [c for c in column_names(schema) if c not in header]:
            raise PackageError(f"Tệp “{source}”: {name} thiếu cột {', '.join(missing)}.")
        tables[name] = [{k: unescape_reversible(v) for k, v in r.items()} for r in rows]
    if len(tables[MEMBER_FILE]) != 1:
        raise PackageError(f"Tệp “{source}”: tệp chuyển phải có đúng một người.")
    try:
        member = records.member_from_row(tables[MEMBER_FILE][0], normalized=True)
        steps = [records.step_from_row(r) for r in tables[STEPS_FILE]]
    except records.RecordError as exc:
        raise PackageError(f"Tệp “{source}”: {exc}.") from exc
    if member.uid != info["member_uid"] or any(uid != member.uid for uid, _ in steps):
        raise PackageError(f"Tệp “{source}”: người trong tệp không khớp manifest.")
    if len({r.code for _, r in steps}) != len(steps):
        raise PackageError(f"Tệp “{source}”: một bước quy trình ghi hai lần.")
    return member, [r for _, r in steps]


# -- loading -------------------------------------------------------------------


def preview(store: Store, tf: TransferFile) -> list[str]:
    """What loading would do (Vietnamese); raises `TransferConflict` / `KnownError` if refused."""
    lines = [f"Tệp “{tf.source}” gửi từ {tf.sender}; mã nhận dạng khóa ký {tf.fingerprint}."]
    if tf.kind == RECEIPT_FORMAT:
        sent = store.transfers.outgoing_by_id(str(tf.info["transfer_id"]))
        if sent is None or sent["uid"] != tf.info["member_uid"]:
            raise KnownError(
                f"Tệp xác nhận “{tf.source}” không khớp lần chuyển nào của tệp dữ liệu này."
            )
        if sent["confirmed_at"]:
            raise KnownError(
                f"Tệp xác nhận “{tf.source}”: việc chuyển {sent['full_name']} đã được xác nhận "
                f"trước đây ({sent['confirmed_at'].replace('T', ' ')})."
            )
        lines.append(
            f"Nơi nhận xác nhận đã nhận {sent['full_name']} (chuyển ngày "
            f"{_vi(sent['on_date'])} đến {sent['to_organisation']})."
        )
        return lines
    member = tf.member
    assert member is not None
    if store.transfers.arrival_or_none(str(tf.info["transfer_id"])) is not None:
        raise KnownError(f"Tệp chuyển “{tf.source}” đã được nhận trước đây: không nhận lại.")
    clash = store.transfers.same_person(member)
    if clash:
        raise TransferConflict(
            f"Xung đột, không nhận tệp “{tf.source}”: {member.full_name} đã có trong tệp dữ "
            f"liệu này với hồ sơ khác ({clash}). Hãy đối chiếu hai hồ sơ trước."
        )
    lines.append(
        f"Nhận {member.full_name} (giấy chuyển số {tf.info.get('letter_number') or 'không ghi'}, "
        f"ngày {_vi(tf.info['on_date'])}) với {len(tf.steps)} bước quy trình đã làm; "
        "đánh dấu “được chuyển đến”."
    )
    return lines


def load(
    store: Store, tf: TransferFile, unit_code: str = "", today: date | None = None
) -> list[str]:
    """Load a transfer file (into `unit_code`) or a receipt; the preview lines."""
    lines = preview(store, tf)
    if tf.kind == RECEIPT_FORMAT:
        store.transfers.confirm(str(tf.info["transfer_id"]), tf.sender, tf.fingerprint)
        return lines
    assert tf.member is not None
    unit = _unit(store, unit_code)
    with store.transaction():
        store.transfers.arrive(
            tf.member,
            unit,
            tf.steps,
            {
                "transfer_id": str(tf.info["transfer_id"]),
                "from_name": str(tf.info["from_name"]),
                "from_code": str(tf.info.get("from_code") or ""),
                "fingerprint": tf.fingerprint,
                "letter_number": str(tf.info.get("letter_number") or ""),
                "on_date": str(tf.info["on_date"]),
            },
            today or date.today(),
            tf.dossier,
        )
        # The stage and the checks again, with the dossier that came (store/dossier.py).
        store.dossier.refresh(tf.member.uid, today)
    return lines


def _unit(store: Store, code: str) -> str:
    units = store.units.all()
    if code:
        wanted = code.strip().upper()
        if not any(u.code == wanted for u in units):
            raise KnownError(f"Không có đơn vị mã “{code}” trong tệp dữ liệu này.")
        return wanted
    if len(units) == 1:
        return units[0].code
    raise KnownError(
        "Hãy chọn đơn vị (chi đoàn) nhận người này bằng --unit, ví dụ --unit KDC01: "
        + ", ".join(u.code for u in units[:10])
        + ("…" if len(units) > 10 else "")
        if units
        else "Tệp dữ liệu chưa có đơn vị nào: hãy thêm đơn vị (chi đoàn) trước."
    )


def _vi(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
