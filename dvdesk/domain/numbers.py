"""Whole numbers as Vietnamese text shows them (số đếm): 120.484, not 120484 or 120,484."""

from __future__ import annotations


def grouped(n: int) -> str:
    """120484 → "120.484"; -1500 → "-1.500" (a dot between thousands)."""
    return f"{n:_}".replace("_", ".")
