#!/bin/sh
# Install dvdesk for the current user from the one-folder bundle; no root needed.
#
#   ./install-linux.sh               install (or upgrade) from the folder this script is in
#   ./install-linux.sh --uninstall   remove the program, its menu entry and icons
#
# The program goes to ~/.local/opt/dvdesk, the menu entry to
# ~/.local/share/applications, the icons to ~/.local/share/icons/hicolor.
# The data file and its backups (~/.local/share/dvdesk) are never touched:
# not by an upgrade, not by --uninstall.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
share=${XDG_DATA_HOME:-$HOME/.local/share}
prog=$HOME/.local/opt/dvdesk
link=$HOME/.local/bin/dvdesk
menu=$share/applications/dvdesk.desktop
icons=$share/icons/hicolor
sizes="16 32 48 64 128 256"

refresh_menu() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prog"
    rm -f "$menu" "$icons/scalable/apps/dvdesk.svg"
    for s in $sizes; do rm -f "$icons/${s}x${s}/apps/dvdesk.png"; done
    if [ -L "$link" ]; then rm -f "$link"; fi
    refresh_menu
    echo "Đã gỡ dvdesk. Dữ liệu và các bản sao lưu vẫn giữ nguyên trong “$share/dvdesk”."
    exit 0
fi

if [ ! -x "$here/dvdesk" ] || [ ! -d "$here/_internal/resources" ]; then
    echo "Không thấy chương trình dvdesk cạnh tệp cài đặt này (“$here”)." >&2
    exit 1
fi

# Replace the whole program folder so an upgrade leaves no stale library behind.
if [ "$here" != "$prog" ]; then
    rm -rf "$prog"
    mkdir -p "$(dirname "$prog")"
    cp -a "$here" "$prog"
fi

mkdir -p "$(dirname "$link")" "$(dirname "$menu")" "$icons/scalable/apps"
ln -sfn "$prog/dvdesk" "$link"
res=$prog/_internal/resources/icons
for s in $sizes; do
    mkdir -p "$icons/${s}x${s}/apps"
    cp "$res/dvdesk-$s.png" "$icons/${s}x${s}/apps/dvdesk.png"
done
cp "$res/dvdesk.svg" "$icons/scalable/apps/dvdesk.svg"
# Exec gets the full path: a menu launched at login may not have ~/.local/bin on PATH.
sed "s|^Exec=.*|Exec=\"$prog/dvdesk\"|" "$prog/dvdesk.desktop" > "$menu"
refresh_menu

echo "Đã cài dvdesk vào “$prog” (menu Văn phòng → dvdesk)."
echo "Dữ liệu sẽ nằm ở “$share/dvdesk”, bản sao lưu ở “$share/dvdesk/backups”."
"$prog/dvdesk" --self-test
