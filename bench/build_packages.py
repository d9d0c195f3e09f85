"""Build the merge bench's communes: COUNT demo files of MEMBERS each, one package each.

    python bench/build_packages.py FOLDER COUNT MEMBERS

Each commune has its own seed (so its own uids) and its own 5-digit code and
name, set through the CLI when it has `init`/`demo --commune-code`, else
through the store's settings. Runs in one process through dvdesk's CLI entry
point (no interpreter start per commune). Packages already in FOLDER are kept.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from dataclasses import replace
from pathlib import Path


def build(folder: Path, count: int, members: int) -> None:
    from dvdesk.cli import main as cli
    from dvdesk.store.gateway import Store

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, count + 1):
            out = folder / f"xa-{i:03d}.zip"
            if out.exists():
                continue
            db = Path(tmp) / f"xa-{i:03d}.db"
            code, name = f"{10000 + i}", f"Xã Thử {i:03d}"
            with contextlib.redirect_stdout(io.StringIO()):
                rc = cli(["demo", "--db", str(db), "--members", str(members), "--seed", str(1000 + i)])
                assert rc in (0, None), f"demo {i}: exit {rc}"
                store = Store.open(db)
                settings = store.settings.get()
                store.settings.save(replace(settings, commune_code=code, commune_name=name))
                store.close()
                partial = out.with_suffix(".part.zip")
                rc = cli(["export", "--db", str(db), "--out", str(partial), "--overwrite"])
                assert rc in (0, None), f"export {i}: exit {rc}"
            partial.rename(out)
            db.unlink()
            print(f"  {out.name}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
