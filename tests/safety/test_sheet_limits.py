"""Spreadsheets from elsewhere: bounded memory and time, damaged files, hidden sheets.

Every hostile workbook goes through a real `dvdesk import` process, measured
with GNU time: refused with one Vietnamese line and exit 1, within the limits.
"""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dvdesk.exchange.sheet_reader import SheetState, read_grid
from tests.exchange.conftest import make_commune
from tests.safety.killing import ENV, dvdesk
from tests.safety.sheets import HEADER
from tests.safety.test_hostile_files import assert_one_clear_line, digest

SHEET1 = "xl/worksheets/sheet1.xml"
Part = bytes | Callable[[zipfile.ZipFile, str], None] | None


@pytest.fixture
def target(tmp_path: Path) -> Path:
    db = tmp_path / "xa.db"
    make_commune(db, "00021", "Xã Đích", 10, 2).close()
    return db


def workbook(path: Path, sheets: dict[str, tuple[str, list[list[object]]]]) -> Path:
    """An .xlsx written by openpyxl: name → (state, rows)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (state, rows) in sheets.items():
        ws = book.create_sheet(name)
        ws.sheet_state = state
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam"]


def members(n: int, unit: str = "KDC01") -> list[list[object]]:
    tail = ["Nam", "", unit, "Thôn Một", "", ""]
    return [HEADER] + [
        [i, f"Nguyễn Văn {GIVEN[i % 10]} {GIVEN[i // 10 % 10]}", f"{1 + i % 27:02d}/03/2005", *tail]
        for i in range(1, n + 1)
    ]


def rewrite(src: Path, dst: Path, parts: dict[str, Part]) -> Path:
    """Copy an .xlsx, replacing (bytes), streaming (a writer) or dropping (None) some parts."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info))
        for name, part in parts.items():
            if isinstance(part, bytes):
                new.writestr(name, part)
            elif part is not None:
                part(new, name)
    return dst


def huge_cell(size: int) -> Callable[[zipfile.ZipFile, str], None]:
    """A sheet whose second row holds one inline text cell of `size` bytes, deflated."""

    def write(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
                b't="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c></row>'
                b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
            )
            block = b"A" * (1 << 20)
            for _ in range(size >> 20):
                f.write(block)
            f.write(b"</t></is></c></row></sheetData></worksheet>")

    return write


def many_rows(count: int) -> Callable[[zipfile.ZipFile, str], None]:
    def write(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            rows = []
            for r in range(1, count + 1):
                rows.append(b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c></row>' % (r, r, r))
                if len(rows) == 10_000:
                    f.write(b"".join(rows))
                    rows.clear()
            f.write(b"".join(rows) + b"</sheetData></worksheet>")

    return write


def measured(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], int, float]:
    """A dvdesk process under GNU time: the result, its peak memory (MB) and seconds."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %e", *dvdesk(*args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )
    *err, last = done.stderr.rstrip("\n").split("\n")
    kb, seconds = last.split()
    # GNU time writes "Command exited with non-zero status N" first when the command fails.
    err = [line for line in err if not line.startswith("Command exited")]
    done.stderr = "\n".join(err) + "\n"
    return done, int(kb) // 1024, float(seconds)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workbook(tmp_path_factory.mktemp("xlsx") / "goc.xlsx", {"Sheet1": ("visible", [["x"]])})


@pytest.mark.parametrize("size_mb", [1024, 300])
def test_a_zip_bomb_is_refused_fast_and_small(
    tmp_path: Path, base: Path, target: Path, size_mb: int
) -> None:
    bomb = rewrite(base, tmp_path / "bom.xlsx", {SHEET1: huge_cell(size_mb << 20)})
    assert bomb.stat().st_size < 2 * 1024 * 1024  # ~1 MB on disk
    before = digest(target)
    result, mb, seconds = measured("import", "--db", target, bomb, "--dry-run")
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "nghi là tệp nén độc hại")
    assert seconds < 2 and mb < 200, (seconds, mb)
    assert digest(target) == before


def test_a_cell_longer_than_excel_allows_is_refused_while_streaming(
    tmp_path: Path, base: Path
) -> None:
    # 4 MB compresses under every archive limit; the scan still finds the over-long text.
    sheet = rewrite(base, tmp_path / "o-dai.xlsx", {SHEET1: huge_cell(4 << 20)})
    from dvdesk.errors import KnownError

    with pytest.raises(KnownError, match="văn bản quá dài"):
        read_grid(sheet)


def test_a_million_row_sheet_is_refused_before_it_is_loaded(
    tmp_path: Path, base: Path, target: Path
) -> None:
    big = rewrite(base, tmp_path / "trieu-dong.xlsx", {SHEET1: many_rows(1_048_576)})
    result, mb, seconds = measured("import", "--db", target, big, "--dry-run")
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "quá nhiều dòng")
    assert seconds < 5 and mb < 200, (seconds, mb)


def test_a_lying_dimension_does_not_pad_every_row(tmp_path: Path) -> None:
    good = workbook(tmp_path / "a.xlsx", {"DS": ("visible", members(3))})
    with zipfile.ZipFile(good) as z:
        xml = z.read(SHEET1)
    start = xml.index(b"<dimension ")
    end = xml.index(b"/>", start) + 2
    lying = xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:]
    grid = read_grid(rewrite(good, tmp_path / "b.xlsx", {SHEET1: lying}))
    assert len(grid.rows) == 4 and len(grid.rows[0]) == len(HEADER)


def _truncated(base_rows: Path) -> bytes:
    with zipfile.ZipFile(base_rows) as z:
        xml = z.read(SHEET1)
    return xml[: len(xml) // 2]


@pytest.mark.parametrize("damage", ["truncated_xml", "missing_sheet_part", "not_a_zip"])
def test_a_damaged_workbook_is_one_vietnamese_line(
    tmp_path: Path, target: Path, damage: str
) -> None:
    good = workbook(tmp_path / "tot.xlsx", {"DS": ("visible", members(50))})
    bad = tmp_path / "hong.xlsx"
    if damage == "truncated_xml":
        rewrite(good, bad, {SHEET1: _truncated(good)})
    elif damage == "missing_sheet_part":
        rewrite(good, bad, {SHEET1: None})
    else:
        bad.write_bytes(good.read_bytes()[:3000])
    before = digest(target)
    result, _, _ = measured("import", "--db", target, bad)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "bị hỏng")
    assert digest(target) == before


@pytest.fixture
def hidden_first(tmp_path: Path) -> Iterator[Path]:
    yield workbook(
        tmp_path / "an.xlsx",
        {
            "Cũ": ("hidden", members(7, "KDC01")),  # more known columns than the visible one
            "Bí mật": ("veryHidden", members(9, "KDC01")),
            "Danh sách": ("visible", [row[:4] for row in members(3, "KDC01")]),
        },
    )


def test_hidden_sheets_are_never_chosen_by_default(hidden_first: Path) -> None:
    grid = read_grid(hidden_first)
    assert grid.sheet == "Danh sách" and len(grid.rows) == 4
    assert [(s.name, s.state) for s in grid.sheets] == [
        ("Cũ", SheetState.HIDDEN),
        ("Bí mật", SheetState.VERY_HIDDEN),
        ("Danh sách", SheetState.VISIBLE),
    ]
    listed, advice = grid.sheet_lines()
    assert "“Cũ” (ẩn) — không đọc" in listed and "“Bí mật” (ẩn hẳn" in listed
    assert "“Danh sách” (hiện) — đang đọc" in listed
    assert "--sheet" in advice


def test_the_cli_preview_lists_the_sheets_and_sheet_chooses(
    hidden_first: Path, target: Path
) -> None:
    shown = subprocess.run(
        dvdesk("import", "--db", target, hidden_first, "--dry-run", "--unit", "KDC01"),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Các trang tính:" in shown.stdout and "“Cũ” (ẩn) — không đọc" in shown.stdout
    assert "“Danh sách” (hiện) — đang đọc" in shown.stdout
    chosen = subprocess.run(
        dvdesk("import", "--db", target, hidden_first, "--dry-run", "--sheet", "Bí mật"),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert chosen.returncode == 0, chosen.stderr
    assert "“Bí mật” (ẩn hẳn, chỉ mở được bằng VBA) — đang đọc" in chosen.stdout
    assert "“Danh sách” (hiện) — không đọc" in chosen.stdout
    missing = subprocess.run(
        dvdesk("import", "--db", target, hidden_first, "--sheet", "Không có"),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert missing.returncode == 1
    assert_one_clear_line(missing.stderr, "không có trang tính “Không có”")


def test_a_workbook_with_only_hidden_sheets_asks_for_a_sheet(tmp_path: Path) -> None:
    from dvdesk.errors import KnownError

    path = workbook(
        tmp_path / "toan-an.xlsx",
        {"A": ("hidden", members(2)), "B": ("visible", [["x"]])},
    )
    # openpyxl refuses to save a book without a visible sheet: hide the last one by hand.
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml")
    book = book.replace(b'state="visible"', b'state="hidden"')
    path2 = rewrite(path, tmp_path / "toan-an-2.xlsx", {"xl/workbook.xml": book})
    with pytest.raises(KnownError, match="--sheet"):
        read_grid(path2)
