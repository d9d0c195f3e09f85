"""`dvdesk print …`: exit codes, one-line Vietnamese errors, no stray files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.store.gateway import Store
from tests import sql
from tests.reports.conftest import CAPITALS, TONES, pdf_pages


@pytest.fixture
def db(commune: Store, tmp_path: Path) -> str:
    path = tmp_path / "xa.db"
    sql.execute(commune, "VACUUM INTO ?", [str(path)])
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ["checklist", "--uid", "00000000-0000-4000-8000-000000000001"],
        ["checklist", "--unit", "KDC01", "--meeting", "15/07/2026"],
        ["checklist", "--stage", "probation", "--stage", "dossier"],
        ["checklist", "--eligible-on", "2026-09-10"],
        ["eligible", "--on", "10/09/2026"],
        ["upcoming", "--months", "48", "--on", "2026-06-01"],
        ["stats"],
        ["stats", "--year", "2025"],
        ["transfer", "--uid", "00000000-0000-4000-8000-000000000003", "--to", "Chi bộ X"],
    ],
)
def test_print_ok(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]):
    out = tmp_path / "ra.pdf"
    assert main(["print", "--db", db, *args, "--out", str(out)]) == 0
    assert "Đã tạo" in capsys.readouterr().out
    assert pdf_pages(out)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_line_on_a_terminal_only(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
):
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path / "ds.pdf"
    assert main(["print", "--db", db, "eligible", "--on", "10/09/2026", "--out", str(out)]) == 0
    # Three members on the list: one updating line ending at 100%, on a terminal only.
    assert err.getvalue() == ("\rĐang in: 3/3 (100%)\n" if terminal else "")


def test_batch_by_unit_is_candidates_only(db: str, tmp_path: Path):
    out = tmp_path / "ra.pdf"
    assert main(["--db", db, "print", "checklist", "--unit", "KDC01", "--out", str(out)]) == 0
    text = " ".join(" ".join(pdf_pages(out)).split())
    # Two candidates (the others have no step), in Vietnamese order: Hưởng before Ỵ.
    assert text.count("PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN") == 2
    assert text.index(TONES) < text.index(CAPITALS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checklist"], "Chưa chọn đoàn viên"),
        (["checklist", "--uid", "x", "--unit", "KDC01"], "không dùng cả hai"),
        (["checklist", "--uid", "khong-co"], "Không tìm thấy đoàn viên"),
        (["checklist", "--unit", "KDC01", "--stage", "full"], "Không có đoàn viên nào"),
        (["checklist", "--unit", "ZZ"], "Không có đơn vị mã"),
        (["eligible", "--on", "31/02/2026"], "--on: Ngày 31/02/2026 không tồn tại"),
        (["upcoming", "--months", "0"], "Số tháng phải từ 1 đến 60"),
        (["stats", "--year", "99"], "Năm 99 không hợp lệ"),
        (
            ["transfer", "--uid", "00000000-0000-4000-8000-000000000004", "--to", "X"],
            "chưa có trong danh sách cảm tình Đảng",
        ),
    ],
)
def test_print_bad_input(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
):
    out = tmp_path / "ra.pdf"
    assert main(["print", "--db", db, *args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args", [["nothing"], ["stats"], ["upcoming", "--out", "a.pdf"]])
def test_print_usage_errors(db: str, args: list[str]):
    with pytest.raises(SystemExit) as exc:
        main(["print", "--db", db, *args])
    assert exc.value.code == 2


def test_transfer_letter_number_reaches_the_letter_and_its_copy(db: str, tmp_path: Path):
    """--letter-number is printed on the letter and on a copy, typed short or whole."""
    out = tmp_path / "ggt.pdf"
    uid = "00000000-0000-4000-8000-000000000003"
    args = ["--db", db, "print", "transfer", "--uid", uid, "--to", "Chi bộ X", "--out", str(out)]
    assert main([*args, "--letter-number", "21"]) == 0
    assert "Số 21-GGT/ĐU" in " ".join(pdf_pages(out)[0].split())
    assert main([*args, "--overwrite", "--letter-number", "21-GGT/ĐU"]) == 0
    text = " ".join(pdf_pages(out)[0].split())
    assert "Số 21-GGT/ĐU" in text and "GGT/ĐU-GGT" not in text
