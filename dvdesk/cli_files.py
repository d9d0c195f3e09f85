"""`dvdesk` commands on whole data files and packages: demo, init, check, backup, restore,
export, merge, import, transfer-file, receive-transfer, transfers, upgrade.

Apart from cli.py (which keeps the parser, the shared helpers and the quick
commands age, list and stats) so that those do not compile this code at each
start (issue #11); cli.build_parser imports this module for these commands only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.cli import (
    _date,
    _db,
    _open,
    _open_to_read,
    _passphrase,
    _writing,
    default_db,
)
from dvdesk.domain.numbers import grouped
from dvdesk.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.exchange.package import PackageFile
    from dvdesk.store.gateway import Store
    from dvdesk.store.member_query import MemberQuery


def cmd_demo(args: argparse.Namespace) -> int:
    from dvdesk import demo

    if args.members < 0:
        raise KnownError("Số đoàn viên phải là số không âm.")
    path = Path(args.db)
    new = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if not new:
        # Look without touching: a refused file must stay byte-identical.
        with _open(args, read_only=True) as probe:
            if problems := probe.integrity_problems():
                raise KnownError(
                    f"Tệp “{path}” bị hỏng ({problems[0].rstrip('.')}); "
                    "hãy chọn tệp mới cho dữ liệu mẫu."
                )
            if probe.members.count() or probe.members.count(_deleted_query()):
                raise KnownError(f"Tệp “{path}” đã có dữ liệu; hãy chọn tệp mới cho dữ liệu mẫu.")
    commune = _commune_options(args)
    seed = args.seed
    if commune:
        # Distinct communes get distinct people (and member uids): the same seed with
        # another code is another commune, as reproducible as before.
        import hashlib

        seed = int.from_bytes(hashlib.sha256(f"{args.seed}:{commune[0]}".encode()).digest()[:6])
    try:
        with _writing(args, create=True) as store:
            if commune:
                _set_commune(store, *commune)
            count = demo.build(store, args.members, seed=seed, progress=_progress(args))
            settings = store.settings.get()
    except BaseException:
        if new:
            # A refused demo (full disk, Ctrl+C) leaves no half-made file with its -wal/-shm.
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{path}{suffix}").unlink()
        raise
    print(
        f"Đã tạo {grouped(count)} đoàn viên mẫu của {settings.commune_name} "
        f"(mã {settings.commune_code}) trong “{path}”."
    )
    return 0


def _commune_options(args: argparse.Namespace) -> tuple[str, str] | None:
    """--commune-code and --commune-name, trimmed and checked (both or neither on demo)."""
    import unicodedata

    from dvdesk.exchange.manifest import commune_code_problem

    code, name = getattr(args, "commune_code", None), getattr(args, "commune_name", None)
    if code is None and name is None:
        return None
    if code is None or name is None:
        raise KnownError("Hãy cho cả --commune-code và --commune-name.")
    code = code.strip()
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if problem := commune_code_problem(code):
        raise KnownError(f"--commune-code: {problem}.")
    if not name:
        raise KnownError("--commune-name: tên xã/phường trống.")
    return code, name


def _set_commune(store: Store, code: str, name: str) -> None:
    settings = store.settings.get()
    settings.commune_code, settings.commune_name = code, name
    settings.party_committee = settings.party_committee or f"ĐẢNG ỦY {name.upper()}"
    settings.youth_union = settings.youth_union or f"ĐOÀN {name.upper()}"
    store.settings.save(settings)


def cmd_init(args: argparse.Namespace) -> int:
    """An empty data file for one commune (or the receiving level's consolidated file)."""
    from dvdesk.exchange.signing import fingerprint

    commune = _commune_options(args)
    assert commune is not None  # argparse requires both
    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        raise KnownError(
            f"Tệp “{path}” đã có; dvdesk init chỉ tạo tệp dữ liệu mới (đổi tên, mã xã trong "
            "Cài đặt của cửa sổ chương trình)."
        )
    if not path.parent.is_dir():
        raise KnownError(f"Không có thư mục “{path.parent}”.")
    with _writing(args, create=True) as store:
        _set_commune(store, *commune)
        public = store.packages.signing_key()[1]
    print(
        f"Đã tạo tệp dữ liệu “{path}” của {commune[1]} (mã {commune[0]}). "
        f"Mã nhận dạng khóa ký gói dữ liệu: {fingerprint(public)}."
    )
    return 0


def _deleted_query() -> MemberQuery:
    from dvdesk.store.member_query import MemberQuery

    return MemberQuery(deleted=True)


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total} …" if total else f"\r{done} …")
        if done >= total:
            sys.stderr.write("\n")

    return report


def cmd_check(args: argparse.Namespace) -> int:
    # A check only reads: it neither migrates nor switches the journal mode.
    with _open(args, read_only=True) as store:
        problems = store.integrity_problems()
        major, minor = store.format_version()
        count = 0 if problems else store.members.count()
    if problems:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise KnownError(
            f"Tệp dữ liệu có lỗi: {problems[0].rstrip('.')}{more}. "
            "Hãy khôi phục từ bản sao lưu (dvdesk restore)."
        )
    print(f"Tệp dữ liệu tốt (định dạng {major}.{minor}, {grouped(count)} đoàn viên).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from dvdesk.files import check_output
    from dvdesk.store import backup

    target = Path(args.out) if args.out else None
    if target is not None:
        # Before the data file is even opened: never over a data file or a backup.
        check_output(target, overwrite=args.overwrite, protect=[_db(args)])
    with _open(args) as store:
        path = backup.make_backup(store, target=target, overwrite=args.overwrite)
    print(f"Đã sao lưu vào “{path}”.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from dvdesk.store import restoring
    from dvdesk.store.lock import DataFileLock

    db = Path(args.db or default_db())
    # A window still holding the old file would go on writing to a deleted inode.
    with DataFileLock.acquire(db):
        safety = restoring.restore(db, Path(args.backup))
    print(f"Đã khôi phục từ “{args.backup}”. Bản trước khi khôi phục: “{safety}”.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if args.template:
        return _export_template(args, out)
    if suffix not in (".zip", ".xlsx", ".csv", ".pdf"):
        raise KnownError(
            "Tệp xuất phải có đuôi .zip (gói gửi cấp trên), .xlsx, .csv hoặc .pdf (bảng tổng "
            "hợp theo xã)."
        )
    if suffix == ".zip" and args.commune is not None:
        raise KnownError("--commune chỉ dùng cho danh sách .xlsx, .csv, .pdf, không dùng cho gói.")
    from dvdesk.files import check_output

    # Checked before the data file is opened: never the data file, its side files or a backup.
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    # A package moves the export sequence on: that is a write, under the lock.
    with _writing(args) if suffix == ".zip" else _open_to_read(args) as store:
        if suffix == ".zip":
            from dvdesk.exchange.package import write_package

            secret = _passphrase(args)
            m = write_package(store, out, secret, overwrite=args.overwrite)
            c = m.counts
            print(
                f"Đã xuất gói dữ liệu số {m.sequence} của {m.commune_name} (mã "
                f"{m.commune_code}) vào “{out}”: {grouped(c['members.csv'])} đoàn viên, "
                f"{grouped(c['units.csv'])} đơn vị, {grouped(c['steps.csv'])} bước quy trình, "
                f"{grouped(c['audit.csv'])} dòng nhật ký mới"
                f"{'; đã mã hóa bằng mật khẩu' if secret else ''}. Gói đã ký; mã nhận dạng "
                f"khóa ký (đọc cho cấp nhận khi gọi điện): {_fingerprint(store)}."
            )
        elif suffix == ".pdf" or _consolidated(store, args):
            _export_consolidated(store, out, args)
        elif suffix == ".xlsx":
            from dvdesk.exchange.xlsx_export import export_xlsx

            counts = export_xlsx(store, out, overwrite=args.overwrite)
            sheets = ", ".join(f"“{k}” {v} dòng" for k, v in counts.items())
            print(f"Đã xuất tệp Excel “{out}”: {sheets}.")
        else:
            from dvdesk.exchange.csv_export import export_csv

            count = export_csv(store, out, overwrite=args.overwrite)
            print(f"Đã xuất {grouped(count)} đoàn viên vào “{out}”.")
    return 0


def _export_template(args: argparse.Namespace, out: Path) -> int:
    from dvdesk.exchange.templates import TEMPLATES, export_template
    from dvdesk.files import check_output

    if out.suffix.lower() != ".xlsx":
        raise KnownError("Xuất theo mẫu (--template) cần tệp .xlsx.")
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    with _open_to_read(args) as store:
        count = export_template(store, args.template, out, unit=args.unit, overwrite=args.overwrite)
    print(f"Đã xuất “{TEMPLATES[args.template].label}” vào “{out}”: {grouped(count)} dòng.")
    return 0


def _consolidated(store: Store, args: argparse.Namespace) -> bool:
    from dvdesk.exchange.consolidated import is_consolidated

    return args.commune is not None or is_consolidated(store)


def _export_consolidated(store: Store, out: Path, args: argparse.Namespace) -> None:
    """Lists at the receiving level: every row with its commune; the summary per commune."""
    from dvdesk.exchange import consolidated

    on = _date(args.on, "--on") or date.today()
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from dvdesk.reports.commune_summary import write_commune_summary

        pages = write_commune_summary(store, out, on, args.commune, overwrite=args.overwrite)
        print(f"Đã in bảng tổng hợp theo xã vào “{out}” ({pages} trang).")
    elif suffix == ".xlsx":
        counts = consolidated.export_consolidated_xlsx(
            store, out, args.commune, on, overwrite=args.overwrite
        )
        sheets = ", ".join(f"“{k}” {v} dòng" for k, v in counts.items())
        print(f"Đã xuất tệp Excel tổng hợp “{out}”: {sheets}.")
    else:
        count = consolidated.export_consolidated_csv(
            store, out, args.commune, overwrite=args.overwrite
        )
        print(f"Đã xuất {grouped(count)} đoàn viên (kèm mã và tên xã) vào “{out}”.")


def _fingerprint(store: Store) -> str:
    from dvdesk.exchange.signing import fingerprint

    return fingerprint(store.packages.signing_key()[1])


def cmd_merge(args: argparse.Namespace) -> int:
    from dvdesk.exchange.package import PackageFile

    if not args.db:
        # Never merge into the default file by accident: that is the commune's own data.
        raise KnownError("Hãy chỉ rõ tệp dữ liệu tổng hợp bằng --db, ví dụ --db tong-hop.db.")
    secret = _passphrase(args)
    # Every package file is read (and decrypted) before the data file is even opened;
    # each is unpacked and checked in full when the merge reaches it.
    files = [PackageFile.open(Path(p), secret) for p in args.packages]
    target = Path(args.db)
    new = not target.exists()
    try:
        return _merge_into(args, files)
    except BaseException:
        if new:
            # A refused first merge leaves no empty consolidated file behind.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise


def _merge_into(args: argparse.Namespace, files: list[PackageFile]) -> int:
    import gc

    from dvdesk.exchange.merge import merge_files

    opened = _open(args, create=True) if args.dry_run else _writing(args, create=True)
    with opened as store:
        # Hundreds of thousands of short-lived rows, no cycles: the collector would
        # rescan every live object again and again for nothing.
        gc.disable()
        try:
            plan, saved = merge_files(
                store,
                files,
                commit=not args.dry_run,
                accept_keys=args.accept_key or (),
                progress=_package_progress(args),
            )
        finally:
            gc.enable()
        for line in plan.lines():
            print(line)
        if plan.conflicts:
            raise KnownError(
                f"Không gộp gì: có {plan.conflicts} xung đột cần xử lý trước "
                "(xem danh sách ở trên)."
            )
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
            return 0
        if not plan.applied:
            print("Không có gói mới để gộp: dữ liệu không thay đổi.")
            return 0
    print(
        f"Đã gộp {len(plan.applied)} gói trong một lần ghi."
        + (f" Bản sao lưu trước khi gộp: “{saved}”." if saved else "")
    )
    return 0


def _sheet_units(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        sheet, sep, unit = pair.partition("=")
        if not sep or not sheet.strip() or not unit.strip():
            raise KnownError(f"--sheet-unit cần dạng TRANG=ĐƠN VỊ, không phải “{pair}”.")
        out[sheet.strip()] = unit.strip()
    return out


def _package_progress(args: argparse.Namespace) -> Callable[[int, int], None]:
    """One line per package checked and written, on stdout (stderr keeps the one error line)."""

    def report(done: int, total: int) -> None:
        print(f"Đã xử lý gói {done}/{total}.", flush=True)

    return report


def cmd_import(args: argparse.Namespace) -> int:
    from dvdesk.exchange.sheet_import import apply_import, plan_import

    with _open(args) if args.dry_run else _writing(args) as store:
        plan = plan_import(
            store,
            Path(args.sheet),
            default_unit=args.unit,
            sheet_units=_sheet_units(args.sheet_unit),
            progress=_progress(args),
            sheets=args.sheet_name,
            erase_empty=args.erase_empty,
            confirm_probable=args.same_person,
        )
        for line in plan.iter_lines():  # one at a time: a unit line per row when sorted by name
            print(line)
        summary = plan.summary()
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
        if summary["invalid"] and not args.skip_invalid:
            # The exit code says whether the real import would go ahead.
            raise KnownError(
                f"{'Khi nhập thật sẽ từ chối' if args.dry_run else 'Không nhập'}: "
                f"{summary['invalid']} dòng có lỗi. Hãy sửa tệp, hoặc thêm --skip-invalid "
                "để chỉ nhập các dòng hợp lệ."
            )
        if summary["conflict"]:
            print(
                f"{summary['conflict']} dòng có thể là người đã có (cùng họ tên, ngày sinh, đơn vị)"
                " nên chưa nhập: kiểm tra rồi thêm --same-person để cập nhật họ."
            )
        if args.dry_run:
            return 0
        count, saved = apply_import(store, plan, progress=_progress(args))
    if not count:
        print("Không có đoàn viên mới hay thay đổi nào để nhập: dữ liệu không thay đổi.")
        return 0
    units = plan.units_to_add
    added, updated = summary["new"], summary["update"]
    print(
        f"Đã nhập {added} đoàn viên"
        + (f", cập nhật {updated} người" if updated else "")
        + (f", tạo {len(units)} đơn vị mới" if units else "")
        + (f". Bản sao lưu trước khi nhập: “{saved}”." if saved else ".")
    )
    return 0


def cmd_transfer_file(args: argparse.Namespace) -> int:
    """The one-person transfer file written with (or after) the transfer letter."""
    from dvdesk.exchange.transfer_file import write_transfer_file
    from dvdesk.files import check_output

    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        raise KnownError("Tệp chuyển nguồn phải có đuôi .zip.")
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    secret = _passphrase(args)
    with _writing(args) as store:
        info = write_transfer_file(
            store, args.uid, args.to, out, args.letter_number, secret, overwrite=args.overwrite
        )
        fp = _fingerprint(store)
    print(
        f"Đã ghi tệp chuyển nguồn của {info['member_name']} đến {info['to_organisation']} "
        f"vào “{out}” (giấy chuyển số {info['letter_number'] or 'không ghi'}, ngày "
        f"{info['on_date']}){'; đã mã hóa' if secret else ''}. Mã nhận dạng khóa ký: {fp}. "
        "Người này ở danh sách “Đã chuyển đi — chờ nơi nhận xác nhận” đến khi nơi nhận "
        "gửi lại tệp xác nhận."
    )
    return 0


def cmd_receive_transfer(args: argparse.Namespace) -> int:
    """Load a transfer file (the person arrives) or a receipt (the transfer is confirmed)."""
    from dvdesk.exchange.transfer_file import (
        RECEIPT_FORMAT,
        load,
        preview,
        read_transfer_file,
        write_receipt,
    )

    secret = _passphrase(args)
    tf = read_transfer_file(Path(args.file), secret)
    receipt = Path(args.receipt) if args.receipt else None
    if receipt is not None:
        from dvdesk.files import check_output

        if receipt.suffix.lower() != ".zip":
            raise KnownError(f"Tệp xác nhận “{receipt}” phải có đuôi .zip.")
        check_output(receipt, overwrite=args.overwrite, protect=[_db(args)])
    with _open(args) if args.dry_run else _writing(args) as store:
        if args.dry_run:
            for line in preview(store, tf):
                print(line)
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
            return 0
        for line in load(store, tf, args.unit or ""):
            print(line)
        if tf.kind == RECEIPT_FORMAT:
            print("Đã ghi nhận: nơi nhận đã xác nhận việc chuyển.")
            return 0
        print(f"Đã nhận {tf.info['member_name']}, được chuyển đến từ {tf.sender}.")
        if receipt is not None:
            write_receipt(
                store, str(tf.info["transfer_id"]), receipt, secret, overwrite=args.overwrite
            )
            print(f"Đã ghi tệp xác nhận “{receipt}”: hãy gửi lại cho {tf.sender}.")
    return 0


def cmd_transfers(args: argparse.Namespace) -> int:
    """The follow-up lists: sent and waiting for confirmation; received."""
    with _open(args, read_only=True) as store:
        pending, arrived = store.transfers.pending(), store.transfers.arrivals()
    if args.json:
        print(json.dumps({"pending": pending, "arrived": arrived}, ensure_ascii=False, indent=1))
        return 0
    # People, not files: the window's view of that name counts each person once.
    print(f"Đã chuyển đi — chờ nơi nhận xác nhận: {len({r['uid'] for r in pending})} người.")
    for r in pending:
        print(
            f"  {r['full_name']} — {r['to_organisation']} (ngày {r['on_date']}, số "
            f"{r['letter_number'] or 'không ghi'})"
        )
    print(f"Được chuyển đến: {len(arrived)} người.")
    for r in arrived:
        print(f"  {r['full_name']} — từ {r['from_name']} (ngày {r['on_date']})")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from dvdesk.store import backup, schema

    with _open(args, read_only=True) as probe:
        before = probe.format_version()
        pending = probe.pending_migrations()
    if not pending:
        print(f"Tệp dữ liệu đã ở định dạng mới nhất ({before[0]}.{before[1]}): không cần nâng cấp.")
        return 0
    with _writing(args) as store:  # backs the file up, then migrates it
        after = store.format_version()
        path = store.path
    assert path is not None
    saved = [p for p in backup.backups(path) if p.name.endswith("-truoc-nang-cap.db")]
    kept = f" Bản sao lưu trước khi nâng cấp: “{saved[0]}”." if saved else ""
    if after == before:  # an index or a recomputed column: the format number stays
        done = (
            f"Đã cập nhật “{path}” cho bản dvdesk này (định dạng vẫn là "
            f"{after[0]}.{after[1]}: thêm chỉ mục, dữ liệu không đổi)."
        )
    else:
        done = (
            f"Đã nâng cấp “{path}” từ định dạng {before[0]}.{before[1]} lên {after[0]}.{after[1]} "
            f"(bản dvdesk này: {schema.FORMAT_MAJOR}.{schema.FORMAT_MINOR})."
        )
    print(done + kept)
    return 0
