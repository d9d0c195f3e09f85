"""Time 1,000 one-page checklists with platypus against a bare reportlab canvas.

Both draw the same text with the same fonts in the same run: the platypus
documents as dvdesk prints them (dvdesk.reports.checklist_pdf), and a
baseline that places every string of each sheet with `drawString` at fixed
positions, with the same boxes, and the same "Trang x/y" footers. Printed:
CPU seconds (process time, so other load on a shared machine does not
count) for one 1,000-page PDF and for 1,000 separate files (best of
--rounds interleaved rounds), and the ratios (target: platypus within 1.5x of
the bare canvas). dvdesk's separate files include its all-or-nothing write
(temporary file, then rename); the bare canvas writes in place.

    .venv/bin/python bench/bench_pdf.py [--count 1000] [--rounds 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from dvdesk import demo
from dvdesk.domain.checklist import build_checklist
from dvdesk.domain.dates import fmt
from dvdesk.domain.member import Unit, UnitKind
from dvdesk.domain.procedure import STAGE_LABELS, StepState
from dvdesk.domain.procedure_dossier import Dossier
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.checklist_pdf import TITLE, CandidateSheet, checklist_story
from dvdesk.reports.fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, nfc, register_fonts
from dvdesk.store.settings import Settings

TODAY = date(2026, 6, 1)
SETTINGS = Settings(
    commune_name="Xã Đông Hòa",
    province="Tỉnh Quảng Ngãi",
    party_committee="ĐẢNG ỦY XÃ ĐÔNG HÒA",
    youth_union="ĐOÀN XÃ ĐÔNG HÒA",
    party_secretary="Nguyễn Văn Bình",
    union_secretary="Trần Thị Hương",
)


def sheets(count: int, seed: int = 7) -> list[CandidateSheet]:
    """`count` candidates at every stage, built in memory (no database)."""
    rng = random.Random(seed)
    units = [
        Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL),
        Unit("THPT1", "Trường THPT Nguyễn Trãi", UnitKind.SCHOOL),
    ]
    out = []
    for member in demo.members(count, units, rng, TODAY):
        stage = rng.choice(demo.DEMO_STAGES)
        steps, dossier = (
            demo._procedure(rng, stage, member.dob.as_date(), TODAY)
            if member.dob and member.dob.is_full
            else ([], None)
        )
        records = {r.code: r for r in steps}
        checklist = build_checklist(
            records, member.dob, date(2026, 7, 15), TODAY, dossier=dossier or Dossier()
        )
        name = next(u.name for u in units if u.code == member.unit_code)
        out.append(CandidateSheet(member, name, checklist))
    return out


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(nfc(text), font, size, width)


def draw_bare(c: Canvas, sheet: CandidateSheet, number: int, total: int) -> None:
    """The same lines as a checklist page, placed by hand with no layout engine.

    Every string the platypus page shows is drawn here too (wrapped with
    simpleSplit), with the same row fills, boxes and rules, so the two differ
    only in how positions are worked out.
    """
    left, width, y = st.LEFT_MARGIN, st.FRAME_WIDTH, st.PAGE_HEIGHT - st.TOP_MARGIN
    lh_x, motto_x = left + width * 0.21, left + width * 0.71
    c.setFont(SERIF, 10.5)
    c.drawCentredString(lh_x, y - 10, nfc(f"ĐẢNG BỘ {SETTINGS.province.upper()}"))
    c.drawCentredString(lh_x, y - 36, "*")
    c.drawCentredString(motto_x, y - 26, nfc(f.place_date(SETTINGS, TODAY)))
    c.setFont(SERIF_BOLD, 10.5)
    c.drawCentredString(lh_x, y - 23, nfc(SETTINGS.party_committee))
    c.drawCentredString(motto_x, y - 10, nfc("ĐẢNG CỘNG SẢN VIỆT NAM"))
    c.setFont(SERIF_BOLD, 13)
    c.drawCentredString(left + width / 2, y - 55, nfc(TITLE))
    c.setFont(SERIF, 10)
    c.drawCentredString(
        left + width / 2,
        y - 68,
        nfc("Theo Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW, biểu mẫu 38-HD/BTCTW (quy trình 2025.1)"),
    )
    m, cl = sheet.member, sheet.checklist
    details = [
        ("Họ và tên:", m.full_name),
        ("Ngày sinh:", m.dob.vi() if m.dob else ""),
        ("Giới tính:", "Nữ"),
        ("Dân tộc:", m.ethnicity),
        ("Tôn giáo:", m.religion),
        ("Đơn vị:", sheet.unit_name),
        ("Số CCCD:", m.cccd),
        ("Nơi ở hiện nay:", m.address),
        ("Giai đoạn:", STAGE_LABELS[cl.stage]),
        ("Ngày họp xét:", f"{fmt(cl.reference)} (dự kiến) — {cl.age.label}"),
    ]
    y -= 90
    c.setFont(SERIF, 11)
    for label, value in details:
        c.drawString(left, y, nfc(label))
        for part in _lines(value, SERIF, 11, width - 42 * mm):
            c.drawString(left + 42 * mm, y, part)
            y -= 13.5
    y -= 6
    cols = (7, 64, 16, 31, 27, 25)
    xs = [left + sum(cols[:i]) * mm for i in range(7)]
    c.setFont(SANS_BOLD, 8.5)
    for x, head in zip(
        xs,
        ("TT", "Bước / văn bản", "Mẫu", "Hoàn thành (ngày, số)", "Hạn / giá trị", "Tình trạng"),
        strict=False,
    ):
        c.drawString(x + 3, y, nfc(head))
    y -= 14
    for i, line in enumerate(cl.lines, 1):
        r = line.record
        title = _lines(line.step.title, SANS, 8.5, cols[1] * mm - 6)
        height = max(len(title), 2) * 10.2 + 5
        if line.flags:
            c.setFillColor(st.OVERDUE)
            c.rect(left, y - height + 9, width, height, stroke=0, fill=1)
            c.setFillColor(colors.black)
        c.setFont(SANS, 8.5)
        c.drawString(xs[0] + 3, y, str(i))
        for k, part in enumerate(title):
            c.drawString(xs[1] + 3, y - 10.2 * k, part)
        c.drawString(xs[2] + 3, y, nfc(line.step.form or "—"))
        if r.state is StepState.DONE:
            c.drawString(xs[3] + 3, y, fmt(r.done_on))
            c.drawString(xs[3] + 3, y - 10.2, nfc(f"Số: {r.doc_number}"))
        elif r.state is StepState.NOT_STARTED:
            c.rect(xs[3] + 3, y - 2, 3.6 * mm, 3.6 * mm)
            c.line(xs[3] + 6 + 3.6 * mm, y - 2, xs[3] + 6 + 25 * mm, y - 2)
        else:
            c.drawString(xs[3] + 3, y, nfc("Không áp dụng"))
        if line.due:
            c.drawString(xs[4] + 3, y, nfc(f"Hạn: {fmt(line.due)}"))
        elif line.valid_until:
            c.drawString(xs[4] + 3, y, nfc("Giá trị đến:"))
            c.drawString(xs[4] + 3, y - 10.2, fmt(line.valid_until))
        if line.flags or line.missing:
            c.setFont(SANS_BOLD, 8.5)
            c.drawString(xs[5] + 3, y, nfc(line.flags[0].kind.value if line.flags else "Còn thiếu"))
        for x in xs:
            c.line(x, y + 9, x, y + 9 - height)
        c.line(left, y - height + 9, left + width, y - height + 9)
        y -= height
    y -= 6
    notes = [("Cần làm tiếp:", cl.next_step.title if cl.next_step else "")]
    notes += [
        (flag.kind.value, f"{flag.message} (Căn cứ: {flag.rule.source})") for flag in cl.flags
    ]
    for label, text in notes:
        c.setFont(SANS_BOLD, 8.5)
        c.drawString(left, y, nfc(label))
        c.setFont(SANS, 8.5)
        for part in _lines(text, SANS, 8.5, width - 26 * mm):
            c.drawString(left + 24 * mm, y, part)
            y -= 10.2
    c.setFont(SERIF_BOLD, 11)
    c.drawCentredString(lh_x, y - 10, nfc("NGƯỜI LẬP PHIẾU"))
    c.drawCentredString(motto_x, y - 10, nfc("T/M ĐẢNG ỦY"))
    c.drawCentredString(motto_x, y - 24, nfc("BÍ THƯ"))
    c.drawCentredString(motto_x, y - 70, nfc(SETTINGS.party_secretary))
    c.setFont(SANS, 8)
    c.drawCentredString(st.PAGE_WIDTH / 2, 10 * mm, f"Trang {number}/{total}")
    c.showPage()


def bare_one(batch: list[CandidateSheet], out: Path) -> None:
    c = Canvas(str(out), pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT))
    for i, sheet in enumerate(batch, 1):
        draw_bare(c, sheet, i, len(batch))
    c.save()


def bare_each(batch: list[CandidateSheet], folder: Path) -> None:
    for i, sheet in enumerate(batch):
        c = Canvas(str(folder / f"bare-{i}.pdf"), pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT))
        draw_bare(c, sheet, 1, 1)
        c.save()


def platypus_one(batch: list[CandidateSheet], out: Path) -> None:
    pages = f.write_pdf(out, checklist_story(batch, SETTINGS, TODAY), "bench", overwrite=True)
    # A sheet may run onto a second page (never shrunk): at least one page each.
    assert pages >= len(batch), (pages, len(batch))


def platypus_each(batch: list[CandidateSheet], folder: Path) -> None:
    for i, sheet in enumerate(batch):
        f.write_pdf(
            folder / f"dvdesk-{i}.pdf",
            checklist_story([sheet], SETTINGS, TODAY),
            "bench",
            overwrite=True,
        )


def timed(fn: Callable[[], None]) -> float:
    """CPU seconds of this process: other jobs on a shared machine do not count."""
    gc.collect()  # start each timing with the same heap
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="repeat all four timings, keep each one's best (noisy machines)",
    )
    parser.add_argument("--out", type=Path, help="keep the PDFs here (default: a temp dir)")
    args = parser.parse_args()
    register_fonts()
    st.styles()
    batch = sheets(args.count)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        # Warm up both paths (font subsetting caches, imports) before timing.
        platypus_one(batch[:3], folder / "warm.pdf")
        bare_one(batch[:3], folder / "warm-bare.pdf")
        runs = {
            "bare canvas, one PDF": lambda: bare_one(batch, folder / "bare.pdf"),
            "dvdesk platypus, one PDF": lambda: platypus_one(batch, folder / "all.pdf"),
            "bare canvas, separate files": lambda: bare_each(batch, folder),
            "dvdesk platypus, separate files": lambda: platypus_each(batch, folder),
        }
        # Rounds interleave the four so a burst of load elsewhere hits them alike.
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                times[name].append(timed(run))
    best = {name: min(t) for name, t in times.items()}
    for name, seconds in best.items():
        spread = ", ".join(f"{t:.2f}" for t in times[name])
        print(
            f"{name:<34} {seconds:7.2f} s  ({seconds / args.count * 1000:6.2f} ms/page)"
            f"  rounds: {spread}"
        )
    one = best["dvdesk platypus, one PDF"] / best["bare canvas, one PDF"]
    each = best["dvdesk platypus, separate files"] / best["bare canvas, separate files"]
    print(f"ratio one PDF:        {one:5.2f}x  (target <= 1.5x)")
    print(f"ratio separate files: {each:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
