"""The window's real exit path: `dvdesk.ui.app.run`, background reads in flight, Ctrl+Q.

    python -X dev -X faulthandler -m tests.safety.exit_driver DB SEED [--no-pool-wait]

Starts the window as `dvdesk --db DB` does, fires a burst of background reads
(the kind the table and the view counts make), presses the quit shortcut a
random moment later and lets the process end as the program does. An abort or
crash during shutdown ends the process with its own status; exit 0 otherwise.
`--no-pool-wait` takes out run()'s wait for Qt's thread pool, to see what it prevents.
"""

from __future__ import annotations

import faulthandler
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dvdesk.ui import app as ui_app
from dvdesk.ui.main_window import MainWindow


def _window() -> MainWindow | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return found[0] if found else None


def main() -> int:
    faulthandler.enable()
    db, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    qt = ui_app.make_app()
    if "--no-pool-wait" in sys.argv:

        class _NoWait:
            @staticmethod
            def globalInstance() -> _NoWait:
                return _NoWait()

            def waitForDone(self, ms: int) -> bool:
                return True

        ui_app.QThreadPool = _NoWait  # type: ignore[misc,assignment]

    def reads() -> None:
        window = _window()
        if window is None:
            QTimer.singleShot(50, reads)
            return
        for _ in range(12):
            window.jobs.read(
                lambda store: [bool(r["uid"]) for r in store.members.list()],
                lambda result: None,
            )
        QTimer.singleShot(rng.randint(0, 60), window.quit_action.trigger)

    QTimer.singleShot(200, reads)
    code = ui_app.run(db)
    del qt
    return code


if __name__ == "__main__":
    sys.exit(main())
