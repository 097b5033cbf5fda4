"""PyInstaller's own QtGui hook, less the Qt plugins Consult never loads.

Dropped here, before PyInstaller resolves their libraries, so what only they need stays
out too: the GTK 3 platform theme (it would load the workstation's GTK against the
bundle's older or newer cairo, pango and GLib; Qt's own style and the XDG portal theme
remain) and the platforms and input plugins for kiosks and embedded screens (EGLFS,
framebuffer, VNC, Vulkan display, evdev and TUIO input). The desktop platforms (xcb,
Wayland, Windows, Cocoa), offscreen and minimal stay.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED_DIRS = ("egldeviceintegrations", "generic")
DROPPED_PLUGINS = (
    "libqgtk3",
    "libqeglfs",
    "libqlinuxfb",
    "libqvnc",
    "libqvkkhrdisplay",
    "libqminimalegl",
)


def _kept(source: str) -> bool:
    path = Path(source)
    if path.parent.name in DROPPED_DIRS and path.parent.parent.name == "plugins":
        return False
    return not path.name.startswith(DROPPED_PLUGINS)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if _kept(source)]
