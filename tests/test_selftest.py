"""`dvdesk --self-test` run in-process: passes on a sound install, names what is missing."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from dvdesk import cli, selftest
from dvdesk.resources import resources_dir

SOURCE_RESOURCES = resources_dir()


def _run() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = selftest.main(out, err)
    return code, out.getvalue(), err.getvalue()


def test_passes_from_source_tree():
    code, out, err = _run()
    assert (code, err) == (0, "")
    assert f"{selftest.RESOURCES_LABEL}: {SOURCE_RESOURCES} (trong thư mục mã nguồn)" in out
    assert out.count("[đạt]") == 3
    assert out.rstrip().splitlines()[-1].startswith("Tự kiểm tra: đạt (3/3 mục;")


def test_cli_flag(capsys: pytest.CaptureFixture[str]):
    assert cli.main(["--self-test"]) == 0
    assert "Tự kiểm tra: đạt" in capsys.readouterr().out


def test_cli_flag_refuses_a_command(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--self-test", "age", "2000", "--on", "2026-01-01"])
    assert exc.value.code == 2
    assert "--self-test" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("copied", "code", "expected"),
    [
        # Everything shipped: a bundle layout passes and says where it loaded from.
        (["fonts", "icons"], 0, "Tự kiểm tra: đạt"),
        # Nothing shipped: the first missing file is named.
        ([], 1, "Tài nguyên: Thiếu tệp tài nguyên của chương trình"),
        # Fonts but no icons (a spec that forgot a data folder).
        (["fonts"], 1, "dvdesk.svg"),
    ],
)
def test_bundle_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied: list[str], code: int, expected: str
):
    bundle = tmp_path / "_internal"
    (bundle / "resources").mkdir(parents=True)
    for folder in copied:
        shutil.copytree(SOURCE_RESOURCES / folder, bundle / "resources" / folder)
    # What PyInstaller's bootloader sets in a frozen program.
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    result, out, err = _run()
    assert result == code
    assert f"{bundle / 'resources'} (trong gói cài đặt)" in out
    assert expected in (out if code == 0 else err)
    if code:
        assert err.startswith("Tự kiểm tra: không đạt — ") and err.count("\n") == 1
