"""Somewhere to write when there is no console: the windowed `dvdesk.exe`.

PyInstaller's windowed programs (console=False, the Start-menu `dvdesk.exe`)
start with `sys.stdout` and `sys.stderr` set to None; the first `write` or
`isatty()` of a command would crash. A command given to `dvdesk.exe` in a
command prompt writes to that prompt's console (AttachConsole); started any
other way its output is discarded. `dvdesk-cli.exe` is the program for
commands (installer/README.md).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

ATTACH_PARENT_PROCESS = -1


def _console_streams() -> tuple[TextIO, TextIO] | None:
    """The parent process's console on Windows, or None when there is none."""
    if sys.platform != "win32":
        return None
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    if not kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        return None
    try:
        out = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        return None
    return out, out


def ensure_streams() -> None:
    """Replace a missing stdout/stderr by the parent console or by the null device."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    streams = _console_streams()
    if streams is None:
        null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
        streams = (null, null)
    if sys.stdout is None:
        sys.stdout = streams[0]
    if sys.stderr is None:
        sys.stderr = streams[1]
