"""Records kept on disk between an import's preview and its write (tràn ra đĩa).

A 200,000-row sheet planned in memory held every row's member, report and
problems until the write: memory grew with the sheet (~4.5 KB a row). The
new rows of a plan go here instead, as plain tuples (marshal: strings,
numbers, None and tuples only), a chunk at a time, in a private temporary
file that disappears with the plan. A small sheet never reaches the disk.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 2_000  # records written (and read back) at once


class RowSpill:
    """An append-only sequence of tuples, read back in order as often as asked."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._chunks: list[tuple[int, int]] = []  # (offset, length) in the file
        self._pending: list[tuple[Any, ...]] = []
        self.count = 0

    def append(self, record: tuple[Any, ...]) -> None:
        self._pending.append(record)
        self.count += 1
        if len(self._pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._file is None:
            # Private (0600) and already unlinked where the system allows it.
            self._file = tempfile.TemporaryFile(prefix="dvdesk-nhap-")  # noqa: SIM115
        data = marshal.dumps(self._pending)
        self._file.seek(0, 2)
        self._chunks.append((self._file.tell(), len(data)))
        self._file.write(data)
        self._pending = []

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for offset, length in list(self._chunks):
            assert self._file is not None
            self._file.seek(offset)
            yield from marshal.loads(self._file.read(length))
        yield from list(self._pending)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._chunks, self._pending, self.count = [], [], 0
