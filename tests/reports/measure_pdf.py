"""Time and memory of the big prints against bare reportlab drawing the same rows.

Not a test (pytest collects test_*.py only): a script for the reports helper and
the bench. Each variant runs in its own process so peak memory is its own.

    PYTHONPATH=$PWD .venv/bin/python tests/reports/measure_pdf.py --db /tmp/r20k.db

- eligible list: dvdesk's `write_eligible_list` against a bare canvas that
  reads the same rows through the same store calls, formats the same cell
  values and draws each with `drawString` at fixed positions (one line per
  cell, no wrapping, no measuring), with the same rules and page numbers.
- checklists (`--checklists N`): `write_checklists` for the first N candidates
  of the file against bench/bench_pdf.py's bare canvas drawing the same
  sheets (read through the same store calls, both timed with the reads).

Printed: CPU seconds (process time), peak RSS (MB), rows, pages, ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ON = date(2026, 9, 10)
TODAY = date(2026, 6, 1)


def dvdesk_list(db: str, out: Path) -> dict[str, float]:
    from dvdesk.reports.member_lists import write_eligible_list
    from dvdesk.store.gateway import Store

    store = Store.open(db)
    done: list[tuple[int, int]] = []
    start = time.process_time()
    pages = write_eligible_list(
        store, ON, out, today=TODAY, progress=lambda d, t: done.append((d, t))
    )
    seconds = time.process_time() - start
    return {"seconds": seconds, "pages": pages, "rows": done[-1][1] if done else 0}


def bare_list(db: str, out: Path) -> dict[str, float]:
    from reportlab.pdfgen.canvas import Canvas

    from dvdesk.reports import member_lists as ml
    from dvdesk.reports import sources
    from dvdesk.reports import styles as st
    from dvdesk.reports.fonts import BOLD, REGULAR, nfc, register_fonts
    from dvdesk.reports.row_table import NUMBER_WIDTH
    from dvdesk.store.gateway import Store

    register_fonts()
    store = Store.open(db)
    start = time.process_time()
    settings = sources.settings_of(store)
    query = sources.eligible_query(ON, settings)
    spec = ml.ListSpec("", "", ml.ELIGIBLE_COLUMNS, ON, settings.method, True, "")
    units = sources.units_of(store)
    columns = ml.ELIGIBLE_COLUMNS
    xs = [st.LEFT_MARGIN]
    for w in (NUMBER_WIDTH, *(c.width for c in columns)):
        xs.append(xs[-1] + w)
    c = Canvas(str(out), pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT), initialFontName=REGULAR)
    top = st.PAGE_HEIGHT - st.TOP_MARGIN
    bottom = st.BOTTOM_MARGIN
    row_h = 18.5
    y, page, rows = top, 1, 0

    def new_page() -> None:
        nonlocal y, page
        c.showPage()
        page += 1
        c.setFont(REGULAR, 13)
        c.drawCentredString(st.PAGE_WIDTH / 2, st.PAGE_NUMBER_Y, str(page))
        y = top

    c.setFont(BOLD, 11)
    for unit in units:
        if y - 3 * row_h < bottom:
            new_page()
        c.setFont(BOLD, 14)
        c.drawString(xs[0], y - 14, nfc(f"{unit.name} ({unit.code})"))
        y -= 22
        c.setFont(REGULAR, 11)
        for i, view_row in enumerate(sources.unit_rows(store, query, unit, ON), 1):
            row = ml.enrich(view_row, spec, settings)
            if y - row_h < bottom:
                new_page()
                c.setFont(REGULAR, 11)
            base = y - 13
            c.drawString(xs[0] + 3, base, str(i))
            for x, column in zip(xs[1:], columns, strict=False):
                c.drawString(x + 3, base, nfc(column.value(row)))
            c.line(xs[0], y - row_h, xs[-1], y - row_h)
            for x in xs:
                c.line(x, y, x, y - row_h)
            y -= row_h
            rows += 1
    c.showPage()
    c.save()
    return {"seconds": time.process_time() - start, "pages": page, "rows": rows}


def checklists(db: str, count: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import bench_pdf

    from dvdesk.reports import sources
    from dvdesk.reports.checklist_pdf import candidate_sheet, write_checklists
    from dvdesk.services.printing import CANDIDATE_STAGES
    from dvdesk.store.gateway import Store
    from dvdesk.store.member_query import MemberQuery

    store = Store.open(db)
    ids = store.members.ids(MemberQuery(stages=CANDIDATE_STAGES))[:count]
    uids = [store.members.uid_of(i) for i in ids]
    meeting = date(2026, 7, 15)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_checklists(store, uids[:3], folder / "warm.pdf", meeting, TODAY)
        best: dict[str, float] = {}
        pages = 0
        for _ in range(2):
            start = time.process_time()
            units = sources.unit_names(store)
            sheets = [candidate_sheet(store, u, meeting, TODAY, units) for u in uids]
            bench_pdf.bare_one(sheets, folder / "bare.pdf")
            best["bare"] = min(best.get("bare", 1e9), time.process_time() - start)
            start = time.process_time()
            pages = write_checklists(store, uids, folder / "dvdesk.pdf", meeting, TODAY)
            best["dvdesk"] = min(best.get("dvdesk", 1e9), time.process_time() - start)
    print(
        f"{db} {len(uids)} checklists ({pages} pages): bare {best['bare']:.2f} s, "
        f"dvdesk {best['dvdesk']:.2f} s, ratio {best['dvdesk'] / best['bare']:.2f}x"
    )


def child(kind: str, db: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{kind}.pdf"
        result = (dvdesk_list if kind == "dvdesk" else bare_list)(db, out)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["bytes"] = out.stat().st_size
    print(json.dumps(result))


def run(kind: str, db: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", db],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--child")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--checklists", type=int, help="time N checklists instead")
    args = parser.parse_args()
    if args.checklists:
        for db in args.db:
            checklists(db, args.checklists)
        return
    if args.child:
        child(args.child, args.db[0])
        return
    for db in args.db:
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for kind in ("bare", "dvdesk"):
                r = run(kind, db)
                if kind not in best or r["seconds"] < best[kind]["seconds"]:
                    best[kind] = r
        for kind, r in best.items():
            print(
                f"{db} {kind:<7} {r['seconds']:7.2f} s cpu  {r['peak_mb']:6.0f} MB peak  "
                f"{int(r['rows'])} rows  {int(r['pages'])} pages  "
                f"{r['seconds'] / max(r['rows'], 1) * 1e6:6.1f} µs/row"
            )
        print(f"{db} ratio dvdesk/bare: {best['dvdesk']['seconds'] / best['bare']['seconds']:.2f}x")


if __name__ == "__main__":
    main()
