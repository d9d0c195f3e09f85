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
    with contextlib.redirect_stdout(io.StringIO()) as help_text, contextlib.suppress(SystemExit):
        cli(["demo", "--help"])
    with_codes = "--commune-code" in help_text.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, count + 1):
            out = folder / f"xa-{i:03d}.zip"
            if out.exists():
                continue
            db = Path(tmp) / f"xa-{i:03d}.db"
            code, name = f"{10000 + i}", f"Xã Thử {i:03d}"
            demo = ["demo", "--db", str(db), "--members", str(members), "--seed", str(1000 + i)]
            with contextlib.redirect_stdout(io.StringIO()):
                if with_codes:
                    rc = cli([*demo, "--commune-code", code, "--commune-name", name])
                else:
                    rc = cli(demo)
                assert rc in (0, None), f"demo {i}: exit {rc}"
                store = Store.open(db)
                if not with_codes:
                    settings = store.settings.get()
                    store.settings.save(replace(settings, commune_code=code, commune_name=name))
                key = signing_fingerprint(store)
                store.close()
                if key:
                    with open(folder / "keys.txt", "a", encoding="utf-8") as keys:
                        keys.write(key + "\n")
                partial = out.with_suffix(".part.zip")
                rc = cli(["export", "--db", str(db), "--out", str(partial), "--overwrite"])
                assert rc in (0, None), f"export {i}: exit {rc}"
            partial.rename(out)
            db.unlink()
            print(f"  {out.name}", file=sys.stderr, flush=True)


def signing_fingerprint(store: object) -> str:
    """The short code a receiving officer confirms for this commune's key ('' before signing)."""
    try:
        from dvdesk.exchange.signing import fingerprint
    except ImportError:
        return ""
    return str(fingerprint(store.packages.signing_key()[1]))  # type: ignore[attr-defined]


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
