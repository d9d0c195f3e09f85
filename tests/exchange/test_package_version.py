"""The dvdesk version travels in every package and shows per commune at the receiving level."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

from dvdesk import __version__
from dvdesk.exchange.merge import plan_merge
from dvdesk.exchange.package import read_package, write_package

from .conftest import TODAY


def test_the_manifest_carries_this_version(commune, tmp_path: Path) -> None:
    out = tmp_path / "00001.zip"
    write_package(commune("00001", "Xã Một", 5, 1), out)
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["app_version"] == __version__
    assert read_package(out).manifest.app_version == __version__


def test_the_merge_preview_names_each_communes_version(commune, level, tmp_path) -> None:
    packages = []
    for code, name, version in (("00001", "Xã Một", __version__), ("00002", "Phường Hai", "0.0.1")):
        out = tmp_path / f"{code}.zip"
        write_package(commune(code, name, 3, 1), out)
        package = read_package(out)
        packages.append(replace(package, manifest=replace(package.manifest, app_version=version)))
    lines = plan_merge(level, packages, TODAY).lines()
    first = next(i for i, line in enumerate(lines) if "Xã Một" in line)
    second = next(i for i, line in enumerate(lines) if "Phường Hai" in line)
    assert lines[first].endswith(f"xuất bằng dvdesk {__version__}")
    assert lines[second].endswith("xuất bằng dvdesk 0.0.1")
    warnings = [line for line in lines if "hãy đề nghị xã cập nhật" in line]
    assert len(warnings) == 1 and "0.0.1" in warnings[0]
    assert lines.index(warnings[0]) == second + 1
