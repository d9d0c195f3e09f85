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
#
# Before installing it checks that this PC can run the bundle: the C library
# (glibc) must be at least the version the bundle was built against (written
# by dvdesk.spec into _internal/dvdesk-glibc-min), and the window's self-test
# (dvdesk --self-test --gui) must pass; when libGL/libEGL are missing it prints
# the exact apt-get line and installs nothing.
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

# glibc: the bundle's libraries need at least this version (e.g. 2.36).
need=$(cat "$here/_internal/dvdesk-glibc-min" 2>/dev/null || echo "")
have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}' || true)
if [ -n "$need" ]; then
    if [ -z "$have" ]; then
        echo "Không xác định được phiên bản thư viện C (glibc) của máy này; dvdesk cần glibc $need trở lên." >&2
        exit 1
    fi
    lowest=$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)
    if [ "$lowest" != "$need" ]; then
        echo "Máy này có glibc $have; dvdesk cần glibc $need trở lên, nên không chạy được ở đây." >&2
        fits=""
        for pair in "Debian 12:2.36" "Debian 13:2.41" "Ubuntu 22.04:2.35" "Ubuntu 24.04:2.39" \
                    "Linux Mint 21:2.35" "Linux Mint 22:2.39" "Fedora 37:2.36" "Fedora 41:2.40"; do
            name=${pair%:*}
            version=${pair##*:}
            if [ "$(printf '%s\n%s\n' "$need" "$version" | sort -V | head -n 1)" = "$need" ]; then
                fits="$fits, $name"
            fi
        done
        if [ -n "$fits" ]; then
            echo "Hãy dùng bản Linux mới hơn (đủ điều kiện: ${fits#, } hoặc mới hơn)." >&2
        else
            echo "Hãy dùng bản Linux có glibc $need trở lên." >&2
        fi
        exit 1
    fi
fi

# The window needs the PC's graphics libraries (libGL, libEGL): check before installing.
if ! report=$(QT_QPA_PLATFORM=offscreen "$here/dvdesk" --self-test --gui 2>&1); then
    echo "$report" >&2
    echo "Chưa cài dvdesk: máy này chưa chạy được chương trình (xem dòng “không đạt” ở trên)." >&2
    fix=$(printf '%s\n' "$report" | sed -n 's/^Hãy cài thư viện còn thiếu rồi chạy lại: //p' | head -n 1)
    if [ -n "$fix" ]; then
        echo "Hãy chạy lệnh sau (cần quyền quản trị) rồi chạy lại ./install-linux.sh:" >&2
        echo "    $fix" >&2
    fi
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
QT_QPA_PLATFORM=offscreen "$prog/dvdesk" --self-test --gui
