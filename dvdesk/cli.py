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
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from dvdesk.domain.dates import DateError, parse_date, parse_option_date
from dvdesk.domain.eligibility import Method, born_after, evaluate
from dvdesk.domain.numbers import grouped
from dvdesk.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

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
        commune_code=None if args.commune is None else args.commune.strip(),
        eligible_on=eligible_on,
        upcoming_months=args.upcoming_months,
        on=on,
        method=Method(args.method) if args.method else None,
    )
    with _open_to_read(args) as store:
        if request.commune_code is not None:
            _known_commune(store, request.commune_code)
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
            print(f"Tổng cộng: {grouped(count)} đoàn viên.", file=sys.stderr)
    return 0


def _known_commune(store: Store, code: str) -> str:
    """`code` when this file holds that commune's data (`--commune`); else one clear line."""
    if code not in store.received_index.commune_codes():
        raise KnownError(f"Không có dữ liệu của xã/phường mã “{code}” trong tệp này.")
    return code


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
            # The receiving level: one commune's figures, with the totals its package carried.
            code = _known_commune(store, args.commune.strip())
            stats = store.received.statistics(code, first, last)
    data = statistics.as_json(stats, kind)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    from dvdesk.domain.kinds import UNIT_KIND_LABELS, UnitKind
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


def cmd_gui(args: argparse.Namespace) -> int:
    from dvdesk.ui.app import run

    return run(Path(args.db) if args.db else default_db())


# -- parser ----------------------------------------------------------------


class _Version(argparse._VersionAction):
    """`--version`, reading the version only when asked (dvdesk.__version__ is lazy)."""

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        from dvdesk import __version__

        self.version = f"dvdesk {__version__}"
        super().__call__(*args, **kwargs)


# Every sub-command, in the order `dvdesk --help` lists them.
COMMANDS = (
    "age",
    "demo",
    "init",
    "list",
    "stats",
    "plan",
    "check",
    "backup",
    "export",
    "merge",
    "transfer-file",
    "receive-transfer",
    "transfers",
    "import",
    "upgrade",
    "restore",
    "step",
    "dossier",
    "print",
)


def _sub(sub: argparse._SubParsersAction, command: str | None, name: str, **kw: Any) -> Any:
    """Sub-command `name` as `build_parser(command)` wants it: the parser to fill, or None.

    Building every command's options (and importing what their choices come
    from) would cost each command's start-up; see `build_parser`.
    """
    if command is None or command == name:
        return sub.add_parser(name, **kw)
    if command == "":
        sub.add_parser(name, add_help=False, **kw)  # named, with its help; no options
    return None


def command_in(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` names when plain to see (top-level options in full), else None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--db":
            i += 2
        elif arg.startswith("--db=") or arg in ("--self-test", "--gui"):
            i += 1
        else:
            return arg if arg in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> Parser:
    """The command line. `command`: None builds every sub-command; a name builds that one
    only; "" names every sub-command (with its help) and builds none.

    `main` builds only the sub-command it is given (the top-level usage still
    lists them all); it parses with "" first when it cannot tell which.
    """
    p = Parser(prog="dvdesk", description="Sổ theo dõi đoàn viên và phát triển đảng viên.")
    p.add_argument("--db", help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--version", action=_Version, version="dvdesk")
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
    # With one sub-command built, the usage still names them all (as argparse would).
    every = "{" + ",".join(COMMANDS) + "}" if command else None
    sub = p.add_subparsers(dest="command", parser_class=Parser, metavar=every)

    a = _sub(sub, command, "age", help="xét tuổi vào Đảng của một ngày sinh tại một ngày")
    if a:
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
    d = _sub(sub, command, "demo", help="tạo dữ liệu mẫu")
    if d:
        from dvdesk import cli_files

        d.add_argument("--db", required=True)
        d.add_argument("--members", type=int, required=True)
        d.add_argument("--seed", type=int, default=1)
        d.add_argument("--commune-code", help=code_help + " (mặc định 99999)")
        d.add_argument("--commune-name", help=name_help + " (mặc định Xã Demo)")
        d.set_defaults(func=cli_files.cmd_demo)

    ini = _sub(sub, command, "init", help="tạo tệp dữ liệu mới của một xã/phường")
    if ini:
        from dvdesk import cli_files

        ini.add_argument("--db", required=True)
        ini.add_argument("--commune-code", required=True, help=code_help)
        ini.add_argument("--commune-name", required=True, help=name_help)
        ini.set_defaults(func=cli_files.cmd_init)

    ls = _sub(sub, command, "list", help="danh sách đoàn viên")
    if ls:
        ls.add_argument("--db", default=argparse.SUPPRESS)
        chosen = ls.add_mutually_exclusive_group()
        chosen.add_argument(
            "--eligible-on",
            help="người có thể xét kết nạp tại ngày này: đủ tuổi, chưa là đảng viên, "
            "chưa chuyển đi",
        )
        chosen.add_argument(
            "--upcoming-months", type=int, help="người sẽ đủ 18 tuổi trong N tháng tới"
        )
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

    st = _sub(sub, command, "stats", help="số liệu phát triển đảng viên theo giai đoạn")
    if st:
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
            help="ghi số liệu của đảng bộ cho một năm "
            "(cùng --members-at-start, --outside-admitted)",
        )
        st.add_argument("--members-at-start", type=int, help="số đảng viên của đảng bộ đầu năm")
        st.add_argument(
            "--outside-admitted", type=int, help="số kết nạp ngoài danh sách đoàn viên theo dõi"
        )
        st.add_argument("--source", default="", help="nguồn số liệu (báo cáo, sổ đảng viên…)")
        st.set_defaults(func=cmd_stats)

    pl = _sub(sub, command, "plan", help="kế hoạch tạo nguồn phát triển đảng viên")
    if pl:
        from dvdesk import cli_print

        pl.add_argument("--db", default=argparse.SUPPRESS)
        pl.add_argument("--school", help="mã trường THPT, ví dụ THPT1")
        pl.add_argument("--course", help="khóa học, ví dụ 2024-2027")
        pl.add_argument("--year", type=int, help="năm (các khu dân cư)")
        plan_out = pl.add_mutually_exclusive_group()
        plan_out.add_argument("--json", action="store_true")
        plan_out.add_argument("--out", help="tệp PDF kết quả")
        pl.set_defaults(func=cli_print.cmd_plan)

    c = _sub(sub, command, "check", help="kiểm tra tệp dữ liệu")
    if c:
        from dvdesk import cli_files

        c.add_argument("--db", default=argparse.SUPPRESS)
        c.set_defaults(func=cli_files.cmd_check)

    b = _sub(sub, command, "backup", help="sao lưu tệp dữ liệu")
    if b:
        from dvdesk import cli_files

        b.add_argument("--db", default=argparse.SUPPRESS)
        b.add_argument("--out", help="tệp sao lưu (mặc định: thư mục backups cạnh tệp dữ liệu)")
        b.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --out đã có")
        b.set_defaults(func=cli_files.cmd_backup)

    secret_help = "tệp chứa mật khẩu (hoặc biến môi trường DVDESK_PASSPHRASE)"
    e = _sub(
        sub, command, "export", help="xuất gói gửi cấp trên (.zip) hoặc danh sách (.xlsx, .csv)"
    )
    if e:
        from dvdesk import cli_files

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
        e.set_defaults(func=cli_files.cmd_export)

    mg = _sub(sub, command, "merge", help="gộp gói dữ liệu của các xã vào dữ liệu tổng hợp")
    if mg:
        from dvdesk import cli_files

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
        mg.set_defaults(func=cli_files.cmd_merge)

    tf = _sub(
        sub,
        command,
        "transfer-file",
        help="ghi tệp chuyển nguồn (một người, có ký) kèm giấy chuyển",
    )
    if tf:
        from dvdesk import cli_files

        tf.add_argument("--db", default=argparse.SUPPRESS)
        tf.add_argument("--uid", required=True, help="mã đoàn viên (uid)")
        tf.add_argument("--to", required=True, help="tổ chức tiếp nhận, như trên giấy chuyển")
        tf.add_argument("--letter-number", default="", help="số giấy chuyển, ví dụ 12-GGT/ĐU")
        tf.add_argument("--out", required=True, help="tệp .zip")
        tf.add_argument("--passphrase-file", help="mã hóa bằng mật khẩu: " + secret_help)
        tf.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --out đã có")
        tf.set_defaults(func=cli_files.cmd_transfer_file)

    rt = _sub(
        sub,
        command,
        "receive-transfer",
        help="nhận tệp chuyển nguồn (người được chuyển đến) hoặc tệp xác nhận của nơi nhận",
    )
    if rt:
        from dvdesk import cli_files

        rt.add_argument("--db", default=argparse.SUPPRESS)
        rt.add_argument("file", metavar="TEP.zip")
        rt.add_argument("--unit", help="đơn vị (chi đoàn) nhận người này, ví dụ KDC01")
        rt.add_argument("--receipt", help="ghi tệp xác nhận .zip để gửi lại nơi chuyển")
        rt.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
        rt.add_argument("--passphrase-file", help="mật khẩu của tệp mã hóa: " + secret_help)
        rt.add_argument("--overwrite", action="store_true", help="ghi đè nếu tệp --receipt đã có")
        rt.set_defaults(func=cli_files.cmd_receive_transfer)

    tl = _sub(
        sub, command, "transfers", help="theo dõi chuyển nguồn: chờ xác nhận, được chuyển đến"
    )
    if tl:
        from dvdesk import cli_files

        tl.add_argument("--db", default=argparse.SUPPRESS)
        tl.add_argument("--json", action="store_true")
        tl.set_defaults(func=cli_files.cmd_transfers)

    im = _sub(sub, command, "import", help="nhập danh sách đoàn viên từ Excel (.xlsx) hoặc .csv")
    if im:
        from dvdesk import cli_files

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
            "--skip-invalid",
            action="store_true",
            help="bỏ qua các dòng có lỗi, nhập các dòng hợp lệ",
        )
        im.set_defaults(func=cli_files.cmd_import)

    u = _sub(
        sub,
        command,
        "upgrade",
        help="nâng cấp tệp dữ liệu định dạng cũ (sao lưu trước khi nâng cấp)",
    )
    if u:
        from dvdesk import cli_files

        u.add_argument("--db", default=argparse.SUPPRESS)
        u.set_defaults(func=cli_files.cmd_upgrade)

    r = _sub(sub, command, "restore", help="khôi phục từ bản sao lưu")
    if r:
        from dvdesk import cli_files

        r.add_argument("--db", default=argparse.SUPPRESS)
        r.add_argument("backup")
        r.set_defaults(func=cli_files.cmd_restore)

    for name, text in DOSSIER_COMMANDS.items():
        if dossier := _sub(sub, command, name, help=text):
            from dvdesk import cli_dossier

            cli_dossier.add_arguments(name, dossier, _dossier_opener)

    if pr := _sub(sub, command, "print", help="in phiếu, danh sách, báo cáo ra tệp PDF"):
        from dvdesk import cli_print

        cli_print.add_print_arguments(pr, Parser)
        pr.set_defaults(func=cli_print.cmd_print)
    return p


DOSSIER_COMMANDS = {  # built in cli_dossier.py
    "step": "ghi một bước của hồ sơ kết nạp (kiểm tra thứ tự và điều kiện như trong cửa sổ)",
    "dossier": "xem hồ sơ kết nạp và mọi kiểm tra; ghi người giới thiệu, biểu quyết…",
}


def main(argv: Sequence[str] | None = None) -> int:
    from dvdesk.console import ensure_streams

    ensure_streams()  # the windowed dvdesk.exe has no stdout/stderr
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else list(argv)
    command = command_in(argv)
    if command is None:  # none, or not plain to see: argparse tells which
        command = build_parser("").parse_known_args(argv)[0].command or ""
    parser = build_parser(command)
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
