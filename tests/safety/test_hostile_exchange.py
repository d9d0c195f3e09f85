"""Hostile exchange files: truncated packages, odd encodings, huge cells, huge sheets.

Each is either read correctly or refused with one Vietnamese line and exit 1,
and the data file stays byte-identical.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.exchange.package import write_package
from dvdesk.store.gateway import Store
from tests.exchange.conftest import make_commune
from tests.exchange.test_signed_packages import _re_signed, _steps_doubled
from tests.safety.killing import ENV, contents, dvdesk, run
from tests.safety.sheets import HEADER, write_members_csv
from tests.safety.test_hostile_files import assert_one_clear_line, digest


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A commune file with a few members, the file every refused command must not touch."""
    db = tmp_path / "xa.db"
    make_commune(db, "00021", "Xã Đích", 40, 5).close()
    return db


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "goi.zip"
    with make_commune(tmp_path / "nguon.db", "00022", "Xã Nguồn", 60, 6) as store:
        write_package(store, path)
    return path


def refused(argv: list[str], db: Path, capsys: pytest.CaptureFixture[str], expected: str = ""):
    before = digest(db)
    assert main(argv) == 1
    assert_one_clear_line(capsys.readouterr().err, expected)
    assert digest(db) == before


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_truncated_package_is_refused(
    tmp_path: Path, target: Path, package: Path, keep: float, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.zip"
    data = package.read_bytes()
    cut.write_bytes(data[: int(len(data) * keep)])
    refused(["merge", "--db", str(target), str(cut)], target, capsys)


def test_package_with_a_tampered_member_file_is_refused(
    tmp_path: Path, target: Path, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tampered = tmp_path / "sua.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("members.csv"):
                data = data.replace("Nguyễn".encode(), b"Nguyen", 1)
            dst.writestr(info, data)
    refused(["merge", "--db", str(target), str(tampered)], target, capsys)


def test_zip_bomb_is_refused_without_unpacking(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", "{}")
        z.writestr("members.csv", b"0" * (300 * 1024 * 1024))
    refused(["merge", "--db", str(target), str(bomb)], target, capsys)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258", "utf-16"])
def test_sheet_in_another_encoding_is_read_or_refused_never_garbled(
    tmp_path: Path, target: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "danh-sach.csv"
    write_members_csv(sheet, 30, encoding=encoding)
    before = contents(target)
    code = main(["import", "--db", str(target), str(sheet)])
    captured = capsys.readouterr()
    if code == 1:
        assert_one_clear_line(captured.err, "")
        assert contents(target).digest == before.digest
        return
    assert code == 0, captured.err
    with Store.open(target) as store:
        names = {r["full_name"] for r in store.members.list()}
    assert len(names) >= before.members  # grew by the sheet
    assert not [n for n in names if "\ufffd" in n or "Ã" in n or "Æ" in n], "mojibake"


@pytest.mark.parametrize(
    ("column", "size"),
    [
        ("Họ và tên", 200_000),  # past the csv module's field limit
        ("Ghi chú", 2_000_000),
        ("Họ và tên", 100_000),
        ("Ghi chú", 100_000),
        ("Ngày sinh", 100_000),
        ("Số CCCD", 50_000),
    ],
)
def test_huge_cells_are_refused_or_bounded(
    tmp_path: Path, target: Path, column: str, size: int, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "to.csv"
    write_members_csv(sheet, 5)
    lines = sheet.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[HEADER.index(column)] = "Á" * size
    lines[1] = ",".join(cells)
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    before = digest(target)
    code = main(["import", "--db", str(target), str(sheet)])
    err = capsys.readouterr().err
    if code == 1:
        assert_one_clear_line(err, "")
        assert digest(target) == before
    else:  # only a free-text note may be that long, and it is kept whole
        assert code == 0 and column == "Ghi chú"


def test_sheet_of_binary_garbage_is_refused(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "rac.csv"
    sheet.write_bytes(bytes(range(256)) * 64)
    refused(["import", "--db", str(target), str(sheet)], target, capsys)


def test_fake_xlsx_is_refused(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "gia.xlsx"
    sheet.write_text("Họ và tên,Ngày sinh\nAn,2008\n", encoding="utf-8")
    refused(["import", "--db", str(target), str(sheet)], target, capsys)


PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
    "print(done.returncode, peak)\n"
    "sys.stderr.write(done.stderr)\n"
)


@pytest.mark.slow
def test_million_row_sheet_is_refused_without_blowing_memory(tmp_path: Path, target: Path) -> None:
    sheet = tmp_path / "trieu.csv"
    row = "1,Nguyễn Văn An,01/02/2005,Nam,,KDC01,Thôn Đông,,\n"
    with sheet.open("w", encoding="utf-8-sig") as f:
        f.write(",".join(HEADER) + "\n")
        for _ in range(100):
            f.write(row * 10_000)
    size_mb = sheet.stat().st_size / 2**20
    before = digest(target)
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *dvdesk("import", "--db", target, sheet, "--dry-run")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    code, peak_mb = map(int, out.stdout.split())
    assert code == 1
    assert_one_clear_line(out.stderr, "quá nhiều dòng")
    assert digest(target) == before
    # Refusing a million rows costs no more than reading the largest sheet accepted
    # (MAX_ROWS = 250,000 rows): before the fix it parsed all rows first (~900 MB).
    assert peak_mb < 600, f"peak {peak_mb} MB for a {size_mb:.0f} MB sheet"


def test_cli_import_of_a_missing_file_is_one_line(tmp_path: Path, target: Path) -> None:
    result = run("import", "--db", target, tmp_path / "khong-co.csv")
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "")


@pytest.fixture(scope="module")
def level_and_next(tmp_path_factory: pytest.TempPathFactory):
    """A receiving level that merged commune 00022's first package; the commune, its second."""
    root = tmp_path_factory.mktemp("cap-nhan")
    store = make_commune(root / "xa.db", "00022", "Xã Nguồn", 30, 6)
    first, second = root / "p1.zip", root / "p2.zip"
    write_package(store, first)
    write_package(store, second)
    level = root / "tinh.db"
    assert run("merge", "--db", level, first).returncode == 0
    yield store, level, second
    store.close()


HOSTILE_SIGNED = {
    "name_newline": lambda s, p, o: _re_signed(s, p, o, commune_name="Xã A\ndvdesk: đã gộp"),
    "code_newline": lambda s, p, o: _re_signed(s, p, o, commune_code="00022\n"),
    "party_members_huge": lambda s, p, o: _re_signed(s, p, o, party_members=2**70),
    "created_in_the_future": lambda s, p, o: _re_signed(s, p, o, created_at="2099-01-01T00:00:00"),
    "step_twice": _steps_doubled,
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SIGNED))
def test_a_commune_signed_hostile_package_through_the_real_cli(level_and_next, tmp_path, case):
    """Signed with the commune's own key, so only the value checks can catch them."""
    store, merged, second = level_and_next
    level = tmp_path / "tinh.db"  # a copy each: a case wrongly merged cannot hide the next
    shutil.copyfile(merged, level)
    forged = HOSTILE_SIGNED[case](store, second, tmp_path / f"{case}.zip")
    before = digest(level), contents(level)
    done = run("merge", "--db", level, forged)
    assert done.returncode == 1, done.stdout
    assert_one_clear_line(done.stderr, "")
    assert (digest(level), contents(level)) == before
