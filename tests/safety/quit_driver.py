"""Open the window, start a long job, quit at a random moment; many rounds in one process.

Run as its own process (an abort must not take pytest down), under `python -X dev`
with faulthandler on, by test_window_quit.py:

    python -X dev -X faulthandler -m tests.safety.quit_driver SCENARIO DB WORK ROUNDS SEED

SCENARIO is print, import, merge or read; WORK is the sheet or package the job
reads. Exit 0 when every round quit cleanly; 3 when Qt printed a warning (listed
on stderr). An abort ("QThread: Destroyed while thread is still running",
"Fatal Python error") ends the process with its own status.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThreadPool, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvdesk.store.gateway import Store
from dvdesk.ui.app import make_app
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY, FakeDialogs, type_text

IGNORED = ("This plugin does not support",)
messages: list[str] = []


def _on_message(kind: QtMsgType, context: object, text: str) -> None:
    if kind != QtMsgType.QtDebugMsg and not text.startswith(IGNORED):
        messages.append(f"{kind.name}: {text}")
    if kind == QtMsgType.QtFatalMsg:
        sys.stderr.write(f"Qt fatal: {text}\n")


def start(scenario: str, window: MainWindow, dialogs: FakeDialogs, work: Path, out: Path) -> None:
    dialogs.answer = True  # "a job is running: stop it and quit?" → yes
    if scenario == "print":
        dialogs.paths = [str(out)]
        window.printing.checklists_of_view()
    elif scenario == "import":
        dialogs.modal_answers = [True]  # the preview: import
        window.exchange.import_sheet(str(work))
    elif scenario == "merge":
        dialogs.modal_answers = [True]
        window.exchange.merge_packages([str(work)])
    elif scenario == "read":
        for text in ("Nguyễn", "Trần Thị", "Lê", "an"):
            window.search.clear()
            type_text(window.search, text)
            QTest.qWait(5)
    else:
        raise SystemExit(f"unknown scenario {scenario}")


def one_round(scenario: str, db: Path, work: Path, rng: random.Random, i: int) -> None:
    dialogs = FakeDialogs()
    store = Store.open(db)
    window = MainWindow(store, dialogs, today=TODAY)  # type: ignore[arg-type]
    window.printing.open_viewer = False
    window.show()
    QTest.qWait(rng.randint(0, 30))
    start(scenario, window, dialogs, work, db.parent / f"in-{i}.pdf")
    QTest.qWait(rng.randint(0, 400))
    window.close()  # what Ctrl+Q does (the quit action)
    store.close()
    window.deleteLater()
    del window
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, 0)  # DeferredDelete: the window is gone now
    gc.collect()


def main() -> int:
    faulthandler.enable()
    scenario, db, work, rounds, seed = sys.argv[1:6]
    qInstallMessageHandler(_on_message)
    app = make_app()
    rng = random.Random(int(seed))
    for i in range(int(rounds)):
        one_round(scenario, Path(db), Path(work), rng, i)
    QThreadPool.globalInstance().waitForDone(30_000)
    app.processEvents()
    if messages:
        sys.stderr.write("\n".join(messages) + "\n")
        return 3
    print(f"{rounds} rounds quit cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
