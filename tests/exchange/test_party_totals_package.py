"""A commune's yearly đảng bộ figures travel in its package (party_totals.csv, format 1.3).

At the receiving level `stats --commune X` prints the same target rows as the
commune's own `stats`; a package before 1.3 still merges (targets missing, not
zero); a bad party_totals.csv, even re-signed, refuses the whole package.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.exchange import signing
from dvdesk.exchange.manifest import MANIFEST_FILE, sha256
from dvdesk.exchange.signing import SIGNATURE_FILE
from dvdesk.store.gateway import Store

YEARS = ("--from", "2020", "--to", "2025")
# (code, name, seed, {year: (members at start, admitted outside, source)})
COMMUNES = (
    ("00012", "Xã Yên Phú", 3, {2023: (412, 5, "Báo cáo 01-BC/ĐU"), 2024: (420, 2, "Sổ ĐV")}),
    ("00013", "Xã Yên Thành", 4, {2024: (180, 0, "Báo cáo năm"), 2025: (185, 3, "")}),
)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _targets(capsys, db: Path, *extra: str) -> list[dict[str, object]]:
    code, out, err = _run(capsys, "stats", "--db", str(db), *YEARS, "--json", *extra)
    assert code == 0, err
    return json.loads(out)["target"]


@pytest.fixture
def communes(tmp_path: Path, capsys):
    """Two demo communes with yearly totals entered, each exported once: (db, package)."""
    made = {}
    for code, name, seed, totals in COMMUNES:
        db, pkg = tmp_path / f"{code}.db", tmp_path / f"{code}.zip"
        args = ("--commune-code", code, "--commune-name", name, "--seed", str(seed))
        assert _run(capsys, "demo", "--db", str(db), "--members", "80", *args)[0] == 0
        for year, (start, outside, source) in totals.items():
            assert (
                _run(
                    capsys,
                    *("stats", "--db", str(db), "--set-year", str(year)),
                    *("--members-at-start", str(start), "--outside-admitted", str(outside)),
                    *("--source", source),
                )[0]
                == 0
            )
        assert _run(capsys, "export", "--db", str(db), "--out", str(pkg))[0] == 0
        made[code] = (db, pkg)
    return made


def _admitted_in(db: Path, year: int) -> int:
    """Raw SQL oracle: members whose 9-KNĐ (step `decision`) is done and dated in `year`."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT count(DISTINCT s.member_id) FROM steps s JOIN members m ON m.id = s.member_id "
            "WHERE s.code = 'decision' AND s.state = 'done' AND m.deleted_at IS NULL "
            "AND s.done_on LIKE ?",
            (f"{year}-%",),
        ).fetchone()[0]
    finally:
        conn.close()


def test_receiving_level_prints_each_communes_own_target_rows(communes, tmp_path, capsys):
    level = tmp_path / "tinh.db"
    code, _, err = _run(
        capsys, "merge", "--db", str(level), *(str(p) for _, p in communes.values())
    )
    assert code == 0, err
    for commune, (db, _) in communes.items():
        own = _targets(capsys, db)
        assert _targets(capsys, level, "--commune", commune) == own
    # Hand-computed for one year of 00012: (9-KNĐ of 2024 + 2 outside) / 420 members.
    row = next(t for t in _targets(capsys, level, "--commune", "00012") if t["year"] == 2024)
    admitted = _admitted_in(communes["00012"][0], 2024)
    assert row["party_members_at_start"] == 420 and row["admitted_outside"] == 2
    assert row["admitted_tracked"] == admitted and row["source"] == "Sổ ĐV"
    assert row["percent"] == pytest.approx(100.0 * (admitted + 2) / 420)
    # A year the commune never entered is missing, not zero.
    missing = next(t for t in _targets(capsys, level, "--commune", "00012") if t["year"] == 2022)
    assert missing["party_members_at_start"] is None and missing["percent"] is None
    # The per-commune summary's target progress reads the same rows.
    with Store.open(level) as store:
        figures = {f.commune_code: f for f in store.received.summary(date(2024, 12, 31))}
    year = figures["00012"].year
    assert (year.party_members, year.outside_admitted, year.percent) == (
        420,
        2,
        pytest.approx(100.0 * (admitted + 2) / 420),
    )


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _re_signed(
    db: Path,
    source: Path,
    out: Path,
    files: dict[str, bytes | None],
    version: str,
    rows: int | None = None,
) -> Path:
    """`source` with files replaced (None: removed), hashes and format set, signed again
    with the commune's own key (as a commune running another dvdesk would)."""
    entries = _entries(source)
    for name, data in files.items():
        if data is None:
            entries.pop(name)
        else:
            entries[name] = data
    body = json.loads(entries[MANIFEST_FILE])
    body["format_version"] = version
    body["files"] = {
        n: sha256(d) for n, d in entries.items() if n not in (MANIFEST_FILE, SIGNATURE_FILE)
    }
    body["counts"] = {n: c for n, c in body["counts"].items() if n in entries}
    if rows is not None:
        body["counts"]["party_totals.csv"] = rows
    entries[MANIFEST_FILE] = json.dumps(body, ensure_ascii=False).encode()
    with Store.open(db) as store:
        entries[SIGNATURE_FILE] = signing.sign(
            store.packages.signing_key()[0], entries[MANIFEST_FILE]
        )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out


def test_an_older_package_without_the_file_still_merges(communes, tmp_path, capsys):
    db, pkg = communes["00012"]
    old = _re_signed(db, pkg, tmp_path / "old.zip", {"party_totals.csv": None}, "1.2")
    level = tmp_path / "tinh.db"
    code, _, err = _run(capsys, "merge", "--db", str(level), str(old))
    assert code == 0, err
    rows = _targets(capsys, level, "--commune", "00012")
    assert rows and all(t["party_members_at_start"] is None for t in rows)
    assert all(t["percent"] is None and t["admitted_outside"] is None for t in rows)


BAD = {
    "negative": "2024,-5,1,Báo cáo",
    "year_3000": "3000,400,1,Báo cáo",
    "too_many": "2024,99999999999,1,Báo cáo",
    "control": "2024,400,1,Báo\x07cáo",
    "twice": "2024,400,1,A\r\n2024,410,1,B",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_party_totals_file_refuses_the_package(communes, tmp_path, capsys, case):
    db, pkg = communes["00012"]
    level = tmp_path / "tinh.db"
    code, _, err = _run(capsys, "merge", "--db", str(level), str(communes["00013"][1]))
    assert code == 0, err
    before = hashlib.sha256(level.read_bytes()).hexdigest()
    text = "\ufeffyear,members_at_start,outside_admitted,source\r\n" + BAD[case] + "\r\n"
    lines = BAD[case].count("\r\n") + 1
    bad = _re_signed(
        db, pkg, tmp_path / "bad.zip", {"party_totals.csv": text.encode()}, "1.3", lines
    )
    code, _, err = _run(capsys, "merge", "--db", str(level), str(bad))
    assert code == 1
    message = err.strip().splitlines()
    assert len(message) == 1 and "party_totals.csv" in message[0], err
    assert hashlib.sha256(level.read_bytes()).hexdigest() == before


def test_a_later_package_replaces_the_communes_rows(communes, tmp_path, capsys):
    db, pkg = communes["00013"]
    level = tmp_path / "tinh.db"
    assert _run(capsys, "merge", "--db", str(level), str(pkg))[0] == 0
    assert (
        _run(capsys, "stats", "--db", str(db), "--set-year", "2024", "--members-at-start", "200")[0]
        == 0
    )
    second = tmp_path / "p2.zip"
    assert _run(capsys, "export", "--db", str(db), "--out", str(second))[0] == 0
    assert _run(capsys, "merge", "--db", str(level), str(second))[0] == 0
    rows = {t["year"]: t for t in _targets(capsys, level, "--commune", "00013")}
    assert rows[2024]["party_members_at_start"] == 200 and rows[2024]["admitted_outside"] is None
    assert rows[2025]["party_members_at_start"] == 185
    assert _targets(capsys, level, "--commune", "00013") == _targets(capsys, db)
