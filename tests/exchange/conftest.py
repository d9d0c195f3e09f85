"""Communes with demo data, exported packages and a receiving-level store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from dvdesk import demo
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)


def make_commune(path: Path, code: str, name: str, n: int, seed: int) -> Store:
    store = Store.open(path)
    settings = store.settings.get()
    settings.commune_code, settings.commune_name = code, name
    store.settings.save(settings)
    demo.build(store, n, seed=seed, today=TODAY)
    return store


@pytest.fixture
def commune(tmp_path: Path) -> Callable[..., Store]:
    """Factory: an on-disk commune database with `n` demo members."""
    opened: list[Store] = []

    def factory(code: str = "00001", name: str = "Xã Một", n: int = 60, seed: int = 1) -> Store:
        store = make_commune(tmp_path / f"xa-{code}.db", code, name, n, seed)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def level(tmp_path: Path) -> Iterator[Store]:
    """The receiving level's (empty) consolidated database."""
    store = Store.open(tmp_path / "tong-hop.db")
    yield store
    store.close()
