"""The baselines of `make bench`: the same work as each dvdesk command, done bare.

Each subcommand runs as its own process (like the dvdesk command it is compared
with) and produces the same output: raw `sqlite3` queries writing the same
JSON/CSV; a plain Python `executemany` with the search index built once for
imports and merges; bare reportlab drawing the same rows for PDFs; a bare
interpreter printing the same answer for start-up. Nothing here imports dvdesk
except the checklists, which read each candidate's sheet through dvdesk and
draw it on a bare canvas (the layout is what that pair compares).

    python bench/baselines.py list-eligible DB YYYY-MM-DD OUT.json
    python bench/baselines.py stats DB FROM TO OUT.json
    python bench/baselines.py import-csv TEMPLATE.db SHEET.csv OUT.db
    python bench/baselines.py import-xlsx TEMPLATE.db SHEET.xlsx OUT.db
    python bench/baselines.py export DB OUT.zip
    python bench/baselines.py merge TEMPLATE.db OUT.db PACKAGE.zip…
    python bench/baselines.py backup DB OUT.db
    python bench/baselines.py check DB
    python bench/baselines.py print-eligible DB YYYY-MM-DD OUT.pdf
    python bench/baselines.py checklists DB UIDS.txt OUT.pdf
    python bench/baselines.py age ANSWER.txt
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import sys
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTY_MEMBERS = ("probation", "full")
GONE = ("moved", "left_union")
ELIGIBLE_WHERE = (
    "m.deleted_at IS NULL AND m.elig_from_a <= ?1 AND m.over_from_a > ?1 "
    f"AND m.stage NOT IN {PARTY_MEMBERS!r} AND m.presence NOT IN {GONE!r}"
)


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): the search text."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# -- list --eligible-on --json ------------------------------------------------------


def years_on(column: str, years: int) -> str:
    return (
        f"printf('%04d', CAST(substr({column}, 1, 4) AS INTEGER) + {years}) || substr({column}, 5)"
    )


def list_eligible(db: str, on: str, out: str) -> None:
    """One json_object per row from SQLite, in roster order, like `sqlite3 -json`."""
    y, mo, d = (int(x) for x in on.split("-"))
    youth = (
        f"CASE WHEN ?1 <= {years_on('m.dob', 15)} THEN 'under_16' "
        "WHEN m.union_officer = 1 THEN NULL "
        f"WHEN ?1 < {years_on('m.dob', 31)} THEN NULL "
        "WHEN m.union_extended = 0 THEN 'past_30' "
        f"WHEN ?1 >= {years_on('m.dob', 36)} THEN 'past_35' ELSE NULL END"
    )
    sql = (
        "SELECT json_object('uid', m.uid, 'full_name', m.full_name, 'dob', m.dob, "
        "'gender', m.gender, 'unit', u.code, 'unit_name', u.name, "
        "'school_class', m.school_class, 'presence', m.presence, 'stage', m.stage, "
        "'status', CASE WHEN m.dob_precision = 'day' THEN 'eligible' ELSE NULL END, "
        "'eligible_from', CASE WHEN m.dob_precision = 'day' THEN m.elig_from_a END, "
        "'age_months', CASE WHEN m.dob_precision = 'day' THEN "
        "(?2 - CAST(substr(m.dob, 1, 4) AS INTEGER)) * 12 "
        "+ (?3 - CAST(substr(m.dob, 6, 2) AS INTEGER)) "
        "- (CAST(substr(m.dob, 9, 2) AS INTEGER) > ?4) END, "
        "'eligible_from_earliest', CASE WHEN m.dob_precision <> 'day' THEN m.elig_from_a END, "
        "'eligible_from_latest', CASE WHEN m.dob_precision <> 'day' THEN m.elig_from_b END, "
        f"'youth_flag', {youth}, 'note', '', 'possible_statuses', NULL) "
        "FROM members m JOIN units u ON u.id = m.unit_id "
        f"WHERE {ELIGIBLE_WHERE} ORDER BY m.name_sort, m.id"
    )
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with open(out, "w", encoding="utf-8") as f:
        n = 0
        for (text,) in conn.execute(sql, [on, y, mo, d]):
            f.write(("[\n" if n == 0 else ",\n") + text)
            n += 1
        f.write("\n]\n" if n else "[]\n")


# -- stats --from --to --json --------------------------------------------------------

EVENTS = {"union_resolution": "introduced", "course": "course", "decision": "admitted"}
KINDS = {"residential": "kdc", "school": "thpt"}


def _ratios(figures: dict[str, int]) -> dict[str, object]:
    def share(a: int, b: int) -> float | None:
        return a / b if b else None

    return {
        **figures,
        "admitted_per_introduced": share(figures["admitted"], figures["introduced"]),
        "admitted_per_course": share(figures["admitted"], figures["course"]),
    }


def stats(db: str, first: str, last: str, out: str) -> None:
    """The period's counts per year and unit kind at the time, as `stats --json` lists them."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT CAST(substr(s.done_on, 1, 4) AS INTEGER), s.code, "
        "coalesce(s.unit_kind, u.kind), count(*) FROM steps s "
        "JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
        "WHERE s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN (?, ?, ?) "
        "AND s.done_on >= ? AND s.done_on < ? AND m.deleted_at IS NULL GROUP BY 1, 2, 3",
        [*EVENTS, f"{int(first):04d}", f"{int(last) + 1:04d}"],
    ).fetchall()
    zero = dict.fromkeys(EVENTS.values(), 0)
    years = {y: {k: dict(zero) for k in KINDS.values()} for y in range(int(first), int(last) + 1)}
    for year, code, kind, n in rows:
        years[year][KINDS[kind]][EVENTS[code]] += n

    def total(parts: Iterable[dict[str, int]]) -> dict[str, int]:
        out = dict(zero)
        for part in parts:
            for key, value in part.items():
                out[key] += value
        return out

    per_kind = {k: total(years[y][k] for y in years) for k in KINDS.values()}
    data = {
        "from": int(first),
        "to": int(last),
        "unit_kind": None,
        **_ratios(total(per_kind.values())),
        "by_unit_kind": {k: _ratios(v) for k, v in per_kind.items()},
        "students": _ratios(per_kind["thpt"]),
        "years": [
            {
                "year": y,
                **_ratios(total(kinds.values())),
                "by_unit_kind": {k: _ratios(v) for k, v in kinds.items()},
                "students": _ratios(kinds["thpt"]),
            }
            for y, kinds in years.items()
        ],
    }
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# -- imports and merges: executemany, then the search index built once -------------

GENDERS = {"nam": "nam", "nữ": "nu", "nu": "nu"}
NOW = datetime(2026, 11, 26, 8, 0, 0).isoformat(timespec="seconds")


def parse_dob(text: str) -> tuple[str | None, str | None]:
    parts = [p for p in text.strip().replace("-", "/").split("/") if p]
    if len(parts) == 3:
        d, m, y = parts
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}", "day"
    if len(parts) == 2:
        m, y = parts
        return f"{int(y):04d}-{int(m):02d}", "month"
    if len(parts) == 1 and parts[0].isdigit():
        return f"{int(parts[0]):04d}", "year"
    return None, None


def plus_years(iso: str, years: int) -> str:
    y, rest = iso[:4], iso[4:]
    padded = (rest + "-01-01")[:6] if len(rest) < 6 else rest
    if padded == "-02-29":
        padded = "-03-01"
    return f"{int(y) + years:04d}{padded}"


def _open_copy(template: str, out: str) -> sqlite3.Connection:
    shutil.copyfile(template, out)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _insert_members(conn: sqlite3.Connection, rows: Iterable[dict[str, str]]) -> int:
    """Units as met, then every member in one executemany; FTS built once afterwards."""
    conn.execute("DROP TRIGGER IF EXISTS members_fts_insert")
    units: dict[tuple[str, str], int] = {
        (c, code): i for i, c, code in conn.execute("SELECT id, commune_code, code FROM units")
    }

    def unit_id(commune: str, code: str, name: str, school: bool) -> int:
        key = (commune, code)
        if key not in units:
            cur = conn.execute(
                "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                [commune, code, name, "school" if school else "residential"],
            )
            units[key] = int(cur.lastrowid or 0)
        return units[key]

    def values() -> Iterator[tuple[object, ...]]:
        for r in rows:
            dob, precision = parse_dob(r.get("dob", ""))
            name = r["full_name"].strip()
            cccd, phone = r.get("cccd", ""), r.get("phone", "")
            given = name.rsplit(" ", 1)[-1]
            yield (
                r.get("uid") or str(uuid.uuid4()),
                r.get("commune_code", ""),
                unit_id(
                    r.get("commune_code", ""),
                    r["unit"],
                    r.get("unit_name", r["unit"]),
                    bool(r.get("school_class")),
                ),
                name,
                f"{fold(given)} {fold(name)}",
                " ".join(x for x in (fold(name), cccd, phone) if x),
                GENDERS.get(r.get("gender", "").strip().lower()),
                dob,
                precision,
                plus_years(dob, 18) if dob else None,
                plus_years(dob, 60) if dob else None,
                cccd,
                r.get("ethnicity", ""),
                r.get("religion", ""),
                r.get("school_class", ""),
                phone,
                r.get("notes", ""),
                NOW,
                NOW,
            )

    conn.executemany(
        "INSERT INTO members (uid, commune_code, unit_id, full_name, name_sort, search_text, "
        "gender, dob, dob_precision, elig_from_a, over_from_a, cccd, ethnicity, religion, "
        "school_class, phone, notes, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values(),
    )
    return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])


def _finish(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO members_fts (members_fts) VALUES ('rebuild')")
    conn.execute(
        "CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN "
        "INSERT INTO members_fts (rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    conn.commit()
    conn.close()


SHEET_COLUMNS = {
    "Họ và tên": "full_name",
    "Ngày sinh": "dob",
    "Giới tính": "gender",
    "Số CCCD": "cccd",
    "Dân tộc": "ethnicity",
    "Tôn giáo": "religion",
    "Mã chi đoàn": "unit",
    "Chi đoàn": "unit_name",
    "Lớp": "school_class",
    "Số điện thoại": "phone",
    "Ghi chú": "notes",
    "Mã dvdesk": "uid",
}


def _sheet_rows(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[dict[str, str]]:
    keys = [SHEET_COLUMNS.get(str(h or "").strip(), "") for h in header]
    for row in rows:
        record = {k: "" if v is None else str(v) for k, v in zip(keys, row, strict=False) if k}
        if record.get("full_name", "").strip():
            yield record


def import_csv(template: str, sheet: str, out: str) -> None:
    conn = _open_copy(template, out)
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        _insert_members(conn, _sheet_rows(header, reader))
    _finish(conn)


def import_xlsx(template: str, sheet: str, out: str) -> None:
    from openpyxl import load_workbook

    conn = _open_copy(template, out)
    book = load_workbook(sheet, read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header: list[str] = []
    for row in rows:  # skip title rows down to the header
        if any(str(c or "").strip() == "Họ và tên" for c in row):
            header = [str(c or "") for c in row]
            break

    def cells() -> Iterator[list[object]]:
        for row in rows:
            yield [c.strftime("%d/%m/%Y") if isinstance(c, datetime) else c for c in row]

    _insert_members(conn, _sheet_rows(header, cells()))
    _finish(conn)
    book.close()


def _csv_table(data: bytes) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(data.decode("utf-8-sig")))


def merge(template: str, out: str, packages: list[str]) -> None:
    """Every package's units, members and steps, in executemany batches; FTS once."""
    conn = _open_copy(template, out)
    for path in packages:
        with zipfile.ZipFile(path) as archive:
            files = {n: archive.read(n) for n in archive.namelist()}
        manifest = json.loads(files["manifest.json"])
        for name, digest in manifest.get("files", {}).items():
            assert hashlib.sha256(files[name]).hexdigest() == digest, (path, name)
        commune = str(manifest.get("commune_code", ""))
        names = {u.get("code", ""): u.get("name", "") for u in _csv_table(files["units.csv"])}
        members = [
            {**m, "commune_code": commune, "unit_name": names.get(m.get("unit", ""), "")}
            for m in _package_members(_csv_table(files["members.csv"]))
        ]
        _insert_members(conn, members)
        ids = dict(conn.execute("SELECT uid, id FROM members WHERE commune_code = ?", [commune]))
        conn.executemany(
            "INSERT INTO steps (member_id, code, state, done_on, doc_number, note, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    ids[s["member_uid"]],
                    s["code"],
                    s["state"],
                    s.get("done_on") or None,
                    s.get("doc_number", ""),
                    s.get("note", ""),
                    NOW,
                )
                for s in _csv_table(files["steps.csv"])
                if s.get("member_uid") in ids
            ),
        )
    _finish(conn)


def _package_members(rows: Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
    """A package's members.csv as the sheet's records (ISO dates back to dd/mm/yyyy)."""
    for r in rows:
        dob = r.get("dob", "")
        parts = dob.split("-")
        yield {
            "uid": r.get("uid", ""),
            "full_name": r.get("full_name", ""),
            "dob": "/".join(reversed(parts)) if dob else "",
            "gender": "nữ" if r.get("gender") == "nu" else r.get("gender", ""),
            "cccd": r.get("cccd", ""),
            "ethnicity": r.get("ethnicity", ""),
            "religion": r.get("religion", ""),
            "unit": r.get("unit_code", r.get("unit", "")),
            "school_class": r.get("school_class", ""),
            "phone": r.get("phone", ""),
            "notes": r.get("notes", ""),
        }


# -- export package, backup, check ----------------------------------------------------


def _table_csv(conn: sqlite3.Connection, sql: str) -> bytes:
    cur = conn.execute(sql)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c[0] for c in cur.description])
    writer.writerows(cur)
    return buf.getvalue().encode("utf-8")


def export(db: str, out: str) -> None:
    """units, members, steps and the audit log as CSV in a zip, with a SHA-256 manifest."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    files = {
        "units.csv": _table_csv(conn, "SELECT * FROM units WHERE deleted_at IS NULL"),
        "members.csv": _table_csv(
            conn,
            "SELECT m.*, u.code AS unit_code FROM members m JOIN units u ON u.id = m.unit_id "
            "WHERE m.deleted_at IS NULL ORDER BY m.id",
        ),
        "steps.csv": _table_csv(
            conn,
            "SELECT m.uid AS member_uid, s.* FROM steps s JOIN members m ON m.id = s.member_id "
            "WHERE m.deleted_at IS NULL ORDER BY s.id",
        ),
        "audit.csv": _table_csv(conn, "SELECT * FROM audit ORDER BY id"),
    }
    manifest = {"files": {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            archive.writestr(name, data)


def backup(db: str, out: str) -> None:
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dst = sqlite3.connect(out)
    src.backup(dst)
    dst.close()
    src.close()


def check(db: str) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    integrity = conn.execute("PRAGMA integrity_check").fetchall()
    keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    members = conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0]
    ok = integrity == [("ok",)] and not keys
    print(f"{'ok' if ok else 'problems'} {members}")
    if not ok:
        sys.exit(1)


# -- PDFs: bare reportlab -------------------------------------------------------------


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = ROOT / "resources" / "fonts"
    regular = next(fonts.glob("*Serif-Regular.ttf"), fonts / "DejaVuSerif.ttf")
    bold = next(fonts.glob("*Serif-Bold.ttf"), fonts / "DejaVuSerif-Bold.ttf")
    pdfmetrics.registerFont(TTFont("BareSerif", str(regular)))
    pdfmetrics.registerFont(TTFont("BareSerif-Bold", str(bold)))
    return "BareSerif", "BareSerif-Bold"


PRESENCE = {
    "at_home": "Đang ở địa phương",
    "working_away": "Đi làm ăn xa",
    "studying_away": "Đi học xa",
    "military": "Nghĩa vụ quân sự",
}


def print_eligible(db: str, on: str, out: str) -> None:
    """The eligible list drawn row by row: one table per unit, header on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT u.code, u.name, m.full_name, m.dob, m.dob_precision, m.gender, "
        "m.school_class, m.presence, m.elig_from_a FROM members m "
        "JOIN units u ON u.id = m.unit_id "
        f"WHERE {ELIGIBLE_WHERE} ORDER BY u.code, m.name_sort, m.id",
        [on],
    )
    width, height = A4
    c = Canvas(out, pagesize=A4)
    cols = [20 * mm, 32 * mm, 92 * mm, 117 * mm, 132 * mm, 152 * mm]
    heads = ("TT", "Họ và tên", "Ngày sinh", "Giới", "Lớp", "Tình trạng")
    page, y, unit, n, total = 1, 0.0, None, 0, 0

    def new_page(title: str) -> float:
        nonlocal page
        c.setFont(bold, 11)
        c.drawCentredString(width / 2, height - 20 * mm, "DANH SÁCH ĐỦ TUỔI XÉT KẾT NẠP ĐẢNG")
        c.setFont(bold, 10)
        c.drawString(cols[0], height - 28 * mm, title)
        for x, head in zip(cols, heads, strict=True):
            c.drawString(x, height - 35 * mm, head)
        c.line(cols[0], height - 36.5 * mm, width - 20 * mm, height - 36.5 * mm)
        c.setFont(regular, 9.5)
        c.drawCentredString(width / 2, 10 * mm, f"Trang {page}")
        return height - 42 * mm

    for code, name, full_name, dob, _precision, gender, school_class, presence, _ in rows:
        if code != unit or y < 22 * mm:
            if unit is not None:
                c.showPage()
                page += 1
            if code != unit:
                unit, n = code, 0
            y = new_page(f"{name} ({code})")
        n += 1
        total += 1
        shown = "/".join(reversed(dob.split("-"))) if dob else ""
        cells = (str(n), full_name, shown, "Nữ" if gender == "nu" else "Nam", school_class)
        for x, text in zip(cols, cells, strict=False):
            c.drawString(x, y, text)
        c.drawString(cols[5], y, PRESENCE.get(presence, presence))
        c.line(cols[0], y - 2.2 * mm, width - 20 * mm, y - 2.2 * mm)
        y -= 6.2 * mm
    if unit is None:
        new_page("")
    c.setFont(bold, 10)
    c.drawString(cols[0], max(y, 15 * mm), f"Tổng cộng: {total}")
    c.showPage()
    c.save()
    print(total)


def checklists(db: str, uids_file: str, out: str) -> None:
    """Each candidate's sheet read through dvdesk, drawn by hand on one bare canvas."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from datetime import date

    from bench_pdf import draw_bare  # the same strings as dvdesk's page, placed by hand
    from reportlab.pdfgen.canvas import Canvas

    from dvdesk.reports import styles as st
    from dvdesk.reports.checklist_pdf import candidate_sheet
    from dvdesk.reports.fonts import register_fonts
    from dvdesk.store.gateway import Store

    register_fonts()
    uids = Path(uids_file).read_text(encoding="utf-8").split()
    store = Store.open(Path(db), create=False)
    today = date(2026, 11, 26)
    c = Canvas(out, pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT))
    for i, uid in enumerate(uids, 1):
        draw_bare(c, candidate_sheet(store, uid, None, today), i, len(uids))
    c.save()
    store.close()


def age(answer: str) -> None:
    """A bare interpreter's start-up: parse the same arguments, print the same answer."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("answer")
    args = parser.parse_args([answer])
    sys.stdout.write(Path(args.answer).read_text(encoding="utf-8"))


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "merge":
        merge(args[0], args[1], args[2:])
        return
    handlers = {
        "list-eligible": list_eligible,
        "stats": stats,
        "import-csv": import_csv,
        "import-xlsx": import_xlsx,
        "export": export,
        "backup": backup,
        "check": check,
        "print-eligible": print_eligible,
        "checklists": checklists,
        "age": age,
    }
    handlers[command](*args)


if __name__ == "__main__":
    main(sys.argv[1:])
