"""The window must survive a long day: PySide6 6.12 on CPython 3.11 drops a reference
to None on every void method call and to True/False on every signal emit (dvdesk/ui/
__init__.py gives them enough). Run in a child process: the failure is a fatal abort."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import sys
import dvdesk.ui  # noqa: F401  (the fix is applied on import)
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
n = sys.getrefcount(None) + sys.getrefcount(True) + sys.getrefcount(False)
n = min(n, 10**6) + 20000  # more calls than the references they had before the fix


class Pinger(QObject):
    ping = Signal(int)


pinger = Pinger()
pinger.ping.connect(lambda value: None)
for i in range(n):
    label.setText("x")  # a void method
    pinger.ping.emit(i)
print("survived", n)
"""


def test_void_calls_and_emits_do_not_kill_the_process():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("survived")
