"""Self-test (tự kiểm tra): `dvdesk --self-test [--gui]` proves an installation works.

Run on a commune office PC after installing, or by the bundle test on a copied
bundle, it exercises the parts that break when something is missing from an
install: the shipped resources (fonts, icons), the data file (SQLite through
`Store`, with a Vietnamese name written and read back, in a folder with a
Vietnamese name) and a PDF drawn with the bundled font. It touches nothing of
the user's own data: everything happens in a temporary folder that is removed
afterwards.

`--gui` adds the window: the system libraries Qt needs (on Linux libGL/libEGL,
which no bundle carries; a missing one is named with the exact `apt-get` line),
the main window opened offscreen on that data file, the bundled fonts and
translations in Qt, a printed page and a package written to a folder. Qt is
imported only through dvdesk.ui.selftest_window (no PySide6 below dvdesk/ui/).
"""

from __future__ import annotations

import ctypes
import re
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
SAMPLE_COMMUNE = ("99999", "Xã Đông Hòa (tự kiểm tra)")
PDF_TEXT = f"Đoàn viên ưu tú: {SAMPLE_NAME}, {SAMPLE_UNIT[1]}; đủ 18 tuổi, tính theo tháng."
REQUIRED = (
    FONT_REGULAR,
    FONT_BOLD,
    FONT_SERIF,
    FONT_SERIF_BOLD,
    ("fonts", "LICENSE-DejaVu.txt"),
    # Every printed document is set in Liberation Serif (dvdesk/reports/fonts.py).
    ("fonts", "LiberationSerif-Regular.ttf"),
    ("fonts", "LiberationSerif-Bold.ttf"),
    ("fonts", "LiberationSerif-Italic.ttf"),
    ("fonts", "LiberationSerif-BoldItalic.ttf"),
    ("fonts", "LICENSE-LiberationSerif.txt"),
    ("icons", "dvdesk.svg"),
    ("icons", "dvdesk-256.png"),
)
RESOURCES_LABEL = "Thư mục tài nguyên"
DATA_FOLDER = "Dữ liệu xã Đông Hòa"
DATA_FILE = "đoàn viên thử.db"
PACKAGE_FOLDER = "Gói gửi huyện"

# Libraries a Linux bundle does not carry (they belong to the PC's graphics
# driver) and the Debian/Ubuntu package of each.
LINUX_GRAPHICS = {"libGL.so.1": "libgl1", "libEGL.so.1": "libegl1"}
# Further libraries Qt links to, in case a stripped-down system lacks them too.
LINUX_PACKAGES = {
    **LINUX_GRAPHICS,
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
}


@dataclass(frozen=True)
class Check:
    """One line of the self-test: what was tried, whether it worked, and why not."""

    label: str
    ok: bool
    detail: str
    fix: str = ""  # a command that fixes the failure, e.g. the apt-get line

    def line(self) -> str:
        return f"  [{'đạt' if self.ok else 'LỖI'}] {self.label}: {self.detail}"


def check_resources() -> str:
    for parts in REQUIRED:
        resource(*parts)  # raises FileNotFoundError with a Vietnamese message
    return f"đủ {len(REQUIRED)} tệp (phông chữ, giấy phép, biểu tượng)"


def data_file(folder: Path) -> Path:
    return folder / DATA_FOLDER / DATA_FILE


def check_store(folder: Path) -> str:
    """Create a data file in a Vietnamese-named folder, write one member, read it back."""
    from dvdesk.domain.dates import PartialDate
    from dvdesk.domain.member import Gender, Member, Unit, UnitKind
    from dvdesk.store.gateway import Store

    path = data_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = Member(
        full_name=SAMPLE_NAME,
        unit_code=SAMPLE_UNIT[0],
        dob=PartialDate(2000, 5, 17),
        gender=Gender.FEMALE,
    )
    with Store.open(path, create=True) as store:
        settings = store.settings.get()
        settings.commune_code, settings.commune_name = SAMPLE_COMMUNE
        store.settings.save(settings)
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
    return (
        f"ghi và đọc lại “{read.full_name}” trong “{DATA_FOLDER}/{DATA_FILE}” "
        f"(định dạng {major}.{minor})"
    )


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


def missing_libraries() -> list[str]:
    """Graphics libraries the window needs that this Linux PC does not have."""
    if not sys.platform.startswith("linux"):
        return []
    missing = []
    for name in LINUX_GRAPHICS:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return missing


def apt_line(libraries: list[str]) -> str:
    packages = dict.fromkeys(LINUX_PACKAGES.get(name, name) for name in libraries)
    return "sudo apt-get install " + " ".join(packages)


class MissingLibraries(Exception):
    def __init__(self, libraries: list[str]) -> None:
        self.libraries = libraries
        super().__init__(
            f"thiếu thư viện hệ thống {', '.join(libraries)} nên cửa sổ không mở được; "
            f"hãy cài: {apt_line(libraries)}"
        )


def libraries_named(message: str) -> list[str]:
    """The shared libraries an ImportError says it could not load ("libGL.so.1: cannot…")."""
    return list(dict.fromkeys(re.findall(r"\b(lib[\w.+-]*?\.so(?:\.\d+)*)", message)))


def check_qt() -> str:
    """The system libraries Qt needs are there and Qt's widgets import."""
    missing = missing_libraries()
    if missing:
        raise MissingLibraries(missing)
    try:
        from dvdesk.ui import selftest_window  # imports PySide6
    except ImportError as exc:
        named = libraries_named(str(exc))
        if named:
            raise MissingLibraries(named) from exc
        raise
    return f"PySide6 {selftest_window.pyside_version()}"


def check_print(folder: Path) -> str:
    """Print the sample member's checklist: one page at least, with her name in it."""
    from dvdesk.reports.checklist_pdf import write_checklists
    from dvdesk.store.gateway import Store

    out = folder / DATA_FOLDER / "phiếu thử.pdf"
    with Store.open(data_file(folder), create=False) as store:
        uid = store.members.list()[0]["uid"]
        pages = write_checklists(store, [uid], out)
    data = out.read_bytes()
    if pages < 1 or not data.startswith(b"%PDF"):
        raise AssertionError("phiếu in ra không phải PDF")
    return f"in phiếu của “{SAMPLE_NAME}”: {pages} trang vào “{out.name}”"


def check_package(folder: Path) -> str:
    """Write a package to a temporary folder and read it back."""
    from dvdesk.exchange.package import read_package, write_package
    from dvdesk.store.gateway import Store

    out = folder / PACKAGE_FOLDER / "gói thử.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(data_file(folder), create=False) as store:
        manifest = write_package(store, out)
    package = read_package(out)
    names = [m.full_name for m in package.members]
    if names != [SAMPLE_NAME]:
        raise AssertionError(f"gói đọc lại có {names!r}")
    return f"gói số {manifest.sequence} (dvdesk {manifest.app_version}) ghi và đọc lại được"


def _run(label: str, step: Callable[[], str]) -> Check:
    try:
        return Check(label, True, step())
    except MissingLibraries as exc:
        return Check(label, False, str(exc), fix=apt_line(exc.libraries))
    except Exception as exc:  # the self-test reports every failure; it must not crash
        reason = str(exc) or type(exc).__name__
        return Check(label, False, reason)


def gui_checks(folder: Path, stored: bool) -> list[Check]:
    qt = _run("Thư viện cho cửa sổ", check_qt)
    checks = [qt]
    if qt.ok:
        from dvdesk.ui import selftest_window as window

        settings = folder / "qt-settings"
        settings.mkdir()
        started = _run("Khởi động Qt", lambda: window.start(settings))
        checks.append(started)
        if started.ok:
            checks.append(_run("Phông chữ trong cửa sổ", lambda: window.check_fonts(PDF_TEXT)))
            checks.append(_run("Bản dịch", window.check_translations))
            if stored:
                checks.append(
                    _run("Cửa sổ", lambda: window.check_window(data_file(folder), SAMPLE_NAME))
                )
    if stored:
        checks.append(_run("In một trang", lambda: check_print(folder)))
        checks.append(_run("Gói dữ liệu", lambda: check_package(folder)))
    return checks


def run_checks(gui: bool = False) -> list[Check]:
    with tempfile.TemporaryDirectory(
        prefix="dvdesk-tu-kiem-tra-", ignore_cleanup_errors=True
    ) as tmp:
        folder = Path(tmp)
        checks = [
            _run("Tài nguyên", check_resources),
            _run("Tệp dữ liệu", lambda: check_store(folder)),
            _run("In PDF tiếng Việt", lambda: check_pdf(folder)),
        ]
        if gui:
            checks += gui_checks(folder, stored=checks[1].ok)
        return checks


def where_from() -> str:
    """'inside the bundle' or 'from the source tree', for the summary."""
    return "trong gói cài đặt" if getattr(sys, "frozen", False) else "trong thư mục mã nguồn"


def main(out: TextIO | None = None, err: TextIO | None = None, gui: bool = False) -> int:
    """Print the report; 0 when every check passed, else 1 with the reason on `err`."""
    out = out or sys.stdout
    err = err or sys.stderr
    print(f"Tự kiểm tra dvdesk {__version__} (Python {sys.version.split()[0]})", file=out)
    print(f"{RESOURCES_LABEL}: {resources_dir()} ({where_from()})", file=out)
    checks = run_checks(gui)
    for check in checks:
        print(unicodedata.normalize("NFC", check.line()), file=out)
    failed = [c for c in checks if not c.ok]
    if failed:
        print(f"Tự kiểm tra: không đạt — {failed[0].label}: {failed[0].detail}", file=err)
        for fix in dict.fromkeys(c.fix for c in failed if c.fix):
            print(f"Hãy cài thư viện còn thiếu rồi chạy lại: {fix}", file=err)
        return 1
    print(
        f"Tự kiểm tra: đạt ({len(checks)}/{len(checks)} mục; tài nguyên {where_from()}: "
        f"{resources_dir()}).",
        file=out,
    )
    return 0
