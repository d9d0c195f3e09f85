"""List the messages of an Inno Setup Default.isl, for tests/test_inno_messages.py.

    python installer/inno_messages.py Default.isl > tests/fixtures/inno-setup-6.3-messages.tsv

One line per message: section, name, the placeholders its English text uses
(%1..%9 and [name], [name/ver], [mb], [gb]; "-" for none) and whether it has
an Alt key ("&"). Only names and these facts are kept, not the English text.
Run it on the Default.isl of the Inno Setup version dvdesk.iss is built with
(Files/Default.isl in jrsoftware/issrc, tag is-6_3_3 for the list committed).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"%[1-9]|\[(?:name|name/ver|mb|gb)\]")
SECTIONS = ("LangOptions", "Messages", "CustomMessages")


def messages(text: str) -> list[tuple[str, str, str]]:
    """(section, name, value) for every entry of the three sections, in file order."""
    section = ""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header.group(1)
            continue
        if section in SECTIONS and "=" in line:
            name, value = line.split("=", 1)
            found.append((section, name.strip(), value))
    return found


def has_alt_key(value: str) -> bool:
    return "&" in value.replace("&&", "")


def main(path: str) -> int:
    text = Path(path).read_text(encoding="utf-8-sig")
    for section, name, value in messages(text):
        if section == "LangOptions":
            continue  # the language's own options, not messages
        placeholders = " ".join(sorted(set(PLACEHOLDER.findall(value)))) or "-"
        print(f"{section}\t{name}\t{placeholders}\t{'&' if has_alt_key(value) else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
