"""Render the app icon's PNG sizes and the Windows .ico from resources/icons/dvdesk.svg.

Build-time only (`make icons`); the rendered files are committed, so neither
rsvg-convert (Debian: librsvg2-bin) nor this script is needed to run or bundle dvdesk.
Pillow comes with reportlab, so the .ico needs nothing extra.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path = ICONS / "dvdesk.svg", out: Path = ICONS) -> list[Path]:
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        sys.exit("rsvg-convert not found: apt-get install librsvg2-bin")
    pngs = []
    for size in SIZES:
        png = out / f"dvdesk-{size}.png"
        subprocess.run(
            [rsvg, "-w", str(size), "-h", str(size), str(svg), "-o", str(png)], check=True
        )
        pngs.append(png)
    from PIL import Image

    # Each size is drawn from the SVG, not scaled down from 256, so 16 px stays crisp.
    images = [Image.open(p).convert("RGBA") for p in pngs]
    ico = out / "dvdesk.ico"
    images[-1].save(ico, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    return [*pngs, ico]


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ICONS.parent.parent))
