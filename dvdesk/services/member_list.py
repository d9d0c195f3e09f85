"""The member list (`dvdesk list`): which members, and their rows as JSON, CSV or text.

Rows come from store/views.py (`view_rows`), built once per member
(domain/listing.py) and written as they are read: memory does not grow with
the number of rows, and no dict is built per row (the JSON object is filled
from a template, each value encoded by the json module's C encoders).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, BinaryIO, TextIO

from dvdesk.domain.dates import fmt, parse_date
from dvdesk.domain.eligibility import STATUS_LABELS, Method, Status
from dvdesk.domain.listing import (
    COMMUNE_FIELDS,
    LIST_FIELDS,
    VIEW_KEYS,
    ListRow,
    json_object,
    with_commune,
)
from dvdesk.errors import KnownError
from dvdesk.exchange.cells import escape_cell
from dvdesk.store import views as preset
from dvdesk.store.member_query import MemberQuery

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

__all__ = [
    "LIST_FIELDS",
    "ListRequest",
    "commune_names",
    "rows",
    "write_csv",
    "write_json",
    "write_text",
]
Communes = dict[str, str]  # commune code → name, in a consolidated file


def commune_names(store: Store) -> Communes | None:
    """Commune code → name when `store` is a consolidated file (the receiving level's), else None.

    There every list row carries its commune (README: list --json contract);
    members entered at the level itself belong to its own commune.
    """
    received = store.received_index.all()
    if not received:
        return None
    own = store.settings.get()
    names = {own.commune_code.strip(): own.commune_name} if own.commune_code.strip() else {}
    names.update({r["commune_code"]: r["commune_name"] for r in received})
    return names


@dataclass(frozen=True)
class ListRequest:
    """What `dvdesk list` was asked for (all optional)."""

    view: str = ""  # a preset view key; the other filters narrow it
    search: str = ""
    unit_code: str = ""
    commune_code: str | None = None
    eligible_on: date | None = None
    upcoming_months: int | None = None
    on: date | None = None  # the consideration date (default: settings, then today)
    method: Method | None = None  # default: the settings


def _resolve(
    store: Store, request: ListRequest, today: date | None
) -> tuple[MemberQuery, date, date | None]:
    """The query, consideration date and graduation day (graduating view) asked for."""
    settings = store.settings.get()
    if request.method is not None:
        settings.age_method = request.method.value
    on = request.eligible_on or request.on or settings.consideration_on(today or date.today())
    if request.unit_code and store.units.id_of(request.unit_code) is None:
        raise KnownError(f"Không có đơn vị mã “{request.unit_code}”.")
    graduation = None
    query: MemberQuery
    if request.view:
        view = next((v for v in preset.preset_views(settings, on) if v.key == request.view), None)
        if view is None:
            raise KnownError(
                f"Không có danh sách “{request.view}”; các danh sách: {', '.join(VIEW_KEYS)}."
            )
        query, graduation = view.query, view.graduation
    elif request.eligible_on is not None:
        query = preset.eligible_query(on, settings)
    elif request.upcoming_months is not None:
        query = preset.upcoming_query(on, request.upcoming_months, settings)
    else:
        query = MemberQuery(method=settings.method)
    query = replace(
        query,
        search=request.search or query.search,
        unit_code=request.unit_code or query.unit_code,
        commune_code=(
            request.commune_code if request.commune_code is not None else query.commune_code
        ),
    )
    return query, on, graduation


def rows(store: Store, request: ListRequest, today: date | None = None) -> Iterator[ListRow]:
    """The rows `dvdesk list` prints, streamed in roster order.

    --eligible-on and --upcoming-months are the "eligible" and "upcoming"
    views (Party members and people who moved away or left are not on them);
    without them every live member is listed.
    """
    query, on, graduation = _resolve(store, request, today)
    return preset.view_rows(store, query, on, graduation)


def json_objects(store: Store, request: ListRequest, today: date | None = None) -> Iterator[str]:
    """The same rows as `list --json` objects; SQLite writes most of them (see view_json)."""
    query, on, graduation = _resolve(store, request, today)
    communes = commune_names(store)
    if graduation is not None:
        made = preset.view_rows(store, query, on, graduation)
        if communes is None:
            return (json_object(r) for r in made)
        return (
            with_commune(json_object(r), r.commune_code, communes.get(r.commune_code, ""))
            for r in made
        )
    return preset.view_json(store, query, on, communes)


def write_json_objects(objects: Iterable[str], out: TextIO, chunk: int = 512) -> int:
    """A JSON array, one object per line, written as read in chunks; returns the count."""
    n = 0
    buffer: list[str] = []
    for text in objects:
        buffer.append(text)
        n += 1
        if len(buffer) >= chunk:
            out.write(("[\n" if n == len(buffer) else ",\n") + ",\n".join(buffer))
            buffer = []
    if buffer:
        out.write(("[\n" if n == len(buffer) else ",\n") + ",\n".join(buffer))
    out.write("\n]\n" if n else "[]\n")
    return n


def json_chunks(store: Store, request: ListRequest, today: date | None = None) -> Iterator[bytes]:
    """The `list --json` objects as UTF-8, many at a time joined by ",\\n" (no brackets).

    SQLite writes the objects as bytes (store/views.py `view_json_chunks`):
    no text is decoded and encoded again per row on its way out.
    """
    query, on, graduation = _resolve(store, request, today)
    if graduation is None and commune_names(store) is None:
        return preset.view_json_chunks(store, query, on)
    # A view with a graduation date, or a consolidated file (commune keys first).
    objects = json_objects(store, request, today)
    return (",\n".join(batch).encode() for batch in _batched(objects, preset.JSON_BATCH))


def _batched(items: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(islice(items, size)):
        yield batch


def write_json_chunks(chunks: Iterable[bytes], out: BinaryIO) -> None:
    """`json_chunks` as the JSON array `write_json_objects` writes, byte for byte."""
    empty = True
    for chunk in chunks:
        if chunk:
            out.write(b"[\n" if empty else b",\n")
            out.write(chunk)
            empty = False
    out.write(b"[]\n" if empty else b"\n]\n")


def write_json(
    rows: Iterable[ListRow], out: TextIO, chunk: int = 512, communes: Communes | None = None
) -> int:
    """`rows` as a JSON array, one object per line; returns the count."""
    if communes is None:
        return write_json_objects((json_object(r) for r in rows), out, chunk)
    return write_json_objects(
        (
            with_commune(json_object(r), r.commune_code, communes.get(r.commune_code, ""))
            for r in rows
        ),
        out,
        chunk,
    )


def write_csv(rows: Iterable[ListRow], out: TextIO, communes: Communes | None = None) -> int:
    """CSV with a header of `LIST_FIELDS`; possible statuses joined by spaces, formulas escaped.

    With `communes` (a consolidated file) commune_code and commune_name come first.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COMMUNE_FIELDS, *LIST_FIELDS) if communes is not None else LIST_FIELDS)
    n = 0
    at = LIST_FIELDS.index("possible_statuses")
    width = len(LIST_FIELDS)
    for row in rows:
        values: list[object] = list(row[:width])
        if row.possible_statuses is not None:
            values[at] = " ".join(row.possible_statuses)
        if communes is not None:
            values[:0] = [row.commune_code, communes.get(row.commune_code, "")]
        # A clerk opens this in Excel: text that would start a formula is escaped.
        writer.writerow([escape_cell(v) if isinstance(v, str) else v for v in values])
        n += 1
    return n


def _text_line(n: int, r: ListRow, communes: Communes | None = None) -> str:
    dob = parse_date(r.dob)
    status = STATUS_LABELS[Status(r.status)]
    if r.status == "unknown" and r.possible_statuses:
        status += (
            " (có thể: "
            + ", ".join(STATUS_LABELS[Status(s)].lower() for s in r.possible_statuses)
            + ")"
        )
    when = ""
    if r.status == "too_young" and r.eligible_from:
        when = f" (từ {fmt(date.fromisoformat(r.eligible_from))})"
    elif r.partial and r.status != "eligible" and r.eligible_from_earliest:
        lo = fmt(date.fromisoformat(r.eligible_from_earliest))
        hi = fmt(date.fromisoformat(r.eligible_from_latest or r.eligible_from_earliest))
        when = f" (đủ 18 tuổi {'ngày ' + lo if lo == hi else f'từ {lo} đến {hi}'})"
    note = f" — {r.note}" if r.note else ""
    commune = ""
    if communes is not None:
        commune = f"{r.commune_code:<5} {communes.get(r.commune_code, '')[:24]:<24} "
    return (
        f"{n:>6}  {commune}{r.full_name:<32} {dob.vi() if dob else '':<10}  "
        f"{r.unit:<7} {status}{when}{note}\n"
    )


PARTIAL_HEADING = "Chưa rõ ngày sinh đầy đủ (cần bổ sung để xét tuổi chính xác):"


def write_text(rows: Iterable[ListRow], out: TextIO, communes: Communes | None = None) -> int:
    """The readable list: number, name, date of birth, unit, status (and when 18);
    in a consolidated file (`communes`) the commune's code and name first.

    Members whose date of birth is partial come last, in their own section,
    with the statuses still possible and the range of their 18th birthday.
    They are few, so only they are held back.
    """
    n = 0
    partial: list[ListRow] = []
    for r in rows:
        if r.partial:
            partial.append(r)
            continue
        n += 1
        out.write(_text_line(n, r, communes))
    if partial:
        out.write(f"\n{PARTIAL_HEADING}\n")
        for r in partial:
            n += 1
            out.write(_text_line(n, r, communes))
    return n
