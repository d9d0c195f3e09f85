"""`dvdesk list` at the receiving level: every row carries its commune (code and name),
in JSON, CSV and text; a commune's own file has no commune keys."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from dvdesk.cli import main
from dvdesk.domain.listing import LIST_FIELDS
from dvdesk.exchange.package import write_package


def _run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def _level(commune, tmp_path: Path, capsys) -> tuple[Path, dict[str, str], dict[str, str]]:
    a = commune("00012", "Xã Yên Phú", n=25, seed=4)
    b = commune("00013", "Xã Đông Hòa", n=20, seed=5)
    home = {m.uid: "00012" for m in a.packages.members()}
    home |= {m.uid: "00013" for m in b.packages.members()}
    write_package(a, tmp_path / "a.zip")
    write_package(b, tmp_path / "b.zip")
    level = tmp_path / "tinh.db"
    _run(capsys, "merge", "--db", str(level), str(tmp_path / "a.zip"), str(tmp_path / "b.zip"))
    return level, home, {"00012": "Xã Yên Phú", "00013": "Xã Đông Hòa"}


def test_every_list_row_names_its_commune(commune, tmp_path, capsys):
    level, home, names = _level(commune, tmp_path, capsys)
    rows = json.loads(_run(capsys, "list", "--db", str(level), "--json"))
    assert len(rows) == len(home)
    assert list(rows[0])[:3] == ["commune_code", "commune_name", "uid"]
    assert {r["uid"]: r["commune_code"] for r in rows} == home
    assert all(r["commune_name"] == names[r["commune_code"]] for r in rows)
    # The graduating view's rows are built in Python: the same keys.
    for r in json.loads(_run(capsys, "list", "--db", str(level), "--json", "--view", "graduating")):
        assert r["commune_code"] == home[r["uid"]]
    one = json.loads(_run(capsys, "list", "--db", str(level), "--json", "--commune", "00013"))
    assert {r["uid"] for r in one} == {u for u, c in home.items() if c == "00013"}

    table = list(csv.DictReader(io.StringIO(_run(capsys, "list", "--db", str(level), "--csv"))))
    assert {r["uid"]: r["commune_code"] for r in table} == home
    assert all(r["commune_name"] == names[r["commune_code"]] for r in table)

    lines = _run(capsys, "list", "--db", str(level)).splitlines()
    text = [line for line in lines if line[:6].strip().isdigit()]  # not the partial heading
    assert len(text) == len(home)
    assert sum("00012 Xã Yên Phú" in line for line in text) == list(home.values()).count("00012")


def test_a_communes_own_list_has_no_commune_keys(commune, capsys):
    a = commune("00012", "Xã Yên Phú", n=10, seed=4)
    rows = json.loads(_run(capsys, "list", "--db", str(a.path), "--json"))
    assert rows and all(tuple(r) == LIST_FIELDS for r in rows)
    header = _run(capsys, "list", "--db", str(a.path), "--csv").splitlines()[0]
    assert header == ",".join(LIST_FIELDS)


def test_list_takes_the_commune_code_as_typed_and_names_an_unknown_one(commune, tmp_path, capsys):
    level, home, _ = _level(commune, tmp_path, capsys)
    # Padded as pasted from a spreadsheet: the same commune (as export, print and stats).
    padded = json.loads(_run(capsys, "list", "--db", str(level), "--json", "--commune", " 00013 "))
    assert {r["uid"] for r in padded} == {u for u, c in home.items() if c == "00013"}
    # A commune this file has no data of is said so, not listed as nobody.
    for code in ("12345", "１２３４５", ""):
        assert main(["list", "--db", str(level), "--json", "--commune", code]) == 1
        err = capsys.readouterr().err
        assert err.startswith("dvdesk: Không có dữ liệu của xã/phường mã")
        assert len(err.strip().splitlines()) == 1
