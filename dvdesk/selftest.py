"""Self-test (tự kiểm tra): `dvdesk --self-test` proves an installation works.

Run on a commune office PC after installing, or by the bundle test on a copied
bundle, it exercises the parts that break when something is missing from an
install: the shipped resources (fonts, icons), the data file (SQLite through
`Store`, with a Vietnamese name written and read back) and a PDF drawn with the
bundled font. It touches nothing of the user's own data: everything happens in
a temporary folder that is removed afterwards.

Qt is not imported here (no PySide6 below dvdesk/ui/); the window is the one
part this test does not cover.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from dvdesk import __version__
from dvdesk.resources import (
    FONT_BOLD,
    FONT_REGULAR,
    FONT_SERIF,
    FONT_SERIF_BOLD,
    resource,
    resources_dir,
)

SAMPLE_NAME = "Nguyễn Thị Ánh Tuyết"
SAMPLE_UNIT = ("KDC01", "Thôn Đông")
PDF_TEXT = f"Đoàn viên ưu tú: {SAMPLE_NAME}, {SAMPLE_UNIT[1]}; đủ 18 tuổi, tính theo tháng."
REQUIRED = (
    FONT_REGULAR,
    FONT_BOLD,
    FONT_SERIF,
    FONT_SERIF_BOLD,
    ("fonts", "LICENSE-DejaVu.txt"),
    ("icons", "dvdesk.svg"),
    ("icons", "dvdesk-256.png"),
)
RESOURCES_LABEL = "Thư mục tài nguyên"


@dataclass(frozen=True)
class Check:
    """One line of the self-test: what was tried, whether it worked, and why not."""

    label: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"  [{'đạt' if self.ok else 'LỖI'}] {self.label}: {self.detail}"


def check_resources() -> str:
    for parts in REQUIRED:
        resource(*parts)  # raises FileNotFoundError with a Vietnamese message
    return f"đủ {len(REQUIRED)} tệp (phông chữ, giấy phép, biểu tượng)"


def check_store(folder: Path) -> str:
    """Create a data file, write one member, reopen it, read the member back."""
    from dvdesk.domain.dates import PartialDate
    from dvdesk.domain.member import Gender, Member, Unit, UnitKind
    from dvdesk.store.gateway import Store

    path = folder / "tu-kiem-tra.db"
    written = Member(
        full_name=SAMPLE_NAME,
        unit_code=SAMPLE_UNIT[0],
        dob=PartialDate(2000, 5, 17),
        gender=Gender.FEMALE,
    )
    with Store.open(path, create=True) as store:
        store.units.add(Unit(*SAMPLE_UNIT, UnitKind.RESIDENTIAL))
        store.members.add(written)
    with Store.open(path, create=False) as store:
        read = store.members.get(written.uid)
        audited = len(store.audit.history(written.uid))
        major, minor = store.format_version()
    if (read.full_name, read.dob, read.unit_code) != (SAMPLE_NAME, written.dob, SAMPLE_UNIT[0]):
        raise AssertionError(f"đọc lại khác bản đã ghi: {read.full_name!r}, {read.dob}")
    if audited < 1:
        raise AssertionError("thiếu nhật ký thay đổi của lần ghi")
    return f"ghi và đọc lại “{read.full_name}” (định dạng {major}.{minor})"


def check_pdf(folder: Path) -> str:
    """Draw one page of Vietnamese with the bundled font and read it back."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from dvdesk.reports.fonts import SANS, nfc, register_fonts

    register_fonts()
    path = folder / "tu-kiem-tra.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(SANS, 12)
    canvas.drawString(72, A4[1] - 72, nfc(PDF_TEXT))
    canvas.showPage()
    canvas.save()
    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        raise AssertionError("tệp tạo ra không phải PDF")
    detail = f"1 trang, {len(data):_} byte".replace("_", ".")  # Vietnamese: 23.954
    try:
        from pypdf import PdfReader
    except ImportError:
        return detail + " (không có pypdf để đọc lại chữ)"
    text = PdfReader(path).pages[0].extract_text()
    if " ".join(nfc(PDF_TEXT).split()) not in " ".join(nfc(text).split()):
        raise AssertionError(f"chữ đọc lại từ PDF không khớp: {text!r}")
    return detail + ", chữ tiếng Việt đọc lại khớp"


def _run(label: str, step: Callable[[], str]) -> Check:
    try:
        return Check(label, True, step())
    except Exception as exc:  # the self-test reports every failure; it must not crash
        reason = str(exc) or type(exc).__name__
        return Check(label, False, reason)


def run_checks() -> list[Check]:
    with tempfile.TemporaryDirectory(
        prefix="dvdesk-tu-kiem-tra-", ignore_cleanup_errors=True
    ) as tmp:
        folder = Path(tmp)
        return [
            _run("Tài nguyên", check_resources),
            _run("Tệp dữ liệu", lambda: check_store(folder)),
            _run("In PDF tiếng Việt", lambda: check_pdf(folder)),
        ]


def where_from() -> str:
    """'inside the bundle' or 'from the source tree', for the summary."""
    return "trong gói cài đặt" if getattr(sys, "frozen", False) else "trong thư mục mã nguồn"


def main(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the report; 0 when every check passed, else 1 with one reason on `err`."""
    out = out or sys.stdout
    err = err or sys.stderr
    print(f"Tự kiểm tra dvdesk {__version__} (Python {sys.version.split()[0]})", file=out)
    print(f"{RESOURCES_LABEL}: {resources_dir()} ({where_from()})", file=out)
    checks = run_checks()
    for check in checks:
        print(unicodedata.normalize("NFC", check.line()), file=out)
    failed = [c for c in checks if not c.ok]
    if failed:
        print(f"Tự kiểm tra: không đạt — {failed[0].label}: {failed[0].detail}", file=err)
        return 1
    print(
        f"Tự kiểm tra: đạt ({len(checks)}/{len(checks)} mục; tài nguyên {where_from()}: "
        f"{resources_dir()}).",
        file=out,
    )
    return 0
