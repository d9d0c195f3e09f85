"""The PySide6 window; the only package that imports Qt."""

from __future__ import annotations

import sys


def _keep_singletons_alive() -> None:
    """PySide6 6.12 on CPython 3.11 returns None from every void method, and True or
    False from a signal's emit(), without the reference it owes: each call takes one
    reference away, and the window died with "Fatal Python error: none_dealloc" after
    about 175 row clicks (75 void calls each). CPython 3.12 made these objects
    immortal (PEP 683); here they get so many references that no session can use them
    up, which is what immortality amounts to.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is a PyObject's first field (Include/object.h, CPython 3.11).
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 48


_keep_singletons_alive()
