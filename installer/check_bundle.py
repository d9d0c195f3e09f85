"""Fail when a build-host path is left in the bundle (`make bundle` runs this).

    python installer/check_bundle.py dist/dvdesk

Searches every file of the bundle, binaries included, for the paths of the
machine that built it: the source tree, the build folder, the Python that ran
PyInstaller (its prefix, the venv, a pyenv root) and the home folder. Such a
path is at best noise and at worst read at run time (a module looking for
files where they were on the build machine). Prints each hit with the file
and exits 1; exits 0 when there is none.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import types
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def host_paths() -> list[str]:
    """Build-machine folders, longest first.

    The home folder counts only when it is a folder of its own (/home/builder):
    "/root" is also a path every system library may name for other reasons.
    """
    candidates = {
        str(ROOT),
        str(ROOT.resolve()),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.realpath(sys.base_prefix),
        os.path.realpath(sys.prefix),
    }
    home = Path.home()
    if len(home.parts) > 2:
        candidates.add(str(home))
    pyenv = os.environ.get("PYENV_ROOT") or str(home / ".pyenv")
    if Path(pyenv).is_dir():
        candidates.add(pyenv)
    return sorted(
        (p for p in candidates if len(Path(p).parts) > 2 or p == str(ROOT)),
        key=len,
        reverse=True,
    )


def _pattern(paths: list[str]) -> re.Pattern[bytes]:
    # A path, not a piece of a longer one: "/opt/x" must not match in "/srv/opt/xy".
    alternatives = b"|".join(re.escape(p.encode()) for p in paths)
    return re.compile(rb"(?<![\w.\-/])(" + alternatives + rb")(?=[/\\\0:;\"' \n]|$)")


def _code_files(code: types.CodeType) -> set[str]:
    names = {code.co_filename}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_files(const)
    return names


def _compiled_modules(bundle: Path) -> list[tuple[str, set[str]]]:
    """(archive member, source file names) of the compiled modules PyInstaller packed.

    The archives are compressed, so a byte search cannot see inside them.
    """
    found: list[tuple[str, set[str]]] = []
    base = next(bundle.rglob("base_library.zip"), None)
    if base is not None:
        with zipfile.ZipFile(base) as z:
            for name in z.namelist():
                if name.endswith(".pyc"):
                    code = marshal.loads(z.read(name)[16:])
                    found.append((f"base_library.zip/{name}", _code_files(code)))
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return found  # not run with the build's Python: only the byte search
    for exe in ("dvdesk", "dvdesk.exe", "dvdesk-cli.exe"):
        if not (bundle / exe).is_file():
            continue
        pyz = CArchiveReader(str(bundle / exe)).open_embedded_archive("PYZ.pyz")
        for name in pyz.toc:
            code = pyz.extract(name)
            if isinstance(code, types.CodeType):
                found.append((f"{exe}/PYZ/{name}", _code_files(code)))
        break
    return found


def hits(bundle: Path, paths: list[str]) -> list[tuple[str, str]]:
    pattern = _pattern(paths)
    wide = [(p, p.encode("utf-16-le")) for p in paths]  # Windows resources and strings
    found = []
    for file in sorted(bundle.rglob("*")):
        if not file.is_file() or file.is_symlink():
            continue
        data = file.read_bytes()
        match = pattern.search(data)
        if match:
            found.append((str(file.relative_to(bundle)), match.group(1).decode()))
            continue
        for path, needle in wide:
            if needle in data:
                found.append((str(file.relative_to(bundle)), path))
                break
    for member, sources in _compiled_modules(bundle):
        for source in sources:
            for path in paths:
                if source.startswith(path):
                    found.append((member, path))
    return found


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "dist/dvdesk")
    if not bundle.is_dir():
        print(f"check_bundle: no bundle at {bundle}", file=sys.stderr)
        return 2
    paths = host_paths()
    found = hits(bundle, paths)
    for file, path in found:
        print(f"check_bundle: {file} contains the build-host path {path}", file=sys.stderr)
    if found:
        return 1
    print(f"check_bundle: no build-host path in {bundle} (looked for {', '.join(paths)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
