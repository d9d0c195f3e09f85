"""Three demo communes with distinct codes (made by the CLI), merged: every list and
count at the receiving level compared per commune with the communes' own files."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.exchange.signing import fingerprint
from dvdesk.store.gateway import Store
from dvdesk.store.received import SUMMARY_HEADER

ON = "2026-11-26"
COMMUNES = (
    ("00012", "Xã Yên Phú", 90, 1),
    ("00013", "Xã Đông Hòa", 70, 2),
    ("00014", "Phường Ba", 50, 3),
)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tinh")
    files, packages = {}, []
    for code, name, n, seed in COMMUNES:
        db = folder / f"{code}.db"
        argv = ["demo", "--db", str(db), "--members", str(n), "--seed", str(seed)]
        assert main([*argv, "--commune-code", code, "--commune-name", name]) == 0
        pkg = folder / f"{code}.zip"
        assert main(["export", "--db", str(db), "--out", str(pkg)]) == 0
        files[code] = db
        packages.append(str(pkg))
    level = folder / "tong-hop.db"
    assert main(["merge", "--db", str(level), *packages]) == 0
    return folder, files, level


def _list(capsys, db: Path, *extra: str) -> list[dict]:
    code, out, err = _run(capsys, "list", "--db", str(db), "--json", "--on", ON, *extra)
    assert code == 0, err
    return json.loads(out)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_demo_communes_have_their_own_codes_and_keys(province):
    _, files, _ = province
    keys = set()
    for code, name, n, _ in COMMUNES:
        with Store.open(files[code], read_only=True) as s:
            settings = s.settings.get()
            assert (settings.commune_code, settings.commune_name) == (code, name)
            assert s.members.count() == n
            keys.add(s.packages.signing_key()[1])
    assert len(keys) == 3


def test_summary_agrees_with_each_communes_own_lists(province, capsys):
    from datetime import date

    _, files, level = province
    with Store.open(level, read_only=True) as lvl:
        figures = {f.commune_code: f for f in lvl.received.summary(date.fromisoformat(ON))}
    assert sorted(figures) == [c[0] for c in COMMUNES]
    for code, name, n, _ in COMMUNES:
        own = _list(capsys, files[code])
        eligible = _list(capsys, files[code], "--eligible-on", ON)
        f = figures[code]
        assert (f.commune_name, f.sequence, f.members) == (name, 1, n) == (name, 1, len(own))
        # The commune's own "eligible" list (not yet Party members, not moved away).
        assert f.eligible == len(eligible) > 0
        assert f.stages == dict(Counter(r["stage"] for r in own))
        assert f.created_at[:10] == date.today().isoformat()


def test_consolidated_csv_keys_every_row_by_commune(province, capsys):
    folder, files, level = province
    out = folder / "tong-hop.csv"
    assert _run(capsys, "export", "--db", str(level), "--out", str(out))[0] == 0
    rows = _csv(out)
    assert len(rows) == sum(c[2] for c in COMMUNES)
    for code, name, _, _ in COMMUNES:
        mine = [r for r in rows if r["Mã xã"] == code]
        assert {r["Xã/phường"] for r in mine} == {name}
        own = _csv_of_commune(folder, files[code], capsys)
        # Same people, same unit codes AND unit names: KDC01 of one commune is never
        # shown under another commune's name.
        pairs = Counter((r["Mã dvdesk"], r["Mã chi đoàn"], r["Chi đoàn"]) for r in mine)
        assert pairs == Counter((r["Mã dvdesk"], r["Mã chi đoàn"], r["Chi đoàn"]) for r in own)
    one = folder / "mot-xa.csv"
    assert (
        _run(capsys, "export", "--db", str(level), "--out", str(one), "--commune", "00013")[0] == 0
    )
    assert {r["Mã xã"] for r in _csv(one)} == {"00013"}
    assert len(_csv(one)) == COMMUNES[1][2]


def _csv_of_commune(folder: Path, db: Path, capsys) -> list[dict[str, str]]:
    out = folder / f"rieng-{db.stem}.csv"
    assert _run(capsys, "export", "--db", str(db), "--out", str(out))[0] == 0
    return _csv(out)


def test_consolidated_workbook_and_pdf(province, capsys):
    from openpyxl import load_workbook

    folder, _, level = province
    out = folder / "tong-hop.xlsx"
    code, _, err = _run(capsys, "export", "--db", str(level), "--out", str(out), "--on", ON)
    assert code == 0, err
    book = load_workbook(out, read_only=True)
    summary = list(book["Tổng hợp theo xã"].values)
    assert [c for c in summary[0]] == [label for label, _ in SUMMARY_HEADER]
    assert [r[0] for r in summary[1:4]] == [c[0] for c in COMMUNES]
    total = summary[4]
    assert total[1] == "Cộng (3 xã)" and total[5] == sum(c[2] for c in COMMUNES)
    members = list(book["Đoàn viên"].values)
    assert members[0][:3] == ("STT", "Mã xã", "Xã/phường")
    assert Counter(r[1] for r in members[1:]) == {c[0]: c[2] for c in COMMUNES}
    pdf = folder / "tong-hop.pdf"
    code, _text, err = _run(capsys, "export", "--db", str(level), "--out", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    missing = folder / "khong.csv"
    code, _, err = _run(
        capsys, "export", "--db", str(level), "--out", str(missing), "--commune", "09999"
    )
    assert code == 1 and "mã “09999”" in err and not missing.exists()


# -- dvdesk init and demo options ------------------------------------------------------


def test_init_makes_an_empty_file_of_one_commune(tmp_path: Path, capsys):
    db = tmp_path / "xa.db"
    code, out, err = _run(
        capsys,
        "init",
        "--db",
        str(db),
        "--commune-code",
        " 12345 ",
        "--commune-name",
        " Xã  Yên Phú ",
    )
    assert code == 0, err
    with Store.open(db, read_only=True) as s:
        settings = s.settings.get()
        assert (settings.commune_code, settings.commune_name) == ("12345", "Xã Yên Phú")
        assert s.members.count() == 0
        assert fingerprint(s.packages.signing_key()[1]) in out
    before = db.read_bytes()
    code, _, err = _run(
        capsys, "init", "--db", str(db), "--commune-code", "12346", "--commune-name", "X"
    )
    assert code == 1 and "đã có" in err and db.read_bytes() == before


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [
        ("", "Xã A", "chưa có mã"),
        ("1234", "Xã A", "không hợp lệ"),
        ("123456", "Xã A", "không hợp lệ"),
        ("12a45", "Xã A", "không hợp lệ"),
        ("00000", "Xã A", "không hợp lệ"),
        ("12345", "   ", "tên xã/phường trống"),
    ],
)
def test_init_refuses_bad_codes_and_names(tmp_path: Path, capsys, code, name, message):
    db = tmp_path / "xa.db"
    rc, _, err = _run(
        capsys, "init", "--db", str(db), "--commune-code", code, "--commune-name", name
    )
    assert rc == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not db.exists()


def test_demo_needs_both_commune_options(tmp_path: Path, capsys):
    db = tmp_path / "d.db"
    rc, _, err = _run(capsys, "demo", "--db", str(db), "--members", "5", "--commune-code", "12345")
    assert rc == 1 and "--commune-name" in err and not db.exists()


def test_an_export_without_a_valid_code_is_refused(tmp_path: Path, capsys):
    db = tmp_path / "x.db"
    Store.open(db).close()
    out = tmp_path / "x.zip"
    rc, _, err = _run(capsys, "export", "--db", str(db), "--out", str(out))
    assert rc == 1 and "chưa có mã xã" in err and not out.exists()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.mark.parametrize("document", ["eligible", "upcoming"])
def test_print_commune_lists_what_the_commune_prints(province, capsys, document):
    import re

    folder, files, level = province
    extra = ["--on", ON] if document == "eligible" else ["--months", "12", "--on", ON]
    for code, name, _, _ in COMMUNES:
        mine, theirs = folder / f"{document}-{code}-tinh.pdf", folder / f"{document}-{code}.pdf"
        argv = ["print", document, "--out"]
        rc, _, err = _run(capsys, *argv, str(mine), "--db", str(level), "--commune", code, *extra)
        assert rc == 0, err
        assert _run(capsys, *argv, str(theirs), "--db", str(files[code]), *extra)[0] == 0
        total = re.compile(r"Tổng cộng: (\d+) đoàn viên")
        ours, own = _pdf_text(mine), _pdf_text(theirs)
        assert total.findall(ours) == total.findall(own) != []
        assert f"{name} (mã {code})" in " ".join(ours.split())
    rc, _, err = _run(
        capsys,
        "print",
        document,
        "--out",
        str(folder / "x.pdf"),
        "--db",
        str(level),
        "--commune",
        "09999",
        *extra,
    )
    assert rc == 1 and "09999" in err


def test_stats_of_one_commune_at_the_receiving_level(province, capsys):
    _, files, level = province
    span = ("--from", "2015", "--to", "2026", "--json")
    for code, _, _, _ in COMMUNES:
        rc, out, err = _run(capsys, "stats", "--db", str(level), "--commune", code, *span)
        assert rc == 0, err
        ours = json.loads(out)
        own = json.loads(_run(capsys, "stats", "--db", str(files[code]), *span)[1])
        # The đảng bộ's yearly totals are entered at the commune and not sent: only
        # the figures counted from the members' steps are compared.
        ours.pop("target"), own.pop("target")
        assert ours == own
        assert ours["admitted"] + ours["introduced"] + ours["course"] > 0
    everyone = json.loads(_run(capsys, "stats", "--db", str(level), *span)[1])
    assert everyone["introduced"] == sum(
        json.loads(_run(capsys, "stats", "--db", str(files[c[0]]), *span)[1])["introduced"]
        for c in COMMUNES
    )


def test_demo_communes_made_with_the_same_seed_are_different_people(tmp_path: Path, capsys):
    uids = []
    for code in ("00021", "00022"):
        db = tmp_path / f"{code}.db"
        argv = ["demo", "--db", str(db), "--members", "30", "--commune-code", code]
        assert main([*argv, "--commune-name", f"Xã {code}"]) == 0
        with Store.open(db, read_only=True) as s:
            uids.append({m.uid for m in s.packages.members()})
    assert len(uids[0]) == len(uids[1]) == 30 and not uids[0] & uids[1]
    again = tmp_path / "again.db"
    argv = ["demo", "--db", str(again), "--members", "30", "--commune-code", "00021"]
    assert main([*argv, "--commune-name", "Xã 00021"]) == 0
    with Store.open(again, read_only=True) as s:
        assert {m.uid for m in s.packages.members()} == uids[0]  # reproducible
