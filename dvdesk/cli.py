"""The headless entry point: `dvdesk …` (DESIGN.md, CLI contract).

Exit 0 on success; 1 on bad input or a refused operation (one Vietnamese
line on stderr, nothing written); 2 on usage errors. Without a sub-command
the window opens.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from dvdesk.domain.dates import DateError, parse_date, parse_option_date
from dvdesk.domain.eligibility import STATUS_LABELS, Method, evaluate
from dvdesk.errors import KnownError

log = logging.getLogger("dvdesk")


class Parser(argparse.ArgumentParser):
    """argparse with its errors in Vietnamese and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"dvdesk: lỗi cú pháp lệnh: {message}\n")


def default_db() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("dvdesk", appauthor=False)) / "dvdesk.db"


def _date(text: str | None, option: str) -> date | None:
    """A full date from the command line; bad input is exit 1 (not argparse's usage exit 2)."""
    try:
        return parse_option_date(text, option)
    except DateError as exc:
        raise KnownError(str(exc)) from exc


def _open(args: argparse.Namespace, *, create: bool = False, read_only: bool = False):
    from dvdesk.store.gateway import Store

    return Store.open(args.db or default_db(), create=create, read_only=read_only)


# -- commands --------------------------------------------------------------


def cmd_age(args: argparse.Namespace) -> int:
    try:
        dob = parse_date(args.dob)
    except DateError as exc:
        raise KnownError(f"Ngày sinh: {exc}") from exc
    on = _date(args.on, "--on")
    assert on is not None  # argparse requires --on
    result = evaluate(dob, on, Method(args.method))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(f"{result.label}. {result.reason}")
        for warning in result.warnings:
            print(f"Lưu ý: {warning}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from dvdesk import demo

    if args.members < 0:
        raise KnownError("Số đoàn viên phải là số không âm.")
    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        # Look without touching: a refused file must stay byte-identical.
        with _open(args, read_only=True) as probe:
            if problems := probe.integrity_problems():
                raise KnownError(
                    f"Tệp “{path}” bị hỏng ({problems[0].rstrip('.')}); "
                    "hãy chọn tệp mới cho dữ liệu mẫu."
                )
            if probe.members.count() or probe.members.count(_deleted_query()):
                raise KnownError(f"Tệp “{path}” đã có dữ liệu; hãy chọn tệp mới cho dữ liệu mẫu.")
    with _open(args, create=True) as store:
        count = demo.build(store, args.members, seed=args.seed, progress=_progress(args))
    print(f"Đã tạo {count} đoàn viên mẫu trong “{path}”.")
    return 0


def _deleted_query():
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


LIST_FIELDS = (
    "uid",
    "full_name",
    "dob",
    "gender",
    "unit",
    "unit_name",
    "school_class",
    "presence",
    "stage",
    "status",
    "eligible_from",
    "age_months",
)


def list_rows(store: Any, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The rows `dvdesk list` prints: members with their status on the date."""
    from dvdesk.store.member_query import MemberQuery

    settings = store.settings.get()
    method = Method(args.method) if args.method else settings.method
    eligible_on = _date(args.eligible_on, "--eligible-on")
    on = eligible_on or _date(args.on, "--on") or settings.consideration_on(date.today())
    query = MemberQuery(
        search=args.search or "",
        unit_code=args.unit or "",
        eligible_on=eligible_on,
        upcoming_months=args.upcoming_months,
        reference=on,
        method=method,
        commune_code=args.commune,
    )
    if args.unit and store.units.id_of(args.unit) is None:
        raise KnownError(f"Không có đơn vị mã “{args.unit}”.")
    out = []
    for row in store.members.list(query):
        result = evaluate(parse_date(row["dob"]), on, method)
        out.append(
            {
                "uid": row["uid"],
                "full_name": row["full_name"],
                "dob": row["dob"],
                "gender": row["gender"],
                "unit": row["unit_code"],
                "unit_name": row["unit_name"],
                "school_class": row["school_class"],
                "presence": row["presence"],
                "stage": row["stage"],
                "status": result.status.value,
                "eligible_from": row[f"elig_from_{'b' if method is Method.CALENDAR else 'a'}"],
                "age_months": result.age_months,
            }
        )
    return out


def cmd_list(args: argparse.Namespace) -> int:
    if args.upcoming_months is not None and args.upcoming_months < 0:
        raise KnownError("Số tháng phải là số không âm.")
    for option in ("eligible_on", "on"):  # bad dates before the file is even opened
        _date(getattr(args, option), "--" + option.replace("_", "-"))
    with _open(args) as store:
        rows = list_rows(store, args)
    if args.json:
        # One object per line, each encoded by the C encoder: json.dump(indent=...)
        # writes token by token and took 20 s for 120k rows.
        body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        sys.stdout.write(f"[\n{body}\n]\n" if rows else "[]\n")
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=LIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from dvdesk.domain.dates import fmt
        from dvdesk.domain.eligibility import Status

        for i, r in enumerate(rows, 1):
            dob = parse_date(r["dob"])
            start = r["eligible_from"]
            status = STATUS_LABELS[Status(r["status"])]
            when = (
                f" (từ {fmt(date.fromisoformat(start))})"
                if start and r["status"] == "too_young"
                else ""
            )
            print(
                f"{i:>6}  {r['full_name']:<32} {dob.vi() if dob else '':<10}  "
                f"{r['unit']:<7} {status}{when}"
            )
        print(f"Tổng cộng: {len(rows)} đoàn viên.", file=sys.stderr)
    return 0


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
    print(f"Tệp dữ liệu tốt (định dạng {major}.{minor}, {count} đoàn viên).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from dvdesk.store import backup

    with _open(args) as store:
        path = backup.make_backup(store, target=Path(args.out) if args.out else None)
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


def _passphrase(args: argparse.Namespace) -> str | None:
    """From --passphrase-file or DVDESK_PASSPHRASE; never from the command line itself."""
    if getattr(args, "passphrase_file", None):
        path = Path(args.passphrase_file)
        try:
            text = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnownError(f"Không đọc được tệp mật khẩu “{path}”.") from exc
        if not text:
            raise KnownError(f"Tệp mật khẩu “{path}” trống.")
        return text
    return os.environ.get("DVDESK_PASSPHRASE") or None


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".zip", ".xlsx", ".csv"):
        raise KnownError("Tệp xuất phải có đuôi .zip (gói gửi cấp trên), .xlsx hoặc .csv.")
    if not out.parent.is_dir():
        raise KnownError(f"Không có thư mục “{out.parent}”.")
    with _open(args) as store:
        if suffix == ".zip":
            from dvdesk.exchange.package import write_package

            secret = _passphrase(args)
            m = write_package(store, out, secret)
            c = m.counts
            print(
                f"Đã xuất gói dữ liệu số {m.sequence} của {m.commune_name} (mã "
                f"{m.commune_code}) vào “{out}”: {c['members.csv']} đoàn viên, "
                f"{c['units.csv']} đơn vị, {c['steps.csv']} bước quy trình, "
                f"{c['audit.csv']} dòng nhật ký mới"
                f"{'; đã mã hóa bằng mật khẩu' if secret else ''}."
            )
        elif suffix == ".xlsx":
            from dvdesk.exchange.xlsx_export import export_xlsx

            counts = export_xlsx(store, out)
            sheets = ", ".join(f"“{k}” {v} dòng" for k, v in counts.items())
            print(f"Đã xuất tệp Excel “{out}”: {sheets}.")
        else:
            from dvdesk.exchange.csv_export import export_csv

            print(f"Đã xuất {export_csv(store, out)} đoàn viên vào “{out}”.")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from dvdesk.exchange.merge import apply_merge, plan_merge
    from dvdesk.exchange.package import read_package

    if not args.db:
        # Never merge into the default file by accident: that is the commune's own data.
        raise KnownError("Hãy chỉ rõ tệp dữ liệu tổng hợp bằng --db, ví dụ --db tong-hop.db.")
    secret = _passphrase(args)
    # Every package is read and checked before the data file is even opened.
    packages = [read_package(Path(p), secret) for p in args.packages]
    with _open(args, create=True) as store:
        plan = plan_merge(store, packages)
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
        saved = apply_merge(store, plan)
    print(
        f"Đã gộp {len(plan.applied)} gói trong một lần ghi."
        + (f" Bản sao lưu trước khi gộp: “{saved}”." if saved else "")
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from dvdesk.exchange.sheet_import import apply_import, plan_import

    with _open(args) as store:
        plan = plan_import(
            store, Path(args.sheet), default_unit=args.unit, progress=_progress(args)
        )
        for line in plan.lines():
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
        if args.dry_run:
            return 0
        count, saved = apply_import(store, plan, progress=_progress(args))
    if not count:
        print("Không có đoàn viên mới để nhập: dữ liệu không thay đổi.")
        return 0
    units = plan.units_to_add
    print(
        f"Đã nhập {count} đoàn viên"
        + (f", tạo {len(units)} đơn vị mới" if units else "")
        + (f". Bản sao lưu trước khi nhập: “{saved}”." if saved else ".")
    )
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from dvdesk.reports import commands

    return commands.run(args, _open)


def cmd_gui(args: argparse.Namespace) -> int:
    from dvdesk.ui.app import run

    return run(Path(args.db) if args.db else default_db())


# -- parser ----------------------------------------------------------------


def build_parser() -> Parser:
    p = Parser(prog="dvdesk", description="Sổ theo dõi đoàn viên và phát triển đảng viên.")
    p.add_argument("--db", help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="tự kiểm tra bản cài đặt (tài nguyên, tệp dữ liệu, in PDF) rồi thoát",
    )
    p.set_defaults(func=cmd_gui)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    a = sub.add_parser("age", help="xét tuổi vào Đảng của một ngày sinh tại một ngày")
    a.add_argument("dob", help="ngày sinh: dd/mm/yyyy, YYYY-MM-DD, mm/yyyy hoặc yyyy")
    a.add_argument("--on", required=True, help="ngày chi bộ họp xét")
    a.add_argument(
        "--method",
        choices=("A", "B"),
        default="A",
        help="A: tháng tròn tính cả ngày (mặc định); B: bỏ qua ngày",
    )
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_age)

    d = sub.add_parser("demo", help="tạo dữ liệu mẫu")
    d.add_argument("--db", required=True)
    d.add_argument("--members", type=int, required=True)
    d.add_argument("--seed", type=int, default=1)
    d.set_defaults(func=cmd_demo)

    ls = sub.add_parser("list", help="danh sách đoàn viên")
    ls.add_argument("--db", default=argparse.SUPPRESS)
    ls.add_argument("--eligible-on", help="chỉ người đủ tuổi vào Đảng tại ngày này")
    ls.add_argument("--upcoming-months", type=int, help="người sẽ đủ 18 tuổi trong N tháng tới")
    ls.add_argument("--on", help="ngày xét (mặc định: theo cài đặt hoặc hôm nay)")
    ls.add_argument("--unit", help="mã đơn vị, ví dụ KDC01")
    ls.add_argument("--commune", help="chỉ đoàn viên của xã/phường mã này (dữ liệu tổng hợp)")
    ls.add_argument("--search", help="tìm theo tên (không cần dấu), CCCD, điện thoại")
    ls.add_argument("--method", choices=("A", "B"))
    fmt_group = ls.add_mutually_exclusive_group()
    fmt_group.add_argument("--json", action="store_true")
    fmt_group.add_argument("--csv", action="store_true")
    ls.set_defaults(func=cmd_list)

    c = sub.add_parser("check", help="kiểm tra tệp dữ liệu")
    c.add_argument("--db", default=argparse.SUPPRESS)
    c.set_defaults(func=cmd_check)

    b = sub.add_parser("backup", help="sao lưu tệp dữ liệu")
    b.add_argument("--db", default=argparse.SUPPRESS)
    b.add_argument("--out", help="tệp sao lưu (mặc định: thư mục backups cạnh tệp dữ liệu)")
    b.set_defaults(func=cmd_backup)

    secret_help = "tệp chứa mật khẩu (hoặc biến môi trường DVDESK_PASSPHRASE)"
    e = sub.add_parser("export", help="xuất gói gửi cấp trên (.zip) hoặc danh sách (.xlsx, .csv)")
    e.add_argument("--db", default=argparse.SUPPRESS)
    e.add_argument("--out", required=True, help="tệp .zip, .xlsx hoặc .csv")
    e.add_argument("--passphrase-file", help="mã hóa gói .zip bằng mật khẩu: " + secret_help)
    e.set_defaults(func=cmd_export)

    mg = sub.add_parser("merge", help="gộp gói dữ liệu của các xã vào dữ liệu tổng hợp")
    mg.add_argument("--db", default=argparse.SUPPRESS)
    mg.add_argument("packages", nargs="+", metavar="GOI.zip", help="gói dữ liệu của các xã")
    mg.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    mg.add_argument("--passphrase-file", help="mật khẩu của gói mã hóa: " + secret_help)
    mg.set_defaults(func=cmd_merge)

    im = sub.add_parser("import", help="nhập danh sách đoàn viên từ Excel (.xlsx) hoặc .csv")
    im.add_argument("--db", default=argparse.SUPPRESS)
    im.add_argument("sheet", metavar="BANG.xlsx", help="bảng tính .xlsx hoặc .csv")
    im.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    im.add_argument("--unit", help="mã đơn vị cho các dòng không ghi chi đoàn")
    im.add_argument(
        "--skip-invalid", action="store_true", help="bỏ qua các dòng có lỗi, nhập các dòng hợp lệ"
    )
    im.set_defaults(func=cmd_import)

    r = sub.add_parser("restore", help="khôi phục từ bản sao lưu")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("backup")
    r.set_defaults(func=cmd_restore)

    from dvdesk.reports import commands

    commands.add_parser(sub, Parser)
    sub.choices["print"].set_defaults(func=cmd_print)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command:
            parser.error("--self-test không đi kèm lệnh khác")
        from dvdesk import selftest

        return selftest.main()
    try:
        return int(args.func(args) or 0)
    except KnownError as exc:
        print(f"dvdesk: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
