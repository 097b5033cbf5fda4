"""Build Consult as a one-folder bundle for the machine this runs on.

    uv run python packaging/build.py [--clean] [--distpath DIR] [--workpath DIR]

Builds the interface's translations (tools/translations.py build), runs PyInstaller with
``packaging/consult.spec`` and prints where the bundle is and how big it is:
``dist/consult/`` on Linux, ``dist/Consult/`` on Windows, ``dist/Consult.app`` on macOS.
PyInstaller does not cross-compile: build each platform's bundle on that platform. The
installers are made from the bundle afterwards (README, "Installing at a clinic"). Exit
status: 0 when the bundle was built, the failing step's status otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "consult.spec"


def bundle_path(distpath: Path) -> Path:
    """Where the spec puts the bundle on this platform."""
    if sys.platform == "darwin":
        return distpath / "Consult.app"
    if sys.platform == "win32":
        return distpath / "Consult"
    return distpath / "consult"


def executable(distpath: Path) -> Path:
    """The program to run in the bundle (the console one on Windows)."""
    if sys.platform == "darwin":
        return bundle_path(distpath) / "Contents" / "MacOS" / "Consult"
    if sys.platform == "win32":
        return bundle_path(distpath) / "consult-cli.exe"
    return bundle_path(distpath) / "consult"


def tree_size(path: Path) -> int:
    """The bytes of every file under ``path`` (symbolic links not followed)."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            total += (Path(folder) / name).lstat().st_size
    return total


def build_translations() -> int:
    """Compile the interface's translations into resources/translations (the bundle ships
    that folder); return the exit status."""
    command = [sys.executable, str(ROOT / "tools" / "translations.py"), "build"]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def build(distpath: Path, workpath: Path, clean: bool = False) -> int:
    """Build the translations, then run PyInstaller; return the first failing status."""
    status = build_translations()
    if status != 0:
        return status
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={distpath}",
        f"--workpath={workpath}",
        *(["--clean"] if clean else []),
        str(SPEC),
    ]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Build, then print the bundle's path, size and the time taken."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument(
        "--workpath", type=Path, default=ROOT / "build" / "pyinstaller", help="default: build/"
    )
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch")
    args = parser.parse_args(argv)
    distpath, workpath = args.distpath.resolve(), args.workpath.resolve()

    print(f"Building Consult {version('consult')} for {sys.platform} …", flush=True)
    started = time.monotonic()
    status = build(distpath, workpath, args.clean)
    took = time.monotonic() - started
    bundle = bundle_path(distpath)
    if status != 0 or not bundle.exists():
        print(f"build failed (PyInstaller exit status {status})", file=sys.stderr)
        return status or 1
    size = tree_size(bundle)
    print(f"bundle:     {bundle}")
    print(f"program:    {executable(distpath)}")
    print(f"size:       {size / 1e6:.1f} MB ({size} bytes)")
    print(f"build time: {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
