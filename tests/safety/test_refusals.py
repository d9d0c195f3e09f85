"""The hostile run's tracebacks, each now one Vietnamese line, exit 1, the data file unchanged.

Packages altered after they were sealed (with their checksums recomputed, so
only the content check can catch them), a data file on a full disk, an empty
file, formula starts in every text output, Excel's early serials.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dvdesk.exchange import crypto, signing
from dvdesk.exchange.cell_values import read_date
from dvdesk.exchange.cells import escape_cell, escape_reversible, unescape_reversible
from dvdesk.exchange.csv_files import csv_bytes, dict_rows
from dvdesk.exchange.manifest import PackageError, sha256
from dvdesk.exchange.package import write_package
from dvdesk.exchange.signing import SIGNATURE_FILE
from tests.exchange.conftest import make_commune
from tests.safety.killing import run
from tests.safety.mounts import tmpfs
from tests.safety.test_hostile_files import assert_one_clear_line, digest

Entries = dict[str, bytes]


KEYS: dict[Path, bytes] = {}  # package → the private key of the commune that signed it


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("goi")
    out = folder / "goi.zip"
    with make_commune(folder / "nguon.db", "00022", "Xã Nguồn", 30, 6) as store:
        write_package(store, out)
        KEYS[out] = store.packages.signing_key()[0]
    return out


@pytest.fixture
def target(tmp_path: Path) -> Path:
    db = tmp_path / "tong-hop.db"
    make_commune(db, "00021", "Xã Đích", 10, 5).close()
    return db


def entries(path: Path) -> Entries:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def altered(
    source: Path,
    out: Path,
    change: Callable[[Entries, dict[str, Any]], None],
    rehash: bool = True,
) -> Path:
    """The package with `change` applied to its files and manifest, checksums recomputed
    and signed again by the commune's own key: only the content checks can refuse it."""
    files = entries(source)
    manifest = json.loads(files.pop("manifest.json"))
    files.pop(SIGNATURE_FILE)
    change(files, manifest)
    if rehash:
        manifest["files"] = {name: sha256(data) for name, data in files.items()}
    body = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", body)
        z.writestr(SIGNATURE_FILE, signing.sign(KEYS[source], body))
        for name, data in files.items():
            z.writestr(name, data)
    return out


def edit_rows(file: str, edit: Callable[[list[dict[str, str]]], None]):
    def change(files: Entries, manifest: dict[str, Any]) -> None:
        header, rows = dict_rows(files[file])
        edit(rows)
        files[file] = csv_bytes(header, ([r[h] for h in header] for r in rows))
        manifest["counts"][file] = len(rows)

    return change


def manifest_field(key: str, value: object):
    def change(files: Entries, manifest: dict[str, Any]) -> None:
        manifest[key] = value

    return change


def listed_but_absent(files: Entries, manifest: dict[str, Any]) -> None:
    manifest["files"]["ghi_chu.csv"] = "0" * 64


def first(column: str, value: str):
    def edit(rows: list[dict[str, str]]) -> None:
        rows[0][column] = value

    return edit


def duplicate_unit(rows: list[dict[str, str]]) -> None:
    rows.append(dict(rows[0]))


CASES: dict[str, tuple[Callable[[Entries, dict[str, Any]], None], bool, str]] = {
    "manifest_lists_an_absent_file": (listed_but_absent, False, "gói không có"),
    "format_version_negative": (manifest_field("format_version", "-5.0"), True, "phiên bản"),
    "format_version_number": (manifest_field("format_version", 1.0), True, "phiên bản"),
    "sequence_2_63": (manifest_field("sequence", 2**63), True, "số thứ tự"),
    "sequence_huge": (manifest_field("sequence", 10**30), True, "số thứ tự"),
    "sequence_true": (manifest_field("sequence", True), True, "số thứ tự"),
    "sequence_text": (manifest_field("sequence", "7"), True, "số thứ tự"),
    "commune_code_path": (manifest_field("commune_code", "../../x"), True, "mã xã"),
    "file_name_path": (manifest_field("files", {"../units.csv": "0" * 64}), False, "tên tệp"),
    "created_at_garbage": (manifest_field("created_at", "hôm qua"), True, "thời điểm"),
    "uid_path": (edit_rows("members.csv", first("uid", "../../x")), True, "mã định danh"),
    "unit_code_path": (edit_rows("units.csv", first("code", "../x")), True, "mã đơn vị"),
    "duplicate_unit_code": (edit_rows("units.csv", duplicate_unit), True, "hai lần"),
    "cell_over_csv_limit": (
        edit_rows("members.csv", first("notes", "x" * 131_073)),
        True,
        "ô quá dài",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_an_altered_package_is_refused_in_one_line(
    tmp_path: Path, package: Path, target: Path, case: str
) -> None:
    change, rehash, expected = CASES[case]
    bad = altered(package, tmp_path / "goi-sua.zip", change, rehash)
    before = digest(target)
    result = run("merge", "--db", target, bad)
    assert result.returncode == 1, result.stdout
    assert_one_clear_line(result.stderr, expected)
    assert digest(target) == before


def test_the_unaltered_package_still_merges(tmp_path: Path, package: Path, target: Path) -> None:
    same = altered(package, tmp_path / "goi-lai.zip", lambda files, manifest: None)
    result = run("merge", "--db", target, same)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("ma-hoa")
    secret = unicodedata.normalize("NFC", "Mật khẩu Đoàn xã 2026")
    out = folder / "goi.zip"
    with make_commune(folder / "nguon.db", "00023", "Xã Kín", 10, 7) as store:
        write_package(store, out, secret)
    return out, secret


@pytest.mark.parametrize(
    "written",
    [
        lambda s: "\ufeff" + s + "\r\n",  # Notepad: BOM and a line break
        lambda s: s + "  \t\n\n",
        lambda s: unicodedata.normalize("NFD", s) + "\n",  # another keyboard's form
    ],
    ids=["bom_crlf", "trailing_spaces", "nfd"],
)
def test_a_passphrase_file_from_notepad_opens_the_package(
    tmp_path: Path, sealed: tuple[Path, str], target: Path, written: Callable[[str], str]
) -> None:
    path, secret = sealed
    secret_file = tmp_path / "mat-khau.txt"
    secret_file.write_bytes(written(secret).encode("utf-8"))
    result = run("merge", "--db", target, path, "--dry-run", "--passphrase-file", secret_file)
    assert result.returncode == 0, result.stderr


def test_a_costly_scrypt_header_is_refused_before_deriving(sealed: tuple[Path, str]) -> None:
    path, secret = sealed
    data = bytearray(path.read_bytes())
    start = len(crypto.MAGIC)
    # Each parameter alone is within the old per-parameter caps; together 2 GiB a try.
    data[start : start + 3] = bytes((20, 16, 4))
    began = time.perf_counter()
    with pytest.raises(PackageError, match="tham số lạ"):
        crypto.decrypt(bytes(data), secret, "x")
    assert time.perf_counter() - began < 0.5
    assert crypto.cost_allowed(crypto.LOG2_N, crypto.SCRYPT_R, crypto.SCRYPT_P)
    assert not crypto.cost_allowed(19, 8, 1)  # 512 MiB


def test_a_data_file_on_a_full_disk_is_one_line_for_every_command(
    tmp_path: Path, target: Path
) -> None:
    size_kb = target.stat().st_size // 1024 + 8
    with tmpfs(tmp_path / "disk", size_kb=size_kb) as disk:
        db = disk / "xa.db"
        shutil.copy(target, db)
        (disk / "day").write_bytes(b"\0" * ((size_kb << 10) - db.stat().st_size))
        before = digest(db)
        out = tmp_path / "ra"
        for argv in (
            ["list"],
            ["check"],
            ["export", "--out", f"{out}.csv"],
            ["export", "--out", f"{out}.xlsx"],
            ["export", "--out", f"{out}.zip"],
            ["print", "eligible", "--out", f"{out}.pdf"],
            ["backup"],
        ):
            result = run(argv[0], "--db", db, *argv[1:])
            assert result.returncode == 1, argv
            assert_one_clear_line(result.stderr, "đầy")
            assert digest(db) == before
        assert not any(p.name.startswith("ra.") for p in tmp_path.iterdir())


@pytest.mark.parametrize("argv", [["list"], ["check"], ["list", "--csv"], ["export"]])
def test_an_empty_file_is_not_formatted(tmp_path: Path, argv: list[str]) -> None:
    empty = tmp_path / "trong.db"
    empty.write_bytes(b"")
    extra = ["--out", str(tmp_path / "ra.csv")] if argv == ["export"] else []
    result = run(argv[0], "--db", empty, *argv[1:], *extra)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "tệp trống")
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trong.db"]


def test_a_refused_demo_leaves_no_new_file(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kb=256) as disk:
        db = disk / "moi.db"
        result = run("demo", "--db", db, "--members", "5000")
        assert result.returncode == 1
        assert_one_clear_line(result.stderr, "đầy")
        assert list(disk.iterdir()) == []


FORMULAS = [
    "=1+1",
    "+84",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "＝1+1",
    "＋1",
    "－1",
    "＠A",
    "﹦1",
    "﹢1",
]
FORMULAS += ["﹣1", "﹫A"]


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_start_is_escaped_one_way_and_reversibly(text: str) -> None:
    assert escape_cell(text) == "'" + text
    assert unescape_reversible(escape_reversible(text)) == text
    assert escape_cell("Thôn " + text) == "Thôn " + text  # only the start matters


def test_list_csv_escapes_a_formula_unit_name(tmp_path: Path) -> None:
    from dvdesk.domain.member import Unit, UnitKind
    from dvdesk.store.gateway import Store

    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "0").returncode == 0
    with Store.open(db) as store:
        store.units.add(Unit("X1", '=HYPERLINK("http://x","y")', UnitKind.RESIDENTIAL))
        store.units.add(Unit("X2", "＝1+1", UnitKind.RESIDENTIAL))
    # One member per unit, through the CLI's own import.
    sheet = tmp_path / "ds.csv"
    sheet.write_text(
        "Họ và tên,Ngày sinh,Mã chi đoàn\nNguyễn Văn An,01/02/2005,X1\nLê Thị Bình,02/03/2005,X2\n",
        encoding="utf-8",
    )
    assert run("import", "--db", db, sheet).returncode == 0
    listed = run("list", "--db", db, "--csv")
    assert listed.returncode == 0
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert {r["unit_name"] for r in rows} == {'\'=HYPERLINK("http://x","y")', "'＝1+1"}


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (39448, date(2008, 1, 1)),
    ],
)
def test_excel_serials_decode_to_excels_own_dates(serial: int, expected: date) -> None:
    # Independent oracle: Excel shows 1 as 01/01/1900, 59 as 28/02/1900, 61 as 01/03/1900.
    found = read_date(serial)
    assert found is not None and found.as_date() == expected


def test_excels_phantom_29_february_1900_is_refused() -> None:
    with pytest.raises(ValueError, match="29/02/1900"):
        read_date(60)


def test_a_link_planted_at_the_lock_name_is_not_followed(tmp_path: Path, target: Path) -> None:
    victim = tmp_path / "quan-trong.txt"
    victim.write_text("không được mất", encoding="utf-8")
    Path(f"{target}.lock").symlink_to(victim)
    sheet = tmp_path / "ds.csv"
    sheet.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,01/02/2005\n", encoding="utf-8")
    result = run("import", "--db", target, sheet, "--unit", "KDC01")
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "tệp khóa")
    assert victim.read_text(encoding="utf-8") == "không được mất"


def test_a_huge_passphrase_file_or_package_is_refused_unread(
    tmp_path: Path, package: Path, target: Path
) -> None:
    secret = tmp_path / "mat-khau.txt"
    with secret.open("wb") as f:
        f.truncate(2 << 30)  # sparse: 2 GiB that cost nothing to make
    result = run("merge", "--db", target, package, "--passphrase-file", secret)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "quá lớn")
    big = tmp_path / "goi-lon.zip"
    with big.open("wb") as f:
        f.truncate(600 << 20)
    result = run("merge", "--db", target, big)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "lớn bất thường")
