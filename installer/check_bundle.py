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

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def host_paths() -> list[str]:
    """Build-machine folders, longest first, never shorter than 5 characters."""
    candidates = {
        str(ROOT),
        str(ROOT.resolve()),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.realpath(sys.base_prefix),
        str(Path.home()),
    }
    pyenv = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if Path(pyenv).is_dir():
        candidates.add(pyenv)
    return sorted(
        (p for p in candidates if len(p) >= 5 and p not in ("/usr", "/usr/local")),
        key=len,
        reverse=True,
    )


def hits(bundle: Path, paths: list[str]) -> list[tuple[Path, str]]:
    needles = [(p, p.encode()) for p in paths] + [(p, p.encode("utf-16-le")) for p in paths]
    found = []
    for file in sorted(bundle.rglob("*")):
        if not file.is_file() or file.is_symlink():
            continue
        data = file.read_bytes()
        for path, needle in needles:
            if needle in data:
                found.append((file.relative_to(bundle), path))
                break
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
