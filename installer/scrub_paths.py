"""Remove the build machine's paths from a Linux bundle (dvdesk.spec runs this).

A Python built by pyenv links its extension modules and libpython with
RUNPATH=/root/.pyenv/versions/3.11.7/lib and compiles that prefix into
libpython. In the bundle the RUNPATH is worse than noise: on a PC that happens
to have that folder, the loader would look there first. So, for every ELF file:

- a DT_RPATH/DT_RUNPATH entry loses its build-host folders; an entry left
  empty is removed from the dynamic section (like `patchelf --remove-rpath`)
  and its text blanked;
- any other string that starts with a build-host folder (libpython's compiled
  PREFIX, unused by a frozen program, whose prefix is the bundle) has that
  folder overwritten by "/usr/local" padded with "/" to the same length; the
  rest of the string stays, since its tail may be another string too.

Only 64-bit little-endian ELF files are edited (the x86-64 and arm64 bundles);
anything else is left alone. installer/check_bundle.py then proves no build
path is left.
"""

from __future__ import annotations

import struct
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_STRTAB, DT_STRSZ, DT_RPATH, DT_RUNPATH = 0, 5, 10, 15, 29
NEUTRAL = b"/usr/local"


def _is_elf64le(data: bytes | bytearray) -> bool:
    return data[:4] == ELF_MAGIC and data[4] == 2 and data[5] == 1


def _segments(data: bytearray) -> list[tuple[int, int, int, int]]:
    """(type, file offset, virtual address, file size) of each program header."""
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    out = []
    for i in range(phnum):
        base = phoff + i * phentsize
        (p_type,) = struct.unpack_from("<I", data, base)
        p_offset, p_vaddr = struct.unpack_from("<QQ", data, base + 8)
        (p_filesz,) = struct.unpack_from("<Q", data, base + 32)
        out.append((p_type, p_offset, p_vaddr, p_filesz))
    return out


def _file_offset(segments: list[tuple[int, int, int, int]], address: int) -> int:
    for p_type, offset, vaddr, size in segments:
        if p_type == PT_LOAD and vaddr <= address < vaddr + size:
            return address - vaddr + offset
    raise ValueError(f"address {address:#x} is in no loaded segment")


def _c_string(data: bytearray, start: int) -> bytes:
    return bytes(data[start : data.index(b"\0", start)])


def _is_host(folder: str, hosts: list[str]) -> bool:
    return any(folder == h or folder.startswith(h.rstrip("/") + "/") for h in hosts)


def scrub_runpaths(data: bytearray, hosts: list[str]) -> int:
    """Drop build-host folders from RPATH/RUNPATH; returns how many entries changed."""
    segments = _segments(data)
    dynamic = next(((o, s) for t, o, _, s in segments if t == PT_DYNAMIC), None)
    if dynamic is None:
        return 0
    offset, size = dynamic
    entries = [struct.unpack_from("<qQ", data, offset + i) for i in range(0, size - 15, 16)]
    end = next((i for i, (tag, _) in enumerate(entries) if tag == DT_NULL), len(entries))
    entries = entries[:end]
    strtab = next((v for tag, v in entries if tag == DT_STRTAB), None)
    if strtab is None:
        return 0
    strings = _file_offset(segments, strtab)
    changed, kept = 0, []
    for tag, value in entries:
        if tag in (DT_RPATH, DT_RUNPATH):
            start = strings + value
            text = _c_string(data, start)
            folders = text.decode("utf-8", "surrogateescape").split(":")
            left = [f for f in folders if f and not _is_host(f, hosts)]
            if len(left) != len([f for f in folders if f]):
                changed += 1
                new = ":".join(left).encode("utf-8", "surrogateescape")
                data[start : start + len(text)] = new + b"\0" * (len(text) - len(new))
                if not left:
                    continue  # the entry goes; a DT_NULL is appended below
        kept.append((tag, value))
    if changed:
        packed = b"".join(struct.pack("<qQ", t, v) for t, v in kept)
        packed += struct.pack("<qQ", DT_NULL, 0) * ((end - len(kept)) + 1)
        data[offset : offset + len(packed)] = packed
    return changed


def scrub_strings(data: bytearray, hosts: list[str]) -> int:
    """Overwrite the host folder at the head of each NUL-terminated string; returns the count.

    Only the head is rewritten, in place and to the same length ("/usr/local" then
    "/" padding), never the rest: the linker merges string constants that end
    alike, so the tail of libpython's PREFIX "/root/.pyenv/versions/3.11.7" *is*
    PY_VERSION "3.11.7". Blanking the whole string emptied sys.version, and
    cffi (cryptography) then refused to load: "compiled for Python 3.1…".
    """
    count = 0
    for host in sorted(hosts, key=len):  # the shortest folder: the least rewritten
        needle = host.rstrip("/").encode("utf-8")
        at = data.find(needle)
        while at != -1:
            end = at + len(needle)
            if (at == 0 or data[at - 1] == 0) and data[end : end + 1] in (b"/", b"\0"):
                data[at:end] = _neutral(len(needle))
                count += 1
            at = data.find(needle, at + 1)
    return count


def _neutral(length: int) -> bytes:
    """A folder of `length` bytes that names no build machine."""
    if length >= len(NEUTRAL):
        return NEUTRAL + b"/" * (length - len(NEUTRAL))
    return b"/" * length


def scrub_file(path: Path, hosts: list[str]) -> int:
    """Edit one file in place; returns the number of changes (0: file untouched)."""
    data = bytearray(path.read_bytes())
    if not _is_elf64le(data) or not any(h.encode() in data for h in hosts):
        return 0
    changes = scrub_runpaths(data, hosts) + scrub_strings(data, hosts)
    if changes:
        mode = path.stat().st_mode
        path.chmod(mode | 0o200)
        path.write_bytes(bytes(data))
        path.chmod(mode)
    return changes


def scrub_bundle(bundle: Path, hosts: list[str]) -> dict[str, int]:
    """Scrub every ELF file of `bundle`; returns {relative path: changes}."""
    done = {}
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            changes = scrub_file(path, hosts)
            if changes:
                done[str(path.relative_to(bundle))] = changes
    return done
