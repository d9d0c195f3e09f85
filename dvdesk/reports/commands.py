"""The `dvdesk print …` sub-commands: arguments in, one PDF out.

Only argparse at import time; reportlab and the store load when a command
runs, so `dvdesk --help` and the GUI start stay fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.domain.procedure import STAGE_LABELS, Stage
from dvdesk.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Opener = Callable[[argparse.Namespace], "Store"]
CANDIDATE_STAGES = tuple(s.value for s in Stage if s is not Stage.MEMBER)


def select_candidates(
    store: Store, uids: Sequence[str], unit: str, stages: Sequence[str], eligible_on: date | None
) -> list[str]:
    """Member uids for a checklist batch, in Vietnamese name order for filters.

    Without `--stage`, a filter selects candidates only (at least one step
    done): a checklist of someone who has not started says nothing.
    """
    from dvdesk.store.member_query import MemberQuery

    filtered = bool(unit or stages or eligible_on)
    if uids and filtered:
        raise KnownError(
            "Chọn đoàn viên bằng --uid hoặc bằng bộ lọc (--unit, --stage, "
            "--eligible-on), không dùng cả hai."
        )
    if uids:
        for uid in uids:
            store.members.row_id(uid)  # NotFound with a Vietnamese message
        return list(dict.fromkeys(uids))
    if not filtered:
        raise KnownError("Chưa chọn đoàn viên: dùng --uid, --unit, --stage hoặc --eligible-on.")
    if unit and store.units.id_of(unit) is None:
        raise KnownError(f"Không có đơn vị mã “{unit}”.")
    query = MemberQuery(
        unit_code=unit,
        stages=tuple(stages) or CANDIDATE_STAGES,
        eligible_on=eligible_on,
        method=store.settings.get().method,
    )
    found = [row["uid"] for row in store.members.list(query)]
    if not found:
        raise KnownError("Không có đoàn viên nào phù hợp; không tạo tệp PDF.")
    return found


def _day(text: str | None, option: str) -> date | None:
    """A command-line date; a wrong one is bad input (exit 1), not a usage error."""
    from dvdesk.domain.dates import DateError, parse_option_date

    try:
        return parse_option_date(text, option)
    except DateError as exc:
        raise KnownError(str(exc)) from exc


def _done(out: Path, pages: int) -> int:
    print(f"Đã tạo “{out}” ({pages} trang).")
    return 0


def run(args: argparse.Namespace, open_store: Opener) -> int:
    """Dispatch `dvdesk print DOCUMENT …`."""
    from dvdesk.reports.progress import stderr_progress

    out = Path(args.out)
    today = date.today()
    with open_store(args) as store:
        if args.document == "checklist":
            from dvdesk.reports.checklist_pdf import write_checklists

            eligible_on = _day(args.eligible_on, "--eligible-on")
            uids = select_candidates(
                store, args.uid or [], args.unit or "", args.stage or [], eligible_on
            )
            meeting = _day(args.meeting, "--meeting") or eligible_on
            pages = write_checklists(store, uids, out, meeting, today, progress=stderr_progress())
            return _done(out, pages)
        if args.document == "eligible":
            from dvdesk.reports.member_lists import write_eligible_list

            on = _day(args.on, "--on") or store.settings.get().consideration_on(today)
            pages = write_eligible_list(
                store, on, out, args.unit or "", today, progress=stderr_progress()
            )
            return _done(out, pages)
        if args.document == "upcoming":
            from dvdesk.reports.member_lists import write_upcoming_list

            if not 1 <= args.months <= 60:
                raise KnownError("Số tháng phải từ 1 đến 60.")
            return _done(
                out,
                write_upcoming_list(
                    store,
                    args.months,
                    out,
                    _day(args.on, "--on"),
                    args.unit or "",
                    today,
                    progress=stderr_progress(),
                ),
            )
        if args.document == "stats":
            from dvdesk.reports.statistics_pdf import write_statistics

            if args.year is not None and not 1900 <= args.year <= 2200:
                raise KnownError(f"Năm {args.year} không hợp lệ.")
            return _done(out, write_statistics(store, out, args.year, today))
        from dvdesk.reports.transfer_letter import write_transfer_letter

        pages = write_transfer_letter(store, args.uid, args.to, out, today)
        # The handover is part of the member's record (chuyển nguồn), not only a paper.
        store.transfers.record(args.uid, today, args.to, f"Giấy chuyển ({out.name})")
        return _done(out, pages)


def add_parser(
    sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]
) -> None:
    """`dvdesk print` and its documents, each with `--out FILE.pdf`."""
    p = sub.add_parser("print", help="in phiếu, danh sách, báo cáo ra tệp PDF")
    p.add_argument("--db", default=argparse.SUPPRESS)
    docs = p.add_subparsers(
        dest="document",
        required=True,
        parser_class=parser_class,
        metavar="checklist|eligible|upcoming|stats|transfer",
    )
    common = parser_class(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    common.add_argument("--out", required=True, help="tệp PDF kết quả")

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

    u = docs.add_parser("upcoming", parents=[common], help="danh sách sắp đủ 18 tuổi")
    u.add_argument("--months", type=int, required=True, help="số tháng tới")
    u.add_argument("--on", help="tính từ ngày (mặc định: hôm nay)")
    u.add_argument("--unit", help="chỉ một đơn vị")

    s = docs.add_parser("stats", parents=[common], help="báo cáo thống kê có biểu đồ")
    s.add_argument("--year", type=int, help="một năm (mặc định: các năm gần đây)")

    t = docs.add_parser(
        "transfer", parents=[common], help="giấy giới thiệu chuyển nguồn khi học sinh tốt nghiệp"
    )
    t.add_argument("--uid", required=True, help="mã đoàn viên")
    t.add_argument("--to", required=True, help="tổ chức tiếp nhận (Kính gửi)")
