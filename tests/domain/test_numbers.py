"""Whole numbers the Vietnamese way (số đếm), checked against Python's own grouping."""

from __future__ import annotations

import pytest

from dvdesk.domain.numbers import grouped


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (120484, "120.484"),
        (-1500, "-1.500"),
        (1_000_000, "1.000.000"),
    ],
)
def test_grouped(n, text):
    assert grouped(n) == text
    assert grouped(n) == format(n, ",").replace(",", ".")  # an independent spelling
