"""`dvdesk print` and `dvdesk plan`: documents to PDF (and the source plan as text or JSON).

Apart from cli.py for the same reason as cli_files.py.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from dvdesk.cli import (
    Parser,
    _date,
    _open_to_read,
    _passphrase,
    _writing,
)
from dvdesk.errors import KnownError


def cmd_plan(args: argparse.Namespace) -> int:
    """`dvdesk plan`: the source plan of a school course or of a year."""
    from dvdesk.services import plans

    if bool(args.school) != bool(args.course) or bool(args.school) == (args.year is not None):
        raise KnownError("Chọn --school MÃ --course 2024-2027, hoặc --year NĂM.")
    with _open_to_read(args) as store:
        if args.school:
            plan = plans.school_plan(store, args.school, args.course)
        else:
            plan = plans.year_plan(store, args.year)
        if args.out:
            from dvdesk.reports.source_plan import write_source_plan

            out = Path(args.out)
            pages = write_source_plan(
                store.settings.get(), plan.title, plan.subtitle, plan.groups(), out
            )
            return _printed(out, pages)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False, indent=1))
        return 0
    print(plan.title)
    print(plan.subtitle)
    for name, entries in plan.groups():
        print(f"\n{name} — {len(entries)} người")
        for i, e in enumerate(entries, 1):
            when = f"{e.earliest:%d/%m/%Y}" if e.earliest else "—"
            print(
                f"{i:>4}. {e.full_name} ({e.school_class or e.unit}): có thể xét từ {when}; "
                + "; ".join(e.reasons)
            )
            for step in e.steps:
                if not step.done_on:
                    print(f"       - {step.text()}")
    return 0


def _commune(args: argparse.Namespace) -> str | None:
    code = getattr(args, "commune", None)
    return None if code is None else code.strip()


def _printed(out: Path, pages: int) -> int:
    print(f"Đã tạo “{out}” ({pages} trang).")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    """`dvdesk print DOCUMENT …`: one PDF out (services.printing does the work)."""
    from dvdesk.services import printing

    out = Path(args.out)
    today = date.today()
    # The transfer letter also records the handover in the member's file: a write.
    # Printing only reads, except a transfer letter: it records the handover.
    with (_writing if args.document == "transfer" else _open_to_read)(args) as store:
        if args.document == "checklist":
            eligible_on = _date(args.eligible_on, "--eligible-on")
            uids = printing.select_candidates(
                store, args.uid or [], args.unit or "", args.stage or [], eligible_on
            )
            meeting = _date(args.meeting, "--meeting") or eligible_on
            return _printed(
                out,
                printing.print_checklists(
                    store,
                    uids,
                    out,
                    meeting,
                    today,
                    overwrite=args.overwrite,
                    progress=printing.stderr_progress(),
                ),
            )
        if args.document == "eligible":
            on = _date(args.on, "--on") or store.settings.get().consideration_on(today)
            return _printed(
                out,
                printing.print_eligible(
                    store,
                    on,
                    out,
                    args.unit or "",
                    today,
                    overwrite=args.overwrite,
                    commune_code=_commune(args),
                    progress=printing.stderr_progress(),
                ),
            )
        if args.document == "upcoming":
            from_day = _date(args.on, "--on")  # None: the upcoming list starts today
            pages = printing.print_upcoming(
                store,
                args.months,
                out,
                from_day,
                args.unit or "",
                today,
                overwrite=args.overwrite,
                commune_code=_commune(args),
                progress=printing.stderr_progress(),
            )
            return _printed(out, pages)
        if args.document == "view":
            on = _date(args.on, "--on") or store.settings.get().consideration_on(today)
            pages = printing.print_view(
                store,
                args.view,
                on,
                out,
                args.unit or "",
                today,
                overwrite=args.overwrite,
                commune_code=_commune(args),
                progress=printing.stderr_progress(),
            )
            return _printed(out, pages)
        if args.document == "stats":
            return _printed(
                out,
                printing.print_statistics(store, out, args.year, today, overwrite=args.overwrite),
            )
        package = Path(args.transfer_file) if args.transfer_file else None
        if package is not None and package.suffix.lower() != ".zip":
            raise KnownError("Tệp chuyển nguồn (--transfer-file) phải có đuôi .zip.")
        issued = printing.issue_transfer_letter(
            store,
            args.uid,
            args.to,
            out,
            today,
            overwrite=args.overwrite,
            transfer_file=package,
            letter_number=args.letter_number,
            passphrase=_passphrase(args) if package is not None else None,
        )
        if not issued.recorded:
            print(
                f"Bản in lại giấy chuyển ngày {issued.on:%d/%m/%Y}: việc chuyển nguồn đã "
                "ghi trước đây, không ghi thêm."
            )
        if issued.transfer_file is not None:
            print(
                f"Đã ghi tệp chuyển nguồn “{package}” (có ký) cho "
                f"{issued.transfer_file['to_organisation']}: gửi kèm giấy chuyển; người này ở "
                "danh sách “Đã chuyển đi — chờ nơi nhận xác nhận”."
            )
        return _printed(out, issued.pages)


def add_print_arguments(p: Parser, parser_class: type[Parser]) -> None:
    """`dvdesk print`'s documents, each with `--out FILE.pdf`."""
    from dvdesk.domain.listing import VIEW_KEYS
    from dvdesk.domain.procedure import STAGE_LABELS, Stage

    p.add_argument("--db", default=argparse.SUPPRESS)
    docs = p.add_subparsers(
        dest="document",
        required=True,
        parser_class=parser_class,
        metavar="checklist|eligible|upcoming|view|stats|transfer",
    )
    commune_help = "dữ liệu tổng hợp: chỉ đoàn viên của xã/phường mã này"
    common = parser_class(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    common.add_argument("--out", required=True, help="tệp PDF kết quả")
    common.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp kết quả đã có")

    c = docs.add_parser(
        "checklist", parents=[common], help="phiếu theo dõi hồ sơ kết nạp, mỗi người một trang"
    )
    c.add_argument("--uid", action="append", help="mã đoàn viên (có thể lặp lại)")
    c.add_argument("--unit", help="mọi người đang trong quy trình của đơn vị")
    c.add_argument(
        "--stage",
        action="append",
        choices=[s.value for s in Stage],
        help="giai đoạn: " + ", ".join(f"{s.value} ({STAGE_LABELS[s]})" for s in Stage),
    )
    c.add_argument("--eligible-on", help="người đủ tuổi tại ngày chi bộ họp xét")
    c.add_argument(
        "--meeting", help="ngày chi bộ dự kiến họp xét (mặc định: --eligible-on hoặc cài đặt)"
    )

    e = docs.add_parser("eligible", parents=[common], help="danh sách đủ tuổi tại một ngày")
    e.add_argument("--on", help="ngày chi bộ họp xét (mặc định: cài đặt)")
    e.add_argument("--unit", help="chỉ một đơn vị")
    e.add_argument("--commune", help=commune_help)

    u = docs.add_parser("upcoming", parents=[common], help="danh sách sắp đủ 18 tuổi")
    u.add_argument("--months", type=int, required=True, help="số tháng tới")
    u.add_argument("--on", help="tính từ ngày (mặc định: hôm nay)")
    u.add_argument("--unit", help="chỉ một đơn vị")
    u.add_argument("--commune", help=commune_help)

    v = docs.add_parser("view", parents=[common], help="danh sách của một mục xem có sẵn")
    v.add_argument("view", choices=VIEW_KEYS, help="mục xem: " + ", ".join(VIEW_KEYS))
    v.add_argument("--on", help="ngày xét (mặc định: cài đặt hoặc hôm nay)")
    v.add_argument("--unit", help="chỉ một đơn vị")
    v.add_argument("--commune", help=commune_help)

    s = docs.add_parser("stats", parents=[common], help="báo cáo thống kê có biểu đồ")
    s.add_argument("--year", type=int, help="một năm (mặc định: các năm gần đây)")

    t = docs.add_parser(
        "transfer", parents=[common], help="giấy giới thiệu chuyển nguồn khi học sinh tốt nghiệp"
    )
    t.add_argument("--uid", required=True, help="mã đoàn viên")
    t.add_argument("--to", required=True, help="tổ chức tiếp nhận (Kính gửi)")
    t.add_argument(
        "--transfer-file", help="ghi thêm tệp chuyển nguồn .zip (có ký) cho dvdesk nơi nhận"
    )
    t.add_argument("--letter-number", default="", help="số giấy chuyển, ví dụ 12-GGT/ĐU")
    t.add_argument("--passphrase-file", help="mã hóa tệp chuyển nguồn bằng mật khẩu trong tệp này")
