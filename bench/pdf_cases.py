"""1,000 procedure checklists as one PDF: through dvdesk.reports, and with bare reportlab."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

dvdesk_checklists: Callable[[Path, Path, int], object] | None = None


def bare_checklists(db: Path, out: Path, count: int) -> None:
    """The same pages drawn with reportlab directly: a title, the name, 21 boxed steps."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from dvdesk.domain.procedure import STEPS
    from dvdesk.resources import FONT_REGULAR, resource

    if "Bare" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Bare", str(resource(*FONT_REGULAR))))
    conn = sqlite3.connect(db)
    names = [
        r[0]
        for r in conn.execute(
            "SELECT full_name FROM members WHERE deleted_at IS NULL ORDER BY name_sort LIMIT ?",
            [count],
        )
    ]
    conn.close()
    canvas = Canvas(str(out), pagesize=A4)
    for page, name in enumerate(names, 1):
        canvas.setFont("Bare", 14)
        canvas.drawString(50, 800, "PHIẾU THEO DÕI QUY TRÌNH KẾT NẠP ĐẢNG")
        canvas.setFont("Bare", 11)
        canvas.drawString(50, 780, name)
        y = 750
        for step in STEPS:
            canvas.rect(50, y - 2, 9, 9)
            canvas.drawString(65, y, f"{step.form or ''} {step.title}"[:90])
            y -= 24
        canvas.drawString(450, 30, f"Trang {page}/{len(names)}")
        canvas.showPage()
    canvas.save()
