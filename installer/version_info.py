"""The Windows version resource of dvdesk.exe and dvdesk-cli.exe, made from one version.

dvdesk.spec calls `write_version_file(version, ...)` with the version read from
pyproject.toml and hands the file to EXE(version=...); PyInstaller reads it
with `load_version_info_from_text_file` (its text form of VSVersionInfo).
dvdesk.iss then reads the same numbers back from the built dvdesk.exe
(GetStringFileInfo / GetVersionNumbersString), so setup.exe, both programs and
`dvdesk --version` cannot disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

VIETNAMESE = 0x042A  # LANGID vi-VN
UNICODE = 1200  # code page of the string table: UTF-16


def numeric(version: str) -> tuple[int, int, int, int]:
    """Four numbers for the binary version fields: "0.2.1rc1" -> (0, 2, 1, 0)."""
    found = re.match(r"(\d+(?:\.\d+)*)", version.strip())
    if not found:
        raise ValueError(f"not a version: {version!r}")
    parts = [int(p) for p in found.group(1).split(".")][:4]
    if any(p > 0xFFFF for p in parts):
        raise ValueError(f"a Windows version number is at most 65535: {version!r}")
    a, b, c, d = (*parts, 0, 0, 0, 0)[:4]
    return a, b, c, d


def strings(version: str, program: str, description: str) -> dict[str, str]:
    return {
        "CompanyName": "dvdesk",
        "FileDescription": description,
        "FileVersion": ".".join(map(str, numeric(version))),
        "InternalName": program,
        "LegalCopyright": "dvdesk",
        "OriginalFilename": f"{program}.exe",
        "ProductName": "dvdesk",
        "ProductVersion": version,
    }


def version_text(version: str, program: str, description: str) -> str:
    """PyInstaller's text form of a VSVersionInfo (what `pyi-grab_version` writes)."""
    numbers = numeric(version)
    table = "\n".join(
        f"          StringStruct({k!r}, {v!r}),"
        for k, v in strings(version, program, description).items()
    )
    return f"""# UTF-8
# Made by installer/version_info.py from pyproject.toml's version; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo(
      [
        StringTable(
          '{VIETNAMESE:04X}{UNICODE:04X}',
          [
{table}
          ])
      ]),
    VarFileInfo([VarStruct('Translation', [{VIETNAMESE:#06x}, {UNICODE}])])
  ]
)
"""


def write_version_file(folder: Path, version: str, program: str, description: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version-{program}.txt"
    path.write_text(version_text(version, program, description), encoding="utf-8")
    return path
