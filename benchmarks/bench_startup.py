"""Start-up: how long until the sign-in window is on screen, and the command line.

    cd /work/main && uv run python benchmarks/bench_startup.py [--runs 15]

Whole processes, side by side in one run, with bytecode cached (a warm-up run of each
first; ``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment):

- process start to the sign-in window first on screen (``CONSULT_STARTUP_PROBE``: the
  app prints the monotonic clock once the window is exposed and painted), against a bare
  PySide6 process that shows a window the same way (offscreen Qt); and to the window
  ready to sign in (the database opened behind it and Sign in enabled: the probe's
  second line, then the app quits; a program that opens the database before its window
  prints no second line, and is ready when shown);
- ``consult --version`` and ``consult screen FILE`` (a full intake, all eleven
  treatments) against ``python -c pass``;
- in this process: loading the knowledge base with an empty cache and from the cache.

The app runs on a demo clinic in a temporary home (made first with ``consult demo
--no-gui``), so the sign-in page is the one shown.

Targets: window <= 2.5 x the bare window; --version <= 0.15 s; screen <= 0.4 s; knowledge
from the cache <= 30 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_screening import INTAKE

PROBE_PREFIX = "consult-startup-probe shown "
READY_PREFIX = "consult-startup-probe ready "

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Consult")
window.resize(1280, 800)
window.setCentralWidget(QLabel("Sign in", window))
window.show()


def shown():
    print(f"consult-startup-probe shown {time.monotonic():.6f}", flush=True)
    window.close()


class Probe(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and not self.seen:
            self.seen = True
            QTimer.singleShot(0, shown)
        return False


probe = Probe()
window.windowHandle().installEventFilter(probe)
sys.exit(app.exec())
"""

TARGET_WINDOW_RATIO = 2.5
TARGET_VERSION_S = 0.15
TARGET_SCREEN_S = 0.4
TARGET_KNOWLEDGE_MS = 30.0


def consult_command() -> list[str]:
    """The installed ``consult`` script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("consult")
    return [str(script)] if script.exists() else [sys.executable, "-m", "consult"]


def child_environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "CONSULT_DATABASE_URL", "CONSULT_STARTUP_PROBE"):
        env.pop(name, None)
    env.update(
        CONSULT_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        CONSULT_STARTED_FROM="terminal",
    )
    return env


def run(command: list[str], env: dict[str, str]) -> float:
    """Wall time of a whole process, in seconds (it must succeed)."""
    start = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
    return elapsed


def until_shown_and_ready(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting the process to its window on screen (the probe's first
    line), and to the window ready to sign in (its second line; the first if none)."""
    start = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    out = result.stdout.splitlines()
    shown = [line[len(PROBE_PREFIX) :] for line in out if line.startswith(PROBE_PREFIX)]
    ready = [line[len(READY_PREFIX) :] for line in out if line.startswith(READY_PREFIX)]
    if result.returncode != 0 or not shown:
        raise SystemExit(
            f"{' '.join(command)}: no window ({result.returncode}): {result.stdout}{result.stderr}"
        )
    return float(shown[0]) - start, float((ready or shown)[0]) - start


def until_shown(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its window on screen (the probe's line)."""
    return until_shown_and_ready(command, env)[0]


def summary(seconds: list[float]) -> str:
    return (
        f"median {statistics.median(seconds) * 1000:7.0f} ms "
        f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f})"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def knowledge_loads(runs: int) -> tuple[float, list[float]]:
    """The knowledge base loaded with an empty cache (ms), then from the cache (ms each)."""
    from consult.knowledge.loader import load_knowledge

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        start = time.perf_counter()
        load_knowledge(cache_dir=cache)
        miss = (time.perf_counter() - start) * 1000
        hits = []
        for _ in range(runs):
            start = time.perf_counter()
            load_knowledge(cache_dir=cache)
            hits.append((time.perf_counter() - start) * 1000)
    return miss, hits


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="consult-bench-startup-"))
    try:
        home = folder / "home"
        env = child_environment(home)
        consult = consult_command()
        intake = folder / "intake.json"
        intake.write_text(json.dumps(INTAKE), encoding="utf-8")
        print(f"making a demo clinic in {home} …", flush=True)
        run([*consult, "demo", "--no-gui"], env)
        probe_env = dict(env, CONSULT_STARTUP_PROBE="1")

        ready: list[float] = []

        def sign_in_window() -> float:
            shown, ready_at = until_shown_and_ready(consult, probe_env)
            ready.append(ready_at)
            return shown

        measures: dict[str, Callable[[], float]] = {
            "bare PySide6 window": lambda: until_shown([sys.executable, "-c", BARE_WINDOW], env),
            "consult: sign-in window": sign_in_window,
            "python -c pass": lambda: run([sys.executable, "-c", "pass"], env),
            "consult --version": lambda: run([*consult, "--version"], env),
            "consult screen FILE": lambda: run([*consult, "screen", str(intake)], env),
        }
        for measure in measures.values():  # bytecode, the knowledge cache, the day's backup
            measure()
        times: dict[str, list[float]] = {name: [] for name in measures}
        ready.clear()  # the warm-up's
        for _ in range(args.runs):  # interleaved, so that load on the machine hits all alike
            for name, measure in measures.items():
                times[name].append(measure())
        times["consult: ready to sign in"] = ready
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    miss, hits = knowledge_loads(args.runs)

    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} runs each\n")
    for name, seconds in times.items():
        print(f"{name:26} {summary(seconds)}")
    bare = statistics.median(times["bare PySide6 window"])
    window = statistics.median(times["consult: sign-in window"])
    version = statistics.median(times["consult --version"])
    screen = statistics.median(times["consult screen FILE"])
    knowledge = statistics.median(hits)
    ratio = window / bare
    ready_ratio = statistics.median(times["consult: ready to sign in"]) / bare
    print(f"\nready to sign in: {ready_ratio:.2f} x the bare window (no target)")
    print(f"\nknowledge base, empty cache: {miss:.0f} ms (in this process, imports included)")
    print(
        f"knowledge base from the cache: median {knowledge:.1f} ms "
        f"(min {min(hits):.1f}, max {max(hits):.1f})"
    )
    checks = [
        (
            f"sign-in window {ratio:.2f} x the bare window (target <= {TARGET_WINDOW_RATIO})",
            ratio <= TARGET_WINDOW_RATIO,
        ),
        (
            f"--version {version:.3f} s (target <= {TARGET_VERSION_S} s)",
            version <= TARGET_VERSION_S,
        ),
        (f"screen {screen:.3f} s (target <= {TARGET_SCREEN_S} s)", screen <= TARGET_SCREEN_S),
        (
            f"knowledge from the cache {knowledge:.1f} ms (target <= {TARGET_KNOWLEDGE_MS:.0f} ms)",
            knowledge <= TARGET_KNOWLEDGE_MS,
        ),
    ]
    print()
    for text, ok in checks:
        print(f"{verdict(ok):6} {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
