"""Reading a zip received from elsewhere without trusting it (giải nén an toàn).

Nothing is extracted to disk. Names must be plain file names inside the
archive (no folders, no "..", no absolute or drive paths, no control or
invisible characters, no spaces around them); the number of
entries, each size, the total and the compression ratio are bounded so a
"zip bomb" is refused before it fills memory.
"""

from __future__ import annotations

import io
import zipfile

from dvdesk.exchange.manifest import PackageError, invisible

MAX_ENTRIES = 64
MAX_FILE_BYTES = 512 * 1024 * 1024  # a 200,000-member list is ~60 MB of CSV
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # CSV compresses ~10:1; a bomb compresses 1000:1
_CHUNK = 1 << 20


def _safe_name(name: str) -> bool:
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and ":" not in name
        and name not in (".", "..")
        and not name.startswith(".")
        and not invisible(name)
        and name == name.strip()
    )


def read_entries(data: bytes, source: str) -> dict[str, bytes]:
    """Every file of the archive by name, or `PackageError`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageError(f"“{source}” không phải là tệp .zip hợp lệ hoặc bị hỏng.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageError(f"Gói “{source}” có quá nhiều tệp ({len(infos)}), không gộp.")
        total = 0
        for info in infos:
            if not _safe_name(info.filename):
                raise PackageError(
                    f"Gói “{source}” chứa đường dẫn không an toàn “{info.filename}”, không gộp."
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if (
                info.file_size > MAX_FILE_BYTES
                or total > MAX_TOTAL_BYTES
                or (info.file_size > _CHUNK and ratio > MAX_RATIO)
            ):
                raise PackageError(
                    f"Gói “{source}”: tệp “{info.filename}” có kích thước bất thường "
                    "(nghi là tệp nén độc hại), không gộp."
                )
        out: dict[str, bytes] = {}
        for info in infos:
            if info.filename in out:
                raise PackageError(f"Gói “{source}” có hai tệp cùng tên “{info.filename}”.")
            out[info.filename] = _read_bounded(archive, info, source)
        return out


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> bytes:
    # The declared size may lie: stop reading past it instead of trusting it.
    buf = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                buf += chunk
                if len(buf) > info.file_size:
                    raise PackageError(f"Gói “{source}”: tệp “{info.filename}” bị hỏng.")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise PackageError(f"Gói “{source}”: tệp “{info.filename}” bị hỏng ({exc}).") from exc
    return bytes(buf)
