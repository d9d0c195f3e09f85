"""Shared test set-up: offscreen Qt, fresh stores, no real user folders."""

from __future__ import annotations

import os

# Without a display Qt aborts the whole run (exit 134) unless told to draw offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.store.gateway import Store


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep platformdirs (default database, settings, recent files) inside the test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


def _with_units(store: Store) -> Store:
    store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
    store.units.add(Unit("THPT1", "Trường THPT Nguyễn Trãi", UnitKind.SCHOOL))
    return store


@pytest.fixture
def fresh_store() -> Iterator[Store]:
    """An in-memory store with one residential area and one school."""
    store = _with_units(Store.open(":memory:"))
    yield store
    store.close()


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[Store]:
    """An on-disk store (WAL, backups folder) with the same two units."""
    store = _with_units(Store.open(tmp_path / "xa.db"))
    yield store
    store.close()
