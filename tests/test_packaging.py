"""Packaging: the wheel carries the data files, the Linux metadata agrees with the package,
and (slow, opt-in) the PyInstaller bundle builds and runs.

The bundle test builds ``packaging/consult.spec`` into a temporary directory (about a
minute on two cores) and runs the frozen program offscreen. It runs only on Linux and
only with ``CONSULT_PACKAGING_TEST=1``:

    CONSULT_PACKAGING_TEST=1 uv run pytest tests/test_packaging.py
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from configparser import ConfigParser
from pathlib import Path

import pytest

from consult import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "src" / "consult" / "store" / "migrations"
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def files_under(folder: Path) -> set[str]:
    """Every shipped file under ``folder``, relative and with forward slashes."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


# --- the wheel ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("consult-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_every_resource(wheel_names: set[str]) -> None:
    missing = {
        name for name in files_under(RESOURCES) if f"consult/resources/{name}" not in wheel_names
    }
    assert not missing
    for pattern in ("knowledge/*.yaml", "consent/*.yaml", "fonts/*.ttf", "icons/consult-*.png"):
        folder, suffix = pattern.split("*")
        assert any(
            name.startswith(f"consult/resources/{folder}") and name.endswith(suffix)
            for name in wheel_names
        ), pattern


def test_the_wheel_carries_the_migrations_as_source_files(wheel_names: set[str]) -> None:
    shipped = files_under(MIGRATIONS)
    assert {"env.py", "script.py.mako"} <= shipped
    assert any(name.startswith("versions/") and name.endswith(".py") for name in shipped)
    missing = {name for name in shipped if f"consult/store/migrations/{name}" not in wheel_names}
    assert not missing


# --- icons and the Linux metadata ---------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_icon_set_is_complete() -> None:
    icons = RESOURCES / "icons"
    assert (icons / "consult.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in ICON_SIZES:
        assert png_size(icons / f"consult-{size}.png") == (size, size)
    ico = (icons / "consult.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"
    assert struct.unpack("<H", ico[4:6])[0] >= 5
    icns = (icons / "consult.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_the_desktop_file_and_metainfo_agree_with_the_package() -> None:
    desktop = ConfigParser(interpolation=None)
    desktop.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "consult"

    component = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == __version__, (
        "add a <release> for this version to the metainfo file"
    )


# --- the bundle (slow, opt-in) ------------------------------------------------------------

bundle_test = pytest.mark.skipif(
    os.environ.get("CONSULT_PACKAGING_TEST") != "1" or not sys.platform.startswith("linux"),
    reason="builds the PyInstaller bundle: set CONSULT_PACKAGING_TEST=1 (Linux only)",
)

# An intake file (docs/clinical-knowledge.md): a patient with a neuromuscular disorder,
# planned for toxin.
SAMPLE_INTAKE = {
    "patient": {"date_of_birth": "1986-05-10", "sex_at_birth": "female"},
    "consultation_date": "2026-11-21",
    "jurisdiction": "GB",
    "practitioner": {"qualification": "doctor"},
    "clinic": {"regenerative_medicine_plan": None},
    "treatments": [{"id": "botulinum_toxin"}],
    "answers": {
        "pregnant": "no",
        "breastfeeding": "no",
        "trying_to_conceive": "no",
        "cancer_history": "no",
        "autoimmune_disease": "no",
        "immunosuppressed": "no",
        "neuromuscular_disorder": "yes",
        "bleeding_disorder": "no",
        "platelet_disorder": "no",
        "current_illness_or_fever": "no",
        "kidney_disease": "no",
        "heart_disease": "no",
        "liver_disease": "no",
        "g6pd_deficiency": "no",
        "haemochromatosis": "no",
        "recent_dental_or_vaccine": "no",
        "anticoagulants": [],
        "bleeding_supplements": [],
        "systemic_steroids_recent": "no",
        "aminoglycosides_current": "no",
        "photosensitising_medication": "no",
        "isotretinoin_last_date": None,
        "topical_retinoid_last_date": None,
        "allergies": [],
        "anaphylaxis_history": "no",
        "active_skin_infection": "no",
        "inflammatory_skin_flare": "no",
        "cold_sore_history": "no",
        "keloid_history": "no",
        "recent_sunburn": "no",
        "fitzpatrick_type": "II",
        "last_resurfacing_date": None,
        "permanent_filler_in_area": "no",
        "smoker": "no",
        "body_image_concern": "no",
    },
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the bundle into a temporary directory; the path of its program."""
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "build.py"),
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "size:" in result.stdout
    program = work / "dist" / "consult" / "consult"
    assert program.is_file()
    yield program


def frozen_env() -> dict[str, str]:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONSULT_HOME", "CONSULT_DATABASE_URL", "PYTHONPATH"):
        environment.pop(name, None)
    return environment


def run(program: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        env=frozen_env(),
        cwd=cwd,  # not the checkout: the bundle must not find resources/ by accident
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@bundle_test
def test_the_bundle_runs_the_commands(bundle: Path, tmp_path: Path) -> None:
    version = run(bundle, "--version", cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"consult {__version__}"

    home = tmp_path / "home"
    demo = run(bundle, "--home", str(home), "demo", "--no-gui", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "demo clinic" in demo.stdout
    assert (home / "data" / "consult.sqlite3").is_file()
    status = run(bundle, "--home", str(home), "db", "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "(current)" in status.stdout
    verify = run(bundle, "--home", str(home), "verify", cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps(SAMPLE_INTAKE), encoding="utf-8")
    frozen = run(bundle, "--home", str(home), "screen", str(intake), cwd=tmp_path)
    assert frozen.returncode == 0, frozen.stderr
    result = json.loads(frozen.stdout)
    assert [entry["treatment"] for entry in result["results"]] == ["botulinum_toxin"]
    # The same rules (rule set version) and the same answer as the program from source.
    source = subprocess.run(
        [sys.executable, "-m", "consult", "--home", str(home), "screen", str(intake)],
        capture_output=True,
        text=True,
        env=frozen_env(),
        timeout=120,
        check=False,
    )
    assert source.returncode == 0, source.stderr
    assert result == json.loads(source.stdout)


@pytest.mark.slow
@bundle_test
def test_the_bundle_starts_the_app_offscreen(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(bundle, "--home", str(home), "demo", "--no-gui", cwd=tmp_path).returncode == 0
    app = subprocess.Popen(
        [str(bundle), "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=frozen_env(),
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.2)
        still_running = app.poll() is None
    finally:
        app.terminate()
        _out, err = app.communicate(timeout=30)
    assert still_running, f"the app exited with {app.returncode}: {err}"
    assert "Could not load the Qt platform plugin" not in err
