"""`dvdesk step` and `dvdesk dossier`: one candidate's admission dossier from the command line.

Both go through the store's dossier repository, so a step is checked by the
same domain function as in the window (procedure_order.refusals): a refused
step exits 1 with the rule and its source, and nothing is written. Every
option of one `dossier` call is written in one transaction: if any part is
refused, none is.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from dvdesk.domain.checklist import FLAG_KIND_LABELS, Checklist
from dvdesk.domain.dates import DateError, fmt, parse_option_date
from dvdesk.domain.procedure import (
    DEFINITION,
    STAGE_LABELS,
    STEP_STATE_LABELS,
    StepRecord,
    StepState,
)
from dvdesk.domain.procedure_dossier import (
    KEEP,
    PARTY_STATUS_LABELS,
    DossierException,
    Introducer,
    Keep,
    PartyStatus,
    Vote,
)
from dvdesk.errors import KnownError

STATUS_WORDS = {
    "chinh-thuc": PartyStatus.OFFICIAL,
    "official": PartyStatus.OFFICIAL,
    "du-bi": PartyStatus.PROBATIONARY,
    "probationary": PartyStatus.PROBATIONARY,
    "khong": PartyStatus.NONE,
    "none": PartyStatus.NONE,
}
YES_NO = {"co": True, "yes": True, "1": True, "khong": False, "no": False, "0": False}


def _date(text: str | None, option: str) -> date | None:
    try:
        return parse_option_date(text, option)
    except DateError as exc:
        raise KnownError(str(exc)) from exc


def _step_code(text: str) -> str:
    step = DEFINITION.by_cli_code(text)
    if step is None:
        names = ", ".join(s.cli_code for s in DEFINITION.steps)
        raise KnownError(f"Không có bước “{text}”. Các bước: {names}.")
    return step.code


def _print_refusal(exc: KnownError) -> int:
    print(f"dvdesk: {exc}", file=sys.stderr)
    rules = {p.rule.code: p.rule for p in getattr(exc, "problems", ())}
    for rule in rules.values():
        print(f"dvdesk: quy tắc {rule.code} — {rule.source}", file=sys.stderr)
    return 1


# -- step ----------------------------------------------------------------------


def cmd_step(args: argparse.Namespace, open_store: Any) -> int:
    code = _step_code(args.form)
    if args.not_applicable:
        record = StepRecord(code, StepState.NOT_APPLICABLE, None, args.number or "")
    elif args.not_started:
        record = StepRecord(code, StepState.NOT_STARTED)
    else:
        on = _date(args.date, "--date")
        if on is None:
            raise KnownError("Cần --date (ngày hoàn thành), --not-applicable hoặc --not-started.")
        record = StepRecord(code, StepState.DONE, on, args.number or "")
    today = _date(args.today, "--today") or date.today()
    from dvdesk.store.dossier import StepRefused

    with open_store(args) as store:
        try:
            store.dossier.record_step(args.uid, record, today)
        except StepRefused as exc:
            return _print_refusal(exc)
        step = DEFINITION.step(code)
        print(
            f"Đã ghi: {step.label} — {STEP_STATE_LABELS[record.state].lower()}"
            + (f" ngày {fmt(record.done_on)}" if record.done_on else "")
            + "."
        )
    return 0


# -- dossier -------------------------------------------------------------------


def _introducer(text: str) -> Introducer:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3 or not parts[0]:
        raise KnownError(
            f"--introducer “{text}”: cần “HỌ TÊN;chinh-thuc|du-bi|khong;CÙNG SINH HOẠT TỪ NGÀY"
            "[;NGÀY GIỚI THIỆU]”."
        )
    status = STATUS_WORDS.get(parts[1].lower())
    if status is None:
        raise KnownError(
            f"--introducer: tình trạng đảng viên “{parts[1]}” (chinh-thuc, du-bi, khong)."
        )
    since = _date(parts[2], "--introducer") if parts[2] else None
    on = _date(parts[3], "--introducer") if len(parts) > 3 and parts[3] else None
    return Introducer(parts[0], status, since, on)


def _vote(text: str) -> tuple[str, Vote]:
    try:
        head, figures = text.split(":", 1)
        counts = figures.split(":")
        in_favour, total = (int(x) for x in counts[0].split("/"))
        present = int(counts[1]) if len(counts) > 1 and counts[1] else None
    except ValueError as exc:
        raise KnownError(
            f"--vote “{text}”: cần “MẪU:TÁN THÀNH/TỔNG SỐ[:CÓ MẶT]”, ví dụ 6-KNĐ:9/12:11."
        ) from exc
    code = _step_code(head)
    return code, Vote(code, in_favour, total, present)


def _exception(text: str) -> DossierException:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3:
        raise KnownError(f"--exception “{text}”: cần “QUY TẮC;LÝ DO;VĂN BẢN[;BƯỚC]”.")
    step = _step_code(parts[3]) if len(parts) > 3 and parts[3] else ""
    return DossierException(parts[0], parts[1], parts[2], step)


def _removal(text: str) -> tuple[str, str]:
    rule, _, step = (p.strip() for p in text.partition(";"))
    return rule, _step_code(step) if step else ""


def _yes_no(text: str | None, option: str) -> bool | Keep | None:
    if text is None:
        return KEEP
    if text.lower() in ("?", "chua-ro", "unknown"):
        return None
    if text.lower() not in YES_NO:
        raise KnownError(f"{option}: “{text}” (co/khong).")
    return YES_NO[text.lower()]


def _writes(args: argparse.Namespace) -> bool:
    return any(
        getattr(args, name) not in (None, [], False)
        for name in (
            "introducer",
            "no_introducers",
            "vote",
            "education",
            "union_member",
            "helper",
            "helper_since",
            "exception",
            "remove_exception",
            "unit_position",
            "difficult_area",
        )
    )


def cmd_dossier(args: argparse.Namespace, open_store: Any) -> int:
    # Parse everything first: a bad option writes nothing.
    people = [_introducer(t) for t in args.introducer or []]
    votes = [_vote(t) for t in args.vote or []]
    exceptions = [_exception(t) for t in args.exception or []]
    removals = [_removal(t) for t in args.remove_exception or []]
    union = _yes_no(args.union_member, "--union-member")
    difficult = _yes_no(args.difficult_area, "--difficult-area")
    helper_since: date | Keep | None = (
        _date(args.helper_since, "--helper-since") if args.helper_since else KEEP
    )
    on = _date(args.on, "--on")
    today = _date(args.today, "--today") or date.today()
    with open_store(args, writes=_writes(args)) as store:
        if _writes(args):
            with store.transaction():
                repo = store.dossier
                if args.difficult_area is not None:
                    repo.set_difficult_area(bool(difficult))
                if args.unit_position:
                    unit = store.members.get(args.uid).unit_code
                    repo.set_unit_position(
                        unit, None if args.unit_position == "mac-dinh" else args.unit_position
                    )
                if people or args.no_introducers:
                    repo.set_introducers(args.uid, people)
                for code, vote in votes:
                    repo.set_vote(args.uid, code, vote)
                if (
                    args.education is not None
                    or union is not KEEP
                    or args.helper is not None
                    or helper_since is not KEEP
                ):
                    repo.set_details(
                        args.uid,
                        education=args.education,
                        union_member=union,
                        helper=args.helper,
                        helper_since=helper_since,
                    )
                for e in exceptions:
                    repo.add_exception(args.uid, e)
                for rule, step in removals:
                    repo.remove_exception(args.uid, rule, step)
        member = store.members.get(args.uid)
        cl = store.dossier.checklist(args.uid, on, today)
        if args.json:
            print(json.dumps(dossier_json(args.uid, member.full_name, cl), ensure_ascii=False))
        else:
            print(dossier_text(member.full_name, cl))
    return 0


def dossier_json(uid: str, name: str, cl: Checklist) -> dict[str, Any]:
    d = cl.dossier
    counts = {k.value: len(cl.of_kind(k)) for k in FLAG_KIND_LABELS}
    return {
        "uid": uid,
        "full_name": name,
        "stage": cl.stage.value,
        "stage_label": STAGE_LABELS[cl.stage],
        "definition": {
            "version": cl.definition.version,
            "in_force_from": cl.definition.in_force_from.isoformat(),
            "sources": list(cl.definition.sources),
        },
        "position": cl.position,
        "reference": cl.reference.isoformat(),
        "meeting_held": cl.meeting_held,
        "party_since": cl.party_since.isoformat() if cl.party_since else None,
        "probation_end": cl.probation_end.isoformat() if cl.probation_end else None,
        "next_step": cl.next_step.cli_code if cl.next_step else None,
        "steps": [
            {
                "code": line.step.cli_code,
                "title": line.step.title,
                "state": line.state.value,
                "done_on": line.record.done_on.isoformat() if line.record.done_on else None,
                "number": line.record.doc_number,
                "due": line.due.isoformat() if line.due else None,
                "valid_until": line.valid_until.isoformat() if line.valid_until else None,
                "missing": line.missing,
            }
            for line in cl.lines
        ],
        "checks": [
            {
                "code": f.rule.code,
                "severity": f.kind.value,
                "step": cl.definition.step(f.step).cli_code
                if cl.definition.has_step(f.step)
                else f.step,
                "message": f.message,
                "rule": f.rule.text,
                "source": f.rule.source,
                "due": f.due.isoformat() if f.due else None,
            }
            for f in cl.flags
        ],
        "counts": counts,
        "introducers": [
            {
                "name": p.name,
                "status": p.status.value,
                "together_since": p.together_since.isoformat() if p.together_since else None,
                "introduced_on": p.introduced_on.isoformat() if p.introduced_on else None,
            }
            for p in d.introducers
        ],
        "votes": [
            {
                "step": cl.definition.step(v.step).cli_code,
                "in_favour": v.in_favour,
                "total": v.total,
                "present": v.present,
            }
            for v in d.votes.values()
            if cl.definition.has_step(v.step)
        ],
        "education": d.education,
        "union_member": d.union_member,
        "helper": d.helper,
        "helper_since": d.helper_since.isoformat() if d.helper_since else None,
        "exceptions": [
            {"rule": e.rule, "step": e.step, "note": e.note, "document": e.document}
            for e in d.exceptions
        ],
    }


def dossier_text(name: str, cl: Checklist) -> str:
    d = cl.dossier
    out = [
        f"{name} — {STAGE_LABELS[cl.stage]}",
        f"Kiểm tra theo: {cl.definition.label}; {cl.position_label}.",
    ]
    if d.introducers:
        out.append(
            "Người giới thiệu: "
            + "; ".join(
                f"{p.name} ({PARTY_STATUS_LABELS[p.status].lower()}, cùng sinh hoạt từ "
                f"{fmt(p.together_since) or '?'})"
                for p in d.introducers
            )
        )
    if d.helper:
        out.append(f"Đảng viên giúp đỡ: {d.helper}")
    if d.education:
        out.append(f"Trình độ học vấn: {d.education}")
    for v in d.votes.values():
        if cl.definition.has_step(v.step):
            present = f", có mặt {v.present}" if v.present is not None else ""
            out.append(
                f"Biểu quyết {cl.definition.step(v.step).cli_code}: {v.in_favour}/{v.total} "
                f"tán thành{present}"
            )
    out.append("")
    for line in cl.lines:
        r = line.record
        mark = (
            "x"
            if r.state is StepState.DONE
            else ("-" if r.state is StepState.NOT_APPLICABLE else " ")
        )
        when = fmt(r.done_on) if r.done_on else ("còn thiếu" if line.missing else "")
        due = f" (hạn {fmt(line.due)})" if line.due and r.state is not StepState.DONE else ""
        number = f" số {r.doc_number}" if r.doc_number else ""
        out.append(
            f"[{mark}] {line.step.cli_code:<18} {line.step.title} {when}{number}{due}".rstrip()
        )
    if cl.flags:
        out.append("")
    for f in cl.flags:
        out.append(
            f"{FLAG_KIND_LABELS[f.kind]} [{f.rule.code}]: {f.message} (Căn cứ: {f.rule.source})"
        )
    if not cl.flags:
        out.append("")
        out.append("Không có vi phạm, việc quá hạn hay lưu ý.")
    return "\n".join(out)


# -- parsers -------------------------------------------------------------------


def add_arguments(name: str, parser: Any, open_store: Any) -> None:
    """The options of `step` or `dossier` (named, with their help, in cli.py)."""
    if name == "step":
        _step_arguments(parser, open_store)
    else:
        _dossier_arguments(parser, open_store)


def _step_arguments(st: Any, open_store: Any) -> None:
    st.add_argument("--db", default=argparse.SUPPRESS)
    st.add_argument("--uid", required=True, help="mã đoàn viên")
    st.add_argument("--form", required=True, help="mẫu: CN-NTVĐ, 1-KNĐ … 16-KNĐ, hoặc le-ket-nap…")
    st.add_argument("--date", help="ngày hoàn thành dd/mm/yyyy")
    st.add_argument("--number", help="số văn bản, ví dụ 12-NQ/CB")
    state = st.add_mutually_exclusive_group()
    state.add_argument("--not-applicable", action="store_true", help="ghi “không áp dụng”")
    state.add_argument("--not-started", action="store_true", help="ghi lại là “chưa làm”")
    st.add_argument("--today", help=argparse.SUPPRESS)
    st.set_defaults(func=lambda args: cmd_step(args, open_store))


def _dossier_arguments(ds: Any, open_store: Any) -> None:
    ds.add_argument("--db", default=argparse.SUPPRESS)
    ds.add_argument("--uid", required=True, help="mã đoàn viên")
    ds.add_argument("--on", help="ngày chi bộ dự kiến họp xét")
    ds.add_argument("--json", action="store_true")
    ds.add_argument(
        "--introducer",
        action="append",
        help="“HỌ TÊN;chinh-thuc|du-bi|khong;CÙNG SINH HOẠT TỪ[;NGÀY GIỚI THIỆU]” "
        "(lặp lại; thay danh sách)",
    )
    ds.add_argument("--no-introducers", action="store_true", help="xóa danh sách người giới thiệu")
    ds.add_argument(
        "--vote", action="append", help="“MẪU:TÁN THÀNH/TỔNG SỐ[:CÓ MẶT]”, ví dụ 6-KNĐ:9/12:11"
    )
    ds.add_argument("--education", help="trình độ học vấn, ví dụ 12/12, 9/12")
    ds.add_argument("--union-member", help="là đoàn viên: co, khong, chua-ro")
    ds.add_argument("--helper", help="đảng viên giúp đỡ")
    ds.add_argument("--helper-since", help="ngày phân công giúp đỡ")
    ds.add_argument(
        "--exception", action="append", help="ngoại lệ có văn bản: “QUY TẮC;LÝ DO;VĂN BẢN[;BƯỚC]”"
    )
    ds.add_argument(
        "--remove-exception", action="append", metavar="QUY_TẮC", help="bỏ một ngoại lệ"
    )
    ds.add_argument(
        "--unit-position",
        choices=[*DEFINITION.positions, "mac-dinh"],
        help="chi bộ của đơn vị người này: chi_bo_co_so, dang_uy_co_so, dang_uy_bo_phan",
    )
    ds.add_argument(
        "--difficult-area", help="xã thuộc vùng khó khăn (học vấn tối thiểu tiểu học): co/khong"
    )
    ds.add_argument("--today", help=argparse.SUPPRESS)
    ds.set_defaults(func=lambda args: cmd_dossier(args, open_store))
