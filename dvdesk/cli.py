"""The headless entry point: `dvdesk …` (DESIGN.md, CLI contract).

Exit 0 on success; 1 on bad input or a refused operation (one Vietnamese
line on stderr, nothing written); 2 on usage errors. Without a sub-command
the window opens.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from dvdesk import __version__
from dvdesk.domain.dates import DateError, parse_date, parse_option_date
from dvdesk.domain.eligibility import Method, born_after, evaluate
from dvdesk.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.exchange.package import PackageFile
    from dvdesk.store.gateway import Store
    from dvdesk.store.member_query import MemberQuery

log = logging.getLogger("dvdesk")


class Parser(argparse.ArgumentParser):
    """argparse with its errors in Vietnamese and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"dvdesk: lỗi cú pháp lệnh: {message}\n")


def default_db() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("dvdesk", appauthor=False)) / "dvdesk.db"


def _date(text: str | None, option: str) -> date | None:
    """A full date from the command line; bad input is exit 1 (not argparse's usage exit 2)."""
    try:
        return parse_option_date(text, option)
    except DateError as exc:
        raise KnownError(str(exc)) from exc


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db or default_db())


def _open(args: argparse.Namespace, *, create: bool = False, read_only: bool = False) -> Store:
    from dvdesk.store.errors import NotDvdeskFile
    from dvdesk.store.gateway import Store

    path = _db(args)
    if not create and path.is_file() and path.stat().st_size == 0:
        # SQLite would take an empty file for a new database and format it.
        raise NotDvdeskFile(f"“{path}” là tệp trống, không phải là tệp dữ liệu dvdesk.")
    return Store.open(path, create=create, read_only=read_only)


@contextlib.contextmanager
def _writing(args: argparse.Namespace, *, create: bool = False) -> Iterator[Store]:
    """The store opened for a command that writes, holding the data file's lock.

    The same lock as the window's (store/lock.py): while a window has the file
    open, a writing command is refused with who holds it; reading commands
    do not take it and keep working.
    """
    from dvdesk.store.lock import DataFileLock

    with DataFileLock.acquire(_db(args)), _open(args, create=create) as store:
        yield store


def _clean_leftovers(args: argparse.Namespace) -> None:
    """Delete temporary files a killed dvdesk left beside the data file (exact names)."""
    from dvdesk.files import clean_leftovers
    from dvdesk.store import backup

    db = _db(args)
    clean_leftovers(db.parent)
    backup.clean_interrupted(db)


def _open_to_read(args: argparse.Namespace) -> Store:
    """Open for a command that only reads: never migrates, never changes a byte.

    An older format is not read with queries written for the current one: the
    command refuses and says how to bring the file up to date (DESIGN.md: only
    opening to write migrates).
    """
    store = _open(args, read_only=True)
    try:
        if store.pending_migrations():
            major, minor = store.format_version()
            path = store.path
            raise KnownError(
                f"Tệp “{path}” ở định dạng cũ ({major}.{minor}); lệnh chỉ đọc không nâng cấp "
                "tệp. Hãy mở tệp trong cửa sổ dvdesk, hoặc chạy "
                f"“dvdesk upgrade --db {path}”, rồi chạy lại lệnh."
            )
    except BaseException:
        store.close()
        raise
    return store


def _dossier_opener(
    args: argparse.Namespace, *, writes: bool = True
) -> contextlib.AbstractContextManager[Store]:
    """`step` and `dossier` with options write (under the lock); a bare `dossier` reads."""
    return _writing(args) if writes else _open_to_read(args)


# -- commands --------------------------------------------------------------


def cmd_age(args: argparse.Namespace) -> int:
    try:
        dob = parse_date(args.dob)
    except DateError as exc:
        raise KnownError(f"Ngày sinh: {exc}") from exc
    on = _date(args.on, "--on")
    assert on is not None  # argparse requires --on
    if dob is not None and born_after(dob, on):
        raise KnownError(
            f"Ngày sinh {dob.vi()} sau ngày xét {on:%d/%m/%Y}: kiểm tra lại ngày sinh "
            "hoặc ngày chi bộ họp xét."
        )
    result = evaluate(dob, on, Method(args.method))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(f"{result.label}. {result.reason}")
        for warning in result.warnings:
            print(f"Lưu ý: {warning}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from dvdesk import demo

    if args.members < 0:
        raise KnownError("Số đoàn viên phải là số không âm.")
    path = Path(args.db)
    new = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if not new:
        # Look without touching: a refused file must stay byte-identical.
        with _open(args, read_only=True) as probe:
            if problems := probe.integrity_problems():
                raise KnownError(
                    f"Tệp “{path}” bị hỏng ({problems[0].rstrip('.')}); "
                    "hãy chọn tệp mới cho dữ liệu mẫu."
                )
            if probe.members.count() or probe.members.count(_deleted_query()):
                raise KnownError(f"Tệp “{path}” đã có dữ liệu; hãy chọn tệp mới cho dữ liệu mẫu.")
    commune = _commune_options(args)
    seed = args.seed
    if commune:
        # Distinct communes get distinct people (and member uids): the same seed with
        # another code is another commune, as reproducible as before.
        import hashlib

        seed = int.from_bytes(hashlib.sha256(f"{args.seed}:{commune[0]}".encode()).digest()[:6])
    try:
        with _writing(args, create=True) as store:
            if commune:
                _set_commune(store, *commune)
            count = demo.build(store, args.members, seed=seed, progress=_progress(args))
            settings = store.settings.get()
    except BaseException:
        if new:
            # A refused demo (full disk, Ctrl+C) leaves no half-made file with its -wal/-shm.
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{path}{suffix}").unlink()
        raise
    print(
        f"Đã tạo {count} đoàn viên mẫu của {settings.commune_name} (mã {settings.commune_code}) "
        f"trong “{path}”."
    )
    return 0


def _commune_options(args: argparse.Namespace) -> tuple[str, str] | None:
    """--commune-code and --commune-name, trimmed and checked (both or neither on demo)."""
    import unicodedata

    from dvdesk.exchange.manifest import commune_code_problem

    code, name = getattr(args, "commune_code", None), getattr(args, "commune_name", None)
    if code is None and name is None:
        return None
    if code is None or name is None:
        raise KnownError("Hãy cho cả --commune-code và --commune-name.")
    code = code.strip()
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if problem := commune_code_problem(code):
        raise KnownError(f"--commune-code: {problem}.")
    if not name:
        raise KnownError("--commune-name: tên xã/phường trống.")
    return code, name


def _set_commune(store: Store, code: str, name: str) -> None:
    settings = store.settings.get()
    settings.commune_code, settings.commune_name = code, name
    settings.party_committee = settings.party_committee or f"ĐẢNG ỦY {name.upper()}"
    settings.youth_union = settings.youth_union or f"ĐOÀN {name.upper()}"
    store.settings.save(settings)


def cmd_init(args: argparse.Namespace) -> int:
    """An empty data file for one commune (or the receiving level's consolidated file)."""
    from dvdesk.exchange.signing import fingerprint

    commune = _commune_options(args)
    assert commune is not None  # argparse requires both
    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        raise KnownError(
            f"Tệp “{path}” đã có; dvdesk init chỉ tạo tệp dữ liệu mới (đổi tên, mã xã trong "
            "Cài đặt của cửa sổ chương trình)."
        )
    if not path.parent.is_dir():
        raise KnownError(f"Không có thư mục “{path.parent}”.")
    with _writing(args, create=True) as store:
        _set_commune(store, *commune)
        public = store.packages.signing_key()[1]
    print(
        f"Đã tạo tệp dữ liệu “{path}” của {commune[1]} (mã {commune[0]}). "
        f"Mã nhận dạng khóa ký gói dữ liệu: {fingerprint(public)}."
    )
    return 0


def _deleted_query() -> MemberQuery:
    from dvdesk.store.member_query import MemberQuery

    return MemberQuery(deleted=True)


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total} …" if total else f"\r{done} …")
        if done >= total:
            sys.stderr.write("\n")

    return report


def _utf8_stdout() -> bool:
    """True when stdout is a UTF-8 text stream over a byte buffer (bytes may bypass it)."""
    import codecs

    encoding = getattr(sys.stdout, "encoding", None)
    if not encoding or not hasattr(sys.stdout, "buffer"):
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def cmd_list(args: argparse.Namespace) -> int:
    from dvdesk.services import member_list

    if args.upcoming_months is not None and args.upcoming_months < 0:
        raise KnownError("Số tháng phải là số không âm.")
    # Bad dates before the file is even opened.
    eligible_on = _date(args.eligible_on, "--eligible-on")
    on = _date(args.on, "--on")
    request = member_list.ListRequest(
        view=args.view or "",
        search=args.search or "",
        unit_code=args.unit or "",
        commune_code=args.commune,
        eligible_on=eligible_on,
        upcoming_months=args.upcoming_months,
        on=on,
        method=Method(args.method) if args.method else None,
    )
    with _open_to_read(args) as store:
        if args.json and _utf8_stdout():
            # SQLite's UTF-8 bytes go straight out, never decoded and encoded again.
            sys.stdout.flush()
            member_list.write_json_chunks(
                member_list.json_chunks(store, request), sys.stdout.buffer
            )
        elif args.json:
            member_list.write_json_objects(member_list.json_objects(store, request), sys.stdout)
        elif args.csv:
            communes = member_list.commune_names(store)
            member_list.write_csv(member_list.rows(store, request), sys.stdout, communes)
        else:
            communes = member_list.commune_names(store)
            count = member_list.write_text(member_list.rows(store, request), sys.stdout, communes)
            print(f"Tổng cộng: {count} đoàn viên.", file=sys.stderr)
    return 0


def _percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%".replace(".", ",")


def cmd_stats(args: argparse.Namespace) -> int:
    """`dvdesk stats`: the directive's period figures, or enter a year's đảng bộ totals."""
    from dvdesk.services import statistics

    if args.set_year is not None:
        with _writing(args) as store:
            entered = statistics.enter_year_totals(
                store, args.set_year, args.members_at_start, args.outside_admitted, args.source
            )
        assert entered is not None
        print(
            f"Đã ghi số liệu năm {entered.year}: đảng viên đầu năm "
            f"{'chưa nhập' if entered.members_at_start is None else entered.members_at_start}, "
            "kết nạp ngoài danh sách "
            f"{'chưa nhập' if entered.outside_admitted is None else entered.outside_admitted}"
            f"{f' (nguồn: {entered.source})' if entered.source else ''}."
        )
        return 0
    first = args.from_year if args.from_year is not None else args.to_year
    last = args.to_year if args.to_year is not None else first
    if first is None:
        first = last = date.today().year
    assert last is not None
    kind = statistics.KIND_CODES[args.unit_kind] if args.unit_kind else None
    with _open_to_read(args) as store:
        stats = statistics.figures(store, first, last)
        if args.commune is not None:
            # The receiving level: one commune's figures (its own totals stay at the commune).
            code = args.commune.strip()
            if code not in store.received.commune_codes():
                raise KnownError(f"Không có dữ liệu của xã/phường mã “{code}” trong tệp này.")
            stats = store.received.statistics(code, first, last)
    data = statistics.as_json(stats, kind)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    from dvdesk.domain.member import UNIT_KIND_LABELS, UnitKind
    from dvdesk.domain.statistics import DEFINITIONS

    span = f"{first}–{last}" if first != last else str(first)
    print(f"Giai đoạn {span}" + (f", {UNIT_KIND_LABELS[kind]}" if kind else "") + ":")
    # The same figures as the JSON's blocks (services.statistics._block), typed.
    rows = [("Cả giai đoạn", stats.span(kind))] + [
        (str(y), stats.row(y, kind)) for y in stats.years
    ]
    print(f"{'':<14}{'Giới thiệu':>11}{'Học lớp':>9}{'Kết nạp':>9}{'KN/GT':>8}{'KN/HL':>8}")
    for label, block in rows:
        print(
            f"{label:<14}{block.introduced:>11}{block.course:>9}{block.admitted:>9}"
            f"{_percent(block.admitted_per_introduced):>8}"
            f"{_percent(block.admitted_per_course):>8}"
        )
    st = stats.span(UnitKind.SCHOOL)
    print(
        f"Học sinh THPT: giới thiệu {st.introduced}, học lớp {st.course}, kết nạp "
        f"{st.admitted} ({_percent(st.admitted_per_introduced)} số được giới thiệu)."
    )
    for t in stats.targets:
        if t.percent is None:
            missing = [
                name
                for name, value in (
                    ("số đảng viên đầu năm", t.party_members),
                    ("số kết nạp ngoài danh sách", t.outside_admitted),
                )
                if value is None
            ]
            print(
                f"Năm {t.year}: kết nạp {t.admitted}; tỷ lệ đảng viên mới: chưa có "
                f"({', '.join(missing)} chưa nhập)."
            )
        else:
            verdict = "đạt" if t.reached else "chưa đạt"
            print(
                f"Năm {t.year}: {t.new_members} đảng viên mới / {t.party_members} đầu năm = "
                f"{_percent(t.percent / 100, 2)} ({verdict} chỉ tiêu {t.target_percent:g}%)."
            )
    print()
    for key in (
        "introduced",
        "course",
        "admitted",
        "admitted_per_introduced",
        "admitted_per_course",
        "target",
    ):
        print(f"- {DEFINITIONS[key]}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """`dvdesk plan`: the source plan of a school course or of a year."""
    from dvdesk.services import plans

    if bool(args.school) != bool(args.course) or bool(args.school) == (args.year is not None):
        raise KnownError("Chọn --school MÃ --course 2024-2027, hoặc --year NĂM.")
    with _open_to_read(args) as store:
        if args.school:
            plan = plans.school_plan(store, args.school, args.course)
        else:
            plan = plans.year_plan(store, args.year)
        if args.out:
            from dvdesk.reports.source_plan import write_source_plan

            out = Path(args.out)
            pages = write_source_plan(
                store.settings.get(), plan.title, plan.subtitle, plan.groups(), out
            )
            return _printed(out, pages)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False, indent=1))
        return 0
    print(plan.title)
    print(plan.subtitle)
    for name, entries in plan.groups():
        print(f"\n{name} — {len(entries)} người")
        for i, e in enumerate(entries, 1):
            when = f"{e.earliest:%d/%m/%Y}" if e.earliest else "—"
            print(
                f"{i:>4}. {e.full_name} ({e.school_class or e.unit}): có thể xét từ {when}; "
                + "; ".join(e.reasons)
            )
            for step in e.steps:
                if not step.done_on:
                    print(f"       - {step.text()}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    # A check only reads: it neither migrates nor switches the journal mode.
    with _open(args, read_only=True) as store:
        problems = store.integrity_problems()
        major, minor = store.format_version()
        count = 0 if problems else store.members.count()
    if problems:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise KnownError(
            f"Tệp dữ liệu có lỗi: {problems[0].rstrip('.')}{more}. "
            "Hãy khôi phục từ bản sao lưu (dvdesk restore)."
        )
    print(f"Tệp dữ liệu tốt (định dạng {major}.{minor}, {count} đoàn viên).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from dvdesk.files import check_output
    from dvdesk.store import backup

    target = Path(args.out) if args.out else None
    if target is not None:
        # Before the data file is even opened: never over a data file or a backup.
        check_output(target, overwrite=args.overwrite, protect=[_db(args)])
    with _open(args) as store:
        path = backup.make_backup(store, target=target, overwrite=args.overwrite)
    print(f"Đã sao lưu vào “{path}”.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from dvdesk.store import restoring
    from dvdesk.store.lock import DataFileLock

    db = Path(args.db or default_db())
    # A window still holding the old file would go on writing to a deleted inode.
    with DataFileLock.acquire(db):
        safety = restoring.restore(db, Path(args.backup))
    print(f"Đã khôi phục từ “{args.backup}”. Bản trước khi khôi phục: “{safety}”.")
    return 0


def _passphrase(args: argparse.Namespace) -> str | None:
    """From --passphrase-file or DVDESK_PASSPHRASE; never from the command line itself.

    A file saved by Notepad starts with a BOM and ends with a line break or spaces:
    those are not part of the passphrase. The passphrase is used in NFC form.
    """
    from dvdesk.exchange.crypto import normalized

    if getattr(args, "passphrase_file", None):
        path = Path(args.passphrase_file)
        try:
            if path.is_file() and path.stat().st_size > 4096:
                raise KnownError(f"Tệp mật khẩu “{path}” quá lớn: chỉ ghi mật khẩu trong tệp.")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnownError(f"Không đọc được tệp mật khẩu “{path}”.") from exc
        text = normalized(text.lstrip("\ufeff").rstrip())
        if not text:
            raise KnownError(f"Tệp mật khẩu “{path}” trống.")
        return text
    secret = os.environ.get("DVDESK_PASSPHRASE")
    return normalized(secret) if secret else None


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if args.template:
        return _export_template(args, out)
    if suffix not in (".zip", ".xlsx", ".csv", ".pdf"):
        raise KnownError(
            "Tệp xuất phải có đuôi .zip (gói gửi cấp trên), .xlsx, .csv hoặc .pdf (bảng tổng "
            "hợp theo xã)."
        )
    if suffix == ".zip" and args.commune is not None:
        raise KnownError("--commune chỉ dùng cho danh sách .xlsx, .csv, .pdf, không dùng cho gói.")
    from dvdesk.files import check_output

    # Checked before the data file is opened: never the data file, its side files or a backup.
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    # A package moves the export sequence on: that is a write, under the lock.
    with _writing(args) if suffix == ".zip" else _open_to_read(args) as store:
        if suffix == ".zip":
            from dvdesk.exchange.package import write_package

            secret = _passphrase(args)
            m = write_package(store, out, secret, overwrite=args.overwrite)
            c = m.counts
            print(
                f"Đã xuất gói dữ liệu số {m.sequence} của {m.commune_name} (mã "
                f"{m.commune_code}) vào “{out}”: {c['members.csv']} đoàn viên, "
                f"{c['units.csv']} đơn vị, {c['steps.csv']} bước quy trình, "
                f"{c['audit.csv']} dòng nhật ký mới"
                f"{'; đã mã hóa bằng mật khẩu' if secret else ''}. Gói đã ký; mã nhận dạng "
                f"khóa ký (đọc cho cấp nhận khi gọi điện): {_fingerprint(store)}."
            )
        elif suffix == ".pdf" or _consolidated(store, args):
            _export_consolidated(store, out, args)
        elif suffix == ".xlsx":
            from dvdesk.exchange.xlsx_export import export_xlsx

            counts = export_xlsx(store, out, overwrite=args.overwrite)
            sheets = ", ".join(f"“{k}” {v} dòng" for k, v in counts.items())
            print(f"Đã xuất tệp Excel “{out}”: {sheets}.")
        else:
            from dvdesk.exchange.csv_export import export_csv

            count = export_csv(store, out, overwrite=args.overwrite)
            print(f"Đã xuất {count} đoàn viên vào “{out}”.")
    return 0


def _export_template(args: argparse.Namespace, out: Path) -> int:
    from dvdesk.exchange.templates import TEMPLATES, export_template
    from dvdesk.files import check_output

    if out.suffix.lower() != ".xlsx":
        raise KnownError("Xuất theo mẫu (--template) cần tệp .xlsx.")
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    with _open_to_read(args) as store:
        count = export_template(store, args.template, out, unit=args.unit, overwrite=args.overwrite)
    print(f"Đã xuất “{TEMPLATES[args.template].label}” vào “{out}”: {count} dòng.")
    return 0


def _consolidated(store: Store, args: argparse.Namespace) -> bool:
    from dvdesk.exchange.consolidated import is_consolidated

    return args.commune is not None or is_consolidated(store)


def _export_consolidated(store: Store, out: Path, args: argparse.Namespace) -> None:
    """Lists at the receiving level: every row with its commune; the summary per commune."""
    from dvdesk.exchange import consolidated

    on = _date(args.on, "--on") or date.today()
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from dvdesk.reports.commune_summary import write_commune_summary

        pages = write_commune_summary(store, out, on, args.commune, overwrite=args.overwrite)
        print(f"Đã in bảng tổng hợp theo xã vào “{out}” ({pages} trang).")
    elif suffix == ".xlsx":
        counts = consolidated.export_consolidated_xlsx(
            store, out, args.commune, on, overwrite=args.overwrite
        )
        sheets = ", ".join(f"“{k}” {v} dòng" for k, v in counts.items())
        print(f"Đã xuất tệp Excel tổng hợp “{out}”: {sheets}.")
    else:
        count = consolidated.export_consolidated_csv(
            store, out, args.commune, overwrite=args.overwrite
        )
        print(f"Đã xuất {count} đoàn viên (kèm mã và tên xã) vào “{out}”.")


def _fingerprint(store: Store) -> str:
    from dvdesk.exchange.signing import fingerprint

    return fingerprint(store.packages.signing_key()[1])


def cmd_merge(args: argparse.Namespace) -> int:
    from dvdesk.exchange.package import PackageFile

    if not args.db:
        # Never merge into the default file by accident: that is the commune's own data.
        raise KnownError("Hãy chỉ rõ tệp dữ liệu tổng hợp bằng --db, ví dụ --db tong-hop.db.")
    secret = _passphrase(args)
    # Every package file is read (and decrypted) before the data file is even opened;
    # each is unpacked and checked in full when the merge reaches it.
    files = [PackageFile.open(Path(p), secret) for p in args.packages]
    target = Path(args.db)
    new = not target.exists()
    try:
        return _merge_into(args, files)
    except BaseException:
        if new:
            # A refused first merge leaves no empty consolidated file behind.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise


def _merge_into(args: argparse.Namespace, files: list[PackageFile]) -> int:
    import gc

    from dvdesk.exchange.merge import merge_files

    opened = _open(args, create=True) if args.dry_run else _writing(args, create=True)
    with opened as store:
        # Hundreds of thousands of short-lived rows, no cycles: the collector would
        # rescan every live object again and again for nothing.
        gc.disable()
        try:
            plan, saved = merge_files(
                store,
                files,
                commit=not args.dry_run,
                accept_keys=args.accept_key or (),
                progress=_package_progress(args),
            )
        finally:
            gc.enable()
        for line in plan.lines():
            print(line)
        if plan.conflicts:
            raise KnownError(
                f"Không gộp gì: có {plan.conflicts} xung đột cần xử lý trước "
                "(xem danh sách ở trên)."
            )
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
            return 0
        if not plan.applied:
            print("Không có gói mới để gộp: dữ liệu không thay đổi.")
            return 0
    print(
        f"Đã gộp {len(plan.applied)} gói trong một lần ghi."
        + (f" Bản sao lưu trước khi gộp: “{saved}”." if saved else "")
    )
    return 0


def _sheet_units(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        sheet, sep, unit = pair.partition("=")
        if not sep or not sheet.strip() or not unit.strip():
            raise KnownError(f"--sheet-unit cần dạng TRANG=ĐƠN VỊ, không phải “{pair}”.")
        out[sheet.strip()] = unit.strip()
    return out


def _package_progress(args: argparse.Namespace) -> Callable[[int, int], None]:
    """One line per package checked and written, on stdout (stderr keeps the one error line)."""

    def report(done: int, total: int) -> None:
        print(f"Đã xử lý gói {done}/{total}.", flush=True)

    return report


def cmd_import(args: argparse.Namespace) -> int:
    from dvdesk.exchange.sheet_import import apply_import, plan_import

    with _open(args) if args.dry_run else _writing(args) as store:
        plan = plan_import(
            store,
            Path(args.sheet),
            default_unit=args.unit,
            sheet_units=_sheet_units(args.sheet_unit),
            progress=_progress(args),
            sheets=args.sheet_name,
            erase_empty=args.erase_empty,
            confirm_probable=args.same_person,
        )
        for line in plan.lines():
            print(line)
        summary = plan.summary()
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
        if summary["invalid"] and not args.skip_invalid:
            # The exit code says whether the real import would go ahead.
            raise KnownError(
                f"{'Khi nhập thật sẽ từ chối' if args.dry_run else 'Không nhập'}: "
                f"{summary['invalid']} dòng có lỗi. Hãy sửa tệp, hoặc thêm --skip-invalid "
                "để chỉ nhập các dòng hợp lệ."
            )
        if summary["conflict"]:
            print(
                f"{summary['conflict']} dòng có thể là người đã có (cùng họ tên, ngày sinh, đơn vị)"
                " nên chưa nhập: kiểm tra rồi thêm --same-person để cập nhật họ."
            )
        if args.dry_run:
            return 0
        count, saved = apply_import(store, plan, progress=_progress(args))
    if not count:
        print("Không có đoàn viên mới hay thay đổi nào để nhập: dữ liệu không thay đổi.")
        return 0
    units = plan.units_to_add
    added, updated = summary["new"], summary["update"]
    print(
        f"Đã nhập {added} đoàn viên"
        + (f", cập nhật {updated} người" if updated else "")
        + (f", tạo {len(units)} đơn vị mới" if units else "")
        + (f". Bản sao lưu trước khi nhập: “{saved}”." if saved else ".")
    )
    return 0


def cmd_transfer_file(args: argparse.Namespace) -> int:
    """The one-person transfer file written with (or after) the transfer letter."""
    from dvdesk.exchange.transfer_file import write_transfer_file
    from dvdesk.files import check_output

    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        raise KnownError("Tệp chuyển nguồn phải có đuôi .zip.")
    check_output(out, overwrite=args.overwrite, protect=[_db(args)])
    secret = _passphrase(args)
    with _writing(args) as store:
        info = write_transfer_file(
            store, args.uid, args.to, out, args.letter_number, secret, overwrite=args.overwrite
        )
        fp = _fingerprint(store)
    print(
        f"Đã ghi tệp chuyển nguồn của {info['member_name']} đến {info['to_organisation']} "
        f"vào “{out}” (giấy chuyển số {info['letter_number'] or 'không ghi'}, ngày "
        f"{info['on_date']}){'; đã mã hóa' if secret else ''}. Mã nhận dạng khóa ký: {fp}. "
        "Người này ở danh sách “Đã chuyển đi — chờ nơi nhận xác nhận” đến khi nơi nhận "
        "gửi lại tệp xác nhận."
    )
    return 0


def cmd_receive_transfer(args: argparse.Namespace) -> int:
    """Load a transfer file (the person arrives) or a receipt (the transfer is confirmed)."""
    from dvdesk.exchange.transfer_file import (
        RECEIPT_FORMAT,
        load,
        preview,
        read_transfer_file,
        write_receipt,
    )

    secret = _passphrase(args)
    tf = read_transfer_file(Path(args.file), secret)
    receipt = Path(args.receipt) if args.receipt else None
    if receipt is not None:
        from dvdesk.files import check_output

        if receipt.suffix.lower() != ".zip":
            raise KnownError(f"Tệp xác nhận “{receipt}” phải có đuôi .zip.")
        check_output(receipt, overwrite=args.overwrite, protect=[_db(args)])
    with _open(args) if args.dry_run else _writing(args) as store:
        if args.dry_run:
            for line in preview(store, tf):
                print(line)
            print("Chạy thử (--dry-run): chưa ghi gì vào tệp dữ liệu.")
            return 0
        for line in load(store, tf, args.unit or ""):
            print(line)
        if tf.kind == RECEIPT_FORMAT:
            print("Đã ghi nhận: nơi nhận đã xác nhận việc chuyển.")
            return 0
        print(f"Đã nhận {tf.info['member_name']}, được chuyển đến từ {tf.sender}.")
        if receipt is not None:
            write_receipt(
                store, str(tf.info["transfer_id"]), receipt, secret, overwrite=args.overwrite
            )
            print(f"Đã ghi tệp xác nhận “{receipt}”: hãy gửi lại cho {tf.sender}.")
    return 0


def cmd_transfers(args: argparse.Namespace) -> int:
    """The follow-up lists: sent and waiting for confirmation; received."""
    with _open(args, read_only=True) as store:
        pending, arrived = store.transfers.pending(), store.transfers.arrivals()
    if args.json:
        print(json.dumps({"pending": pending, "arrived": arrived}, ensure_ascii=False, indent=1))
        return 0
    # People, not files: the window's view of that name counts each person once.
    print(f"Đã chuyển đi — chờ nơi nhận xác nhận: {len({r['uid'] for r in pending})} người.")
    for r in pending:
        print(
            f"  {r['full_name']} — {r['to_organisation']} (ngày {r['on_date']}, số "
            f"{r['letter_number'] or 'không ghi'})"
        )
    print(f"Được chuyển đến: {len(arrived)} người.")
    for r in arrived:
        print(f"  {r['full_name']} — từ {r['from_name']} (ngày {r['on_date']})")
    return 0


def _commune(args: argparse.Namespace) -> str | None:
    code = getattr(args, "commune", None)
    return None if code is None else code.strip()


def _printed(out: Path, pages: int) -> int:
    print(f"Đã tạo “{out}” ({pages} trang).")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    """`dvdesk print DOCUMENT …`: one PDF out (services.printing does the work)."""
    from dvdesk.services import printing

    out = Path(args.out)
    today = date.today()
    # The transfer letter also records the handover in the member's file: a write.
    # Printing only reads, except a transfer letter: it records the handover.
    with (_writing if args.document == "transfer" else _open_to_read)(args) as store:
        if args.document == "checklist":
            eligible_on = _date(args.eligible_on, "--eligible-on")
            uids = printing.select_candidates(
                store, args.uid or [], args.unit or "", args.stage or [], eligible_on
            )
            meeting = _date(args.meeting, "--meeting") or eligible_on
            return _printed(
                out,
                printing.print_checklists(
                    store,
                    uids,
                    out,
                    meeting,
                    today,
                    overwrite=args.overwrite,
                    progress=printing.stderr_progress(),
                ),
            )
        if args.document == "eligible":
            on = _date(args.on, "--on") or store.settings.get().consideration_on(today)
            return _printed(
                out,
                printing.print_eligible(
                    store,
                    on,
                    out,
                    args.unit or "",
                    today,
                    overwrite=args.overwrite,
                    commune_code=_commune(args),
                    progress=printing.stderr_progress(),
                ),
            )
        if args.document == "upcoming":
            from_day = _date(args.on, "--on")  # None: the upcoming list starts today
            pages = printing.print_upcoming(
                store,
                args.months,
                out,
                from_day,
                args.unit or "",
                today,
                overwrite=args.overwrite,
                commune_code=_commune(args),
                progress=printing.stderr_progress(),
            )
            return _printed(out, pages)
        if args.document == "view":
            on = _date(args.on, "--on") or store.settings.get().consideration_on(today)
            pages = printing.print_view(
                store,
                args.view,
                on,
                out,
                args.unit or "",
                today,
                overwrite=args.overwrite,
                commune_code=_commune(args),
                progress=printing.stderr_progress(),
            )
            return _printed(out, pages)
        if args.document == "stats":
            return _printed(
                out,
                printing.print_statistics(store, out, args.year, today, overwrite=args.overwrite),
            )
        package = Path(args.transfer_file) if args.transfer_file else None
        if package is not None and package.suffix.lower() != ".zip":
            raise KnownError("Tệp chuyển nguồn (--transfer-file) phải có đuôi .zip.")
        issued = printing.issue_transfer_letter(
            store,
            args.uid,
            args.to,
            out,
            today,
            overwrite=args.overwrite,
            transfer_file=package,
            letter_number=args.letter_number,
            passphrase=_passphrase(args) if package is not None else None,
        )
        if not issued.recorded:
            print(
                f"Bản in lại giấy chuyển ngày {issued.on:%d/%m/%Y}: việc chuyển nguồn đã "
                "ghi trước đây, không ghi thêm."
            )
        if issued.transfer_file is not None:
            print(
                f"Đã ghi tệp chuyển nguồn “{package}” (có ký) cho "
                f"{issued.transfer_file['to_organisation']}: gửi kèm giấy chuyển; người này ở "
                "danh sách “Đã chuyển đi — chờ nơi nhận xác nhận”."
            )
        return _printed(out, issued.pages)


def add_print_parser(sub: argparse._SubParsersAction, parser_class: type[Parser]) -> None:
    """`dvdesk print` and its documents, each with `--out FILE.pdf`."""
    from dvdesk.domain.listing import VIEW_KEYS
    from dvdesk.domain.procedure import STAGE_LABELS, Stage

    p = sub.add_parser("print", help="in phiếu, danh sách, báo cáo ra tệp PDF")
    p.add_argument("--db", default=argparse.SUPPRESS)
    docs = p.add_subparsers(
        dest="document",
        required=True,
        parser_class=parser_class,
        metavar="checklist|eligible|upcoming|view|stats|transfer",
    )
    commune_help = "dữ liệu tổng hợp: chỉ đoàn viên của xã/phường mã này"
    common = parser_class(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    common.add_argument("--out", required=True, help="tệp PDF kết quả")
    common.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp kết quả đã có")

    c = docs.add_parser(
        "checklist", parents=[common], help="phiếu theo dõi hồ sơ kết nạp, mỗi người một trang"
    )
    c.add_argument("--uid", action="append", help="mã đoàn viên (có thể lặp lại)")
    c.add_argument("--unit", help="mọi người đang trong quy trình của đơn vị")
    c.add_argument(
        "--stage",
        action="append",
        choices=[s.value for s in Stage],
        help="giai đoạn: " + ", ".join(f"{s.value} ({STAGE_LABELS[s]})" for s in Stage),
    )
    c.add_argument("--eligible-on", help="người đủ tuổi tại ngày chi bộ họp xét")
    c.add_argument(
        "--meeting", help="ngày chi bộ dự kiến họp xét (mặc định: --eligible-on hoặc cài đặt)"
    )

    e = docs.add_parser("eligible", parents=[common], help="danh sách đủ tuổi tại một ngày")
    e.add_argument("--on", help="ngày chi bộ họp xét (mặc định: cài đặt)")
    e.add_argument("--unit", help="chỉ một đơn vị")
    e.add_argument("--commune", help=commune_help)

    u = docs.add_parser("upcoming", parents=[common], help="danh sách sắp đủ 18 tuổi")
    u.add_argument("--months", type=int, required=True, help="số tháng tới")
    u.add_argument("--on", help="tính từ ngày (mặc định: hôm nay)")
    u.add_argument("--unit", help="chỉ một đơn vị")
    u.add_argument("--commune", help=commune_help)

    v = docs.add_parser("view", parents=[common], help="danh sách của một mục xem có sẵn")
    v.add_argument("view", choices=VIEW_KEYS, help="mục xem: " + ", ".join(VIEW_KEYS))
    v.add_argument("--on", help="ngày xét (mặc định: cài đặt hoặc hôm nay)")
    v.add_argument("--unit", help="chỉ một đơn vị")
    v.add_argument("--commune", help=commune_help)

    s = docs.add_parser("stats", parents=[common], help="báo cáo thống kê có biểu đồ")
    s.add_argument("--year", type=int, help="một năm (mặc định: các năm gần đây)")

    t = docs.add_parser(
        "transfer", parents=[common], help="giấy giới thiệu chuyển nguồn khi học sinh tốt nghiệp"
    )
    t.add_argument("--uid", required=True, help="mã đoàn viên")
    t.add_argument("--to", required=True, help="tổ chức tiếp nhận (Kính gửi)")
    t.add_argument(
        "--transfer-file", help="ghi thêm tệp chuyển nguồn .zip (có ký) cho dvdesk nơi nhận"
    )
    t.add_argument("--letter-number", default="", help="số giấy chuyển, ví dụ 12-GGT/ĐU")
    t.add_argument("--passphrase-file", help="mã hóa tệp chuyển nguồn bằng mật khẩu trong tệp này")


def cmd_upgrade(args: argparse.Namespace) -> int:
    from dvdesk.store import backup, schema

    with _open(args, read_only=True) as probe:
        before = probe.format_version()
        pending = probe.pending_migrations()
    if not pending:
        print(f"Tệp dữ liệu đã ở định dạng mới nhất ({before[0]}.{before[1]}): không cần nâng cấp.")
        return 0
    with _writing(args) as store:  # backs the file up, then migrates it
        after = store.format_version()
        path = store.path
    assert path is not None
    saved = [p for p in backup.backups(path) if p.name.endswith("-truoc-nang-cap.db")]
    kept = f" Bản sao lưu trước khi nâng cấp: “{saved[0]}”." if saved else ""
    print(
        f"Đã nâng cấp “{path}” từ định dạng {before[0]}.{before[1]} lên {after[0]}.{after[1]} "
        f"(bản dvdesk này: {schema.FORMAT_MAJOR}.{schema.FORMAT_MINOR}).{kept}"
    )
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from dvdesk.ui.app import run

    return run(Path(args.db) if args.db else default_db())


# -- parser ----------------------------------------------------------------


def build_parser() -> Parser:
    p = Parser(prog="dvdesk", description="Sổ theo dõi đoàn viên và phát triển đảng viên.")
    p.add_argument("--db", help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--version", action="version", version=f"dvdesk {__version__}")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="tự kiểm tra bản cài đặt (tài nguyên, tệp dữ liệu, in PDF) rồi thoát",
    )
    p.add_argument(
        "--gui",
        action="store_true",
        help="cùng --self-test: kiểm tra cả cửa sổ (mở ẩn), phông chữ, in một trang, gói dữ liệu",
    )
    p.set_defaults(func=cmd_gui)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    a = sub.add_parser("age", help="xét tuổi vào Đảng của một ngày sinh tại một ngày")
    a.add_argument("dob", help="ngày sinh: dd/mm/yyyy, YYYY-MM-DD, mm/yyyy hoặc yyyy")
    a.add_argument("--on", required=True, help="ngày chi bộ họp xét")
    a.add_argument(
        "--method",
        choices=("A", "B"),
        default="A",
        help="A: tháng tròn tính cả ngày (mặc định); B: bỏ qua ngày",
    )
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_age)

    code_help = "mã xã/phường (mã đơn vị hành chính, 5 chữ số), ví dụ 12345"
    name_help = 'tên xã/phường, ví dụ "Xã Yên Phú"'
    d = sub.add_parser("demo", help="tạo dữ liệu mẫu")
    d.add_argument("--db", required=True)
    d.add_argument("--members", type=int, required=True)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--commune-code", help=code_help + " (mặc định 99999)")
    d.add_argument("--commune-name", help=name_help + " (mặc định Xã Demo)")
    d.set_defaults(func=cmd_demo)

    ini = sub.add_parser("init", help="tạo tệp dữ liệu mới của một xã/phường")
    ini.add_argument("--db", required=True)
    ini.add_argument("--commune-code", required=True, help=code_help)
    ini.add_argument("--commune-name", required=True, help=name_help)
    ini.set_defaults(func=cmd_init)

    ls = sub.add_parser("list", help="danh sách đoàn viên")
    ls.add_argument("--db", default=argparse.SUPPRESS)
    chosen = ls.add_mutually_exclusive_group()
    chosen.add_argument(
        "--eligible-on",
        help="người có thể xét kết nạp tại ngày này: đủ tuổi, chưa là đảng viên, chưa chuyển đi",
    )
    chosen.add_argument("--upcoming-months", type=int, help="người sẽ đủ 18 tuổi trong N tháng tới")
    from dvdesk.domain.listing import VIEW_KEYS

    chosen.add_argument("--view", choices=VIEW_KEYS, help="một mục xem có sẵn của cửa sổ")
    ls.add_argument("--on", help="ngày xét (mặc định: theo cài đặt hoặc hôm nay)")
    ls.add_argument("--unit", help="mã đơn vị, ví dụ KDC01")
    ls.add_argument("--commune", help="chỉ đoàn viên của xã/phường mã này (dữ liệu tổng hợp)")
    ls.add_argument("--search", help="tìm theo tên (không cần dấu), CCCD, điện thoại")
    ls.add_argument("--method", choices=("A", "B"))
    fmt_group = ls.add_mutually_exclusive_group()
    fmt_group.add_argument("--json", action="store_true")
    fmt_group.add_argument("--csv", action="store_true")
    ls.set_defaults(func=cmd_list)

    st = sub.add_parser("stats", help="số liệu phát triển đảng viên theo giai đoạn")
    st.add_argument("--db", default=argparse.SUPPRESS)
    st.add_argument("--from", dest="from_year", type=int, help="năm đầu, ví dụ 2019")
    st.add_argument("--to", dest="to_year", type=int, help="năm cuối, ví dụ 2022")
    st.add_argument(
        "--unit-kind", choices=("kdc", "thpt"), help="kdc: khu dân cư; thpt: trường THPT"
    )
    st.add_argument("--json", action="store_true")
    st.add_argument("--commune", help="dữ liệu tổng hợp: chỉ số liệu của xã/phường mã này")
    st.add_argument(
        "--set-year",
        type=int,
        metavar="NAM",
        help="ghi số liệu của đảng bộ cho một năm (cùng --members-at-start, --outside-admitted)",
    )
    st.add_argument("--members-at-start", type=int, help="số đảng viên của đảng bộ đầu năm")
    st.add_argument(
        "--outside-admitted", type=int, help="số kết nạp ngoài danh sách đoàn viên theo dõi"
    )
    st.add_argument("--source", default="", help="nguồn số liệu (báo cáo, sổ đảng viên…)")
    st.set_defaults(func=cmd_stats)

    pl = sub.add_parser("plan", help="kế hoạch tạo nguồn phát triển đảng viên")
    pl.add_argument("--db", default=argparse.SUPPRESS)
    pl.add_argument("--school", help="mã trường THPT, ví dụ THPT1")
    pl.add_argument("--course", help="khóa học, ví dụ 2024-2027")
    pl.add_argument("--year", type=int, help="năm (các khu dân cư)")
    plan_out = pl.add_mutually_exclusive_group()
    plan_out.add_argument("--json", action="store_true")
    plan_out.add_argument("--out", help="tệp PDF kết quả")
    pl.set_defaults(func=cmd_plan)

    c = sub.add_parser("check", help="kiểm tra tệp dữ liệu")
    c.add_argument("--db", default=argparse.SUPPRESS)
    c.set_defaults(func=cmd_check)

    b = sub.add_parser("backup", help="sao lưu tệp dữ liệu")
    b.add_argument("--db", default=argparse.SUPPRESS)
    b.add_argument("--out", help="tệp sao lưu (mặc định: thư mục backups cạnh tệp dữ liệu)")
    b.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --out đã có")
    b.set_defaults(func=cmd_backup)

    secret_help = "tệp chứa mật khẩu (hoặc biến môi trường DVDESK_PASSPHRASE)"
    e = sub.add_parser("export", help="xuất gói gửi cấp trên (.zip) hoặc danh sách (.xlsx, .csv)")
    e.add_argument("--db", default=argparse.SUPPRESS)
    e.add_argument("--out", required=True, help="tệp .zip, .xlsx hoặc .csv")
    e.add_argument("--passphrase-file", help="mã hóa gói .zip bằng mật khẩu: " + secret_help)
    e.add_argument(
        "--template",
        choices=("hd38", "danh-sach", "trich-ngang", "so-luong"),
        help="xuất .xlsx theo mẫu: dữ liệu đảng viên (HD 38), danh sách đoàn viên, "
        "danh sách trích ngang, báo cáo số lượng đoàn viên",
    )
    e.add_argument("--unit", help="chỉ một chi đoàn (mã), cho --template")
    e.add_argument("--commune", help="dữ liệu tổng hợp: chỉ xã/phường mã này")
    e.add_argument("--on", help="ngày tính đủ tuổi trong bảng tổng hợp (mặc định hôm nay)")
    e.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --out đã có")
    e.set_defaults(func=cmd_export)

    mg = sub.add_parser("merge", help="gộp gói dữ liệu của các xã vào dữ liệu tổng hợp")
    mg.add_argument("--db", default=argparse.SUPPRESS)
    mg.add_argument("packages", nargs="+", metavar="GOI.zip", help="gói dữ liệu của các xã")
    mg.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    mg.add_argument("--passphrase-file", help="mật khẩu của gói mã hóa: " + secret_help)
    mg.add_argument(
        "--accept-key",
        action="append",
        metavar="MA-NHAN-DANG",
        help="chấp nhận khóa ký mới của một xã (mã nhận dạng đã gọi điện xác nhận với xã)",
    )
    mg.set_defaults(func=cmd_merge)

    tf = sub.add_parser(
        "transfer-file", help="ghi tệp chuyển nguồn (một người, có ký) kèm giấy chuyển"
    )
    tf.add_argument("--db", default=argparse.SUPPRESS)
    tf.add_argument("--uid", required=True, help="mã đoàn viên (uid)")
    tf.add_argument("--to", required=True, help="tổ chức tiếp nhận, như trên giấy chuyển")
    tf.add_argument("--letter-number", default="", help="số giấy chuyển, ví dụ 12-GGT/ĐU")
    tf.add_argument("--out", required=True, help="tệp .zip")
    tf.add_argument("--passphrase-file", help="mã hóa bằng mật khẩu: " + secret_help)
    tf.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --out đã có")
    tf.set_defaults(func=cmd_transfer_file)

    rt = sub.add_parser(
        "receive-transfer",
        help="nhận tệp chuyển nguồn (người được chuyển đến) hoặc tệp xác nhận của nơi nhận",
    )
    rt.add_argument("--db", default=argparse.SUPPRESS)
    rt.add_argument("file", metavar="TEP.zip")
    rt.add_argument("--unit", help="đơn vị (chi đoàn) nhận người này, ví dụ KDC01")
    rt.add_argument("--receipt", help="ghi tệp xác nhận .zip để gửi lại nơi chuyển")
    rt.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    rt.add_argument("--passphrase-file", help="mật khẩu của tệp mã hóa: " + secret_help)
    rt.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --receipt đã có")
    rt.set_defaults(func=cmd_receive_transfer)

    tl = sub.add_parser("transfers", help="theo dõi chuyển nguồn: chờ xác nhận, được chuyển đến")
    tl.add_argument("--db", default=argparse.SUPPRESS)
    tl.add_argument("--json", action="store_true")
    tl.set_defaults(func=cmd_transfers)

    im = sub.add_parser("import", help="nhập danh sách đoàn viên từ Excel (.xlsx) hoặc .csv")
    im.add_argument("--db", default=argparse.SUPPRESS)
    im.add_argument("sheet", metavar="BANG.xlsx", help="bảng tính .xlsx hoặc .csv")
    im.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    im.add_argument(
        "--unit",
        help="mã hoặc tên đơn vị cho các dòng không có cột chi đoàn hay dòng nhóm "
        "(tên chưa có thì tạo đơn vị mới)",
    )
    im.add_argument(
        "--sheet-unit",
        action="append",
        metavar="TRANG=ĐƠN_VỊ",
        help="đơn vị cho một trang của bảng tính (lặp lại cho nhiều trang)",
    )
    im.add_argument(
        "--same-person",
        action="store_true",
        help="coi các dòng cùng họ tên, ngày sinh, đơn vị với người đã có là cùng người",
    )
    im.add_argument(
        "--erase-empty",
        action="store_true",
        help="ô để trống xóa dữ liệu đã có khi nhập lại (mặc định: giữ nguyên)",
    )
    im.add_argument(
        "--sheet",
        dest="sheet_name",
        action="append",
        metavar="TÊN",
        help="chỉ nhập trang tính này (lặp lại cho nhiều trang; trang ẩn chỉ được đọc khi "
        "được chọn thế này; mặc định: mọi trang đang hiện)",
    )
    im.add_argument(
        "--skip-invalid", action="store_true", help="bỏ qua các dòng có lỗi, nhập các dòng hợp lệ"
    )
    im.set_defaults(func=cmd_import)

    u = sub.add_parser(
        "upgrade", help="nâng cấp tệp dữ liệu định dạng cũ (sao lưu trước khi nâng cấp)"
    )
    u.add_argument("--db", default=argparse.SUPPRESS)
    u.set_defaults(func=cmd_upgrade)

    r = sub.add_parser("restore", help="khôi phục từ bản sao lưu")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("backup")
    r.set_defaults(func=cmd_restore)

    from dvdesk import cli_dossier

    cli_dossier.add_parsers(sub, _dossier_opener)
    add_print_parser(sub, Parser)
    sub.choices["print"].set_defaults(func=cmd_print)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from dvdesk.console import ensure_streams

    ensure_streams()  # the windowed dvdesk.exe has no stdout/stderr
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.gui and not args.self_test:
        parser.error("--gui chỉ dùng cùng --self-test")
    if args.self_test:
        if args.command:
            parser.error("--self-test không đi kèm lệnh khác")
        from dvdesk import selftest

        return selftest.main(gui=args.gui)
    from dvdesk.files import private_umask

    private_umask()  # names, dates of birth, CCCD numbers: readable by this user only
    try:
        if args.command != "age":  # the window's start-up (no command) too
            _clean_leftovers(args)
        return int(args.func(args) or 0)
    except KnownError as exc:
        print(f"dvdesk: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
