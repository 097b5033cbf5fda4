"""The longest event-loop stall during a whole consultation, driven as a person does.

Builds a clinic of 100 patients in a temporary home (SQLite), starts the real main window
offscreen as the app does (the knowledge base from its cache, the workspace's modules,
the consent form's fonts and templates loaded on a pool thread once the window is shown, then
what is alive frozen out of garbage collection, the GIL's switch interval shortened), signs
the practitioner in through the sign-in page, then: types a name in the patient search,
opens the record, starts a consultation, plans two treatments with their products and
lots, answers every question asked, decides each finding (a relative one with a written
justification), reads the summary, goes on to consent, and for each treatment reads the
text to its end page by page, initials every section, answers the choices, draws both
signatures, seals, and opens the print preview (the real printer is skipped: the
preview dialog is closed once it has drawn the form).

Keys, clicks and mouse strokes are sent to the widgets; between steps the script waits
in Qt's event loop (never in ``time.sleep``), so a slow step shows as a late timer tick.
A 5 ms precise timer ticks on the GUI thread throughout: a *stall* is the gap between two
successive ticks less the 5 ms interval. Target: the longest stall at most 50 ms.

With ``--stacks``, a watchdog thread samples the GUI thread's Python stack whenever no
tick has come for 25 ms, and the longest stalls are printed with where the GUI thread
was (to find what to move off it). Garbage collections of 10 ms or more are listed
whatever thread ran them: one on a pool thread holds the GIL, and the GUI thread waits.

    uv run python benchmarks/bench_event_loop.py [--runs N] [--stacks] [--patients N]
        [--profile STEP] [--switch-interval S]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import gc
import math
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from consult import paths
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.services.context import ServiceContext
from consult.ui.shell import interpreter
from consult.ui.shell.interpreter import SWITCH_INTERVAL_S, use_short_switch_interval
from tests import factories

TICK_MS = 5
TARGET_MS = 50.0
SAMPLE_AFTER_S = 0.025
COLLECTION_SHOWN_MS = 10.0
GIVEN = ["Ana", "Ben", "Chloé", "Dev", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jonas"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Hall", "Wood", "Green", "Hughes"]
TREATMENTS = (("ha_filler", "Volbella"), ("botulinum_toxin", "Azzalure"))
JUSTIFICATION = "INR 2.4 this morning; small volume, cannula, firm pressure afterwards."


# Measuring ------------------------------------------------------------------------------


@dataclass
class Stall:
    """One gap between ticks longer than the interval."""

    ms: float
    step: str
    cpu_ms: float  # the GUI thread's own CPU time in the gap: the rest it waited
    stacks: collections.Counter[tuple[str, ...]] = field(default_factory=collections.Counter)


@dataclass
class Collection:
    """One run of Python's cyclic garbage collector that took a while: on whichever
    thread it runs it holds the GIL throughout, so the GUI thread's next Python callback
    (the tick included) waits for it."""

    ms: float
    cpu_ms: float
    generation: int
    thread: str
    step: str


class StallMeter(QObject):
    """A precise timer on the GUI thread; each gap between its ticks, less the interval,
    is a stall, credited to the step running when it ended (``step`` names it)."""

    def __init__(self, sample: bool) -> None:
        super().__init__()
        self.step = "start"
        self.stalls: list[Stall] = []
        self.collections: list[Collection] = []
        self._collecting: dict[int, tuple[float, float]] = {}
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self._samples: list[tuple[str, ...]] = []
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._running = True
        self._watchdog: threading.Thread | None = None
        if sample:
            self._watchdog = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self._timer.start()
        gc.callbacks.append(self._collected)
        if self._watchdog is not None:
            self._watchdog.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.callbacks.remove(self._collected)
        self._running = False
        if self._watchdog is not None:
            self._watchdog.join()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        stall = Stall(
            max(0.0, (now - self.last) * 1000 - TICK_MS), self.step, (cpu - self.last_cpu) * 1000
        )
        with self._lock:
            samples, self._samples = self._samples, []
        stall.stacks.update(samples)
        self.stalls.append(stall)
        self.last, self.last_cpu = now, cpu

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        """Time each garbage collection (``gc.callbacks``) on the thread it runs on."""
        thread = threading.get_ident()
        if phase == "start":
            self._collecting[thread] = (time.perf_counter(), time.thread_time())
            return
        began = self._collecting.pop(thread, None)
        if began is None:
            return
        ms = (time.perf_counter() - began[0]) * 1000
        if ms >= COLLECTION_SHOWN_MS:
            name = "GUI" if thread == threading.main_thread().ident else "pool"
            cpu_ms = (time.thread_time() - began[1]) * 1000
            self.collections.append(Collection(ms, cpu_ms, info["generation"], name, self.step))

    def _watch(self) -> None:
        """Sample the GUI thread's stack while it has not ticked for a while."""
        gui = threading.main_thread().ident
        while self._running:
            time.sleep(0.002)
            if time.perf_counter() - self.last < SAMPLE_AFTER_S:
                continue
            stack = _stack(sys._current_frames().get(gui))
            if stack:
                with self._lock:
                    self._samples.append(stack)


def _stack(frame: FrameType | None) -> tuple[str, ...]:
    """The innermost frames ("path:line function"), read at once and not kept: a frame
    held here would keep the GUI thread's locals (a QPainter) alive after their return."""
    lines: list[str] = []
    while frame is not None and len(lines) < 14:
        code = frame.f_code
        lines.append(f"{code.co_filename}:{frame.f_lineno} {code.co_name}")
        frame = frame.f_back
    del frame
    short = []
    for line in reversed(lines):
        for marker in ("/site-packages/", "/src/", "/benchmarks/"):
            if marker in line:
                line = line.split(marker, 1)[1]
                break
        short.append(line)
    return tuple(short)


# Driving --------------------------------------------------------------------------------


def pause(ms: int) -> None:
    """Let the event loop run for ``ms`` (a person's pause between two actions)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Run the event loop until ``condition()`` holds (checked every 5 ms)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        pause(5)


def click(widget: QWidget) -> None:
    """A left click in the middle of ``widget`` (it must be enabled and shown)."""
    assert widget.isEnabled() and widget.isVisible(), f"{widget.accessibleName()} not clickable"
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str, per_key_ms: int = 15) -> None:
    """Type ``text`` (ASCII) key by key, the event loop running between keys."""
    for char in text:
        QTest.keyClicks(widget, char)
        pause(per_key_ms)


def draw(widget: QWidget, points: list[tuple[float, float]]) -> None:
    """One mouse stroke on ``widget``, a few points per event-loop turn, as a hand moves."""
    left = Qt.MouseButton.LeftButton
    for index, (x, y) in enumerate(points):
        kind = QEvent.Type.MouseButtonPress if index == 0 else QEvent.Type.MouseMove
        local = QPointF(x, y)
        event = QMouseEvent(
            kind,
            local,
            QPointF(widget.mapToGlobal(local)),
            left if index == 0 else Qt.MouseButton.NoButton,
            left,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)
        if index % 4 == 3:
            pause(8)
    local = QPointF(*points[-1])
    QApplication.sendEvent(
        widget,
        QMouseEvent(
            QEvent.Type.MouseButtonRelease,
            local,
            QPointF(widget.mapToGlobal(local)),
            left,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )


def signature(widget: QWidget) -> list[tuple[float, float]]:
    """A looping, signature-like line across ``widget``."""
    width, height = widget.width(), widget.height()
    return [
        (
            20 + i * (width - 40) / 59 + 8 * math.cos(i / 3),
            height / 2 + min(25, height / 4) * math.sin(i / 3),
        )
        for i in range(60)
    ]


class Script:
    """The consultation, step by step, each step named for the report."""

    def __init__(
        self, meter: StallMeter, window: Any, patient_name: str, profile: str | None = None
    ) -> None:
        self.meter = meter
        self.window = window
        self.patient_name = patient_name
        self.steps: list[tuple[str, float]] = []
        self.profile = profile
        self.profiler: cProfile.Profile | None = None

    def step(self, name: str) -> None:
        self.end_profile()
        self.meter.step = name
        self.steps.append((name, time.perf_counter()))
        if self.profile and self.profile in name:
            self.profiler = cProfile.Profile()
            self.profiler.enable()

    def end_profile(self) -> None:
        """Print what the GUI thread spent its time on in the step just ended."""
        if self.profiler is None:
            return
        self.profiler.disable()
        print(f"== profile of {self.meter.step!r} (GUI thread)")
        pstats.Stats(self.profiler).sort_stats("cumulative").print_stats(35)
        self.profiler = None

    def sign_in(self) -> None:
        sign_in = self.window.sign_in
        self.step("sign in: type the username and password")
        click(sign_in.username)
        type_text(sign_in.username, "doc")
        QTest.keyClick(sign_in.username, Qt.Key.Key_Tab)
        type_text(sign_in.password, factories.PASSWORD)
        self.step("sign in: Return (the password is checked)")
        QTest.keyClick(sign_in.password, Qt.Key.Key_Return)
        wait_until(lambda: self.window.stack.currentWidget() is self.window.workspace, "sign-in")
        pause(300)

    def consultation(self) -> None:
        from consult.ui.consultation.page import ConsultationPage

        workspace = self.window.workspace
        patients = workspace.patients
        self.step("search: open the Patients tab")
        bar = workspace.tabBar()
        QTest.mouseClick(
            bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(workspace.indexOf(patients)).center()
        )
        wait_until(lambda: workspace.currentWidget() is patients, "the Patients tab")
        pause(100)
        self.step("search: type the name")
        type_text(patients.search, self.patient_name.lower()[:6], per_key_ms=90)
        wait_until(
            lambda: patients.model.rowCount() == 1 and patients.current() is not None,
            "the patient found",
        )
        pause(200)
        self.step("record: open the patient")
        click(patients.open_button)
        record = workspace.page("patient_record")
        wait_until(lambda: workspace.currentWidget() is record, "the patient's record")
        wait_until(lambda: record.status.text() != record.tr("Loading…"), "the record loaded")
        pause(300)
        self.step("record: start a consultation")
        click(record.start_button)
        page = workspace.page("consultation")
        assert isinstance(page, ConsultationPage)
        wait_until(
            lambda: page.wizard is not None and page.wizard.is_loaded, "the wizard loaded", 60
        )
        wizard = page.wizard
        assert wizard is not None
        pause(300)

        self.step("treatments: plan two treatments")
        treatments = wizard.treatments_page
        for index, (treatment, _product) in enumerate(TREATMENTS):
            if len(treatments.rows) <= index:
                click(treatments.add_button)
                pause(100)
            row = treatments.rows[index]
            for combo, value in ((row.treatment, treatment), (row.product, None)):
                combo.setFocus()
                wanted = combo.findData(value) if value is not None else 1
                assert wanted >= 0, f"{value} not offered"
                combo.setCurrentIndex(wanted)
                pause(120)
            if row.lot.currentData() is None:
                row.lot.setCurrentIndex(1)
                pause(120)
        self.step("treatments: Next (saved, then the intake)")
        self.next(wizard, "intake")

        self.step("intake: answer every question asked")
        intake = wizard.intake_page
        answers: dict[str, Any] = {"anticoagulants": ["warfarin"]}
        answered: set[str] = set()
        while True:
            left = [q for q in intake.asked() if q.id not in answered]
            if not left:
                break
            for question in left:
                self.answer(intake.questions[question.id], answers.get(question.id))
                answered.add(question.id)
                pause(25)
        assert intake.missing() == [], intake.missing()
        pause(500)
        self.step("intake: Next (saved and screened)")
        self.next(wizard, "screening")

        self.step("screening: decide the findings")
        while True:
            pending = [
                finding
                for box in wizard.screening_page.boxes
                for finding in box.findings
                if finding.pending and finding.isEnabled()
            ]
            if not pending:
                break
            finding = pending[0]
            if finding.justification is not None:
                click(finding.justification)
                type_text(finding.justification, JUSTIFICATION, per_key_ms=4)
            assert finding.button is not None
            click(finding.button)
            wait_until(lambda: not wizard.busy, "the decision stored")
            pause(200)
        self.step("screening: Next (the summary)")
        self.next(wizard, "summary")
        pause(400)
        self.step("summary: Go on to consent (the consent dialog opens)")
        click(wizard.consent_button)
        flow = workspace.clinical
        wait_until(lambda: flow.consent_dialog is not None, "the consent dialog")
        dialog = flow.consent_dialog
        wait_until(lambda: dialog.step is not None and dialog.step.isVisible(), "the consent step")
        pause(300)
        for number in range(1, len(TREATMENTS) + 1):
            self.consent(dialog, number)
        self.step("consent: Done (the dialog closes, the consultation too)")
        click(dialog.step.sealed_panel.continue_button)
        wait_until(lambda: flow.consent_dialog is None, "the consent dialog closed")
        wait_until(lambda: page.wizard is None, "the consultation closed")
        self.step("treatment: the charts open (the Treatment step)")
        wait_until(lambda: flow.treatment_dialog is not None, "the Treatment step")
        treatment = flow.treatment_dialog
        wait_until(lambda: treatment.is_loaded, "the charts")
        pause(300)
        # Back on the record once the step closes (before the fourth round, at once: under
        # the step).
        self.step("treatment: Close (back on the record)")
        click(treatment.buttons.button(QDialogButtonBox.StandardButton.Close))
        wait_until(lambda: flow.treatment_dialog is None, "the Treatment step closed")
        wait_until(lambda: workspace.currentWidget() is record, "back on the record")
        wait_until(lambda: record.status.text() != record.tr("Loading…"), "the record loaded")
        pause(300)

    def next(self, wizard: Any, page: str) -> None:
        click(wizard.next_button)
        wait_until(lambda: not wizard.busy and wizard.page == page, f"the {page} step")
        pause(300)

    @staticmethod
    def answer(widget: Any, value: Any) -> None:
        """Answer one question by clicking what a person clicks: "no", none, never, the
        first choice, or ``value``."""
        question = widget.question
        widget.parentWidget()  # shown in the intake's scroll area
        if question.type in ("yn", "ynu", "one"):
            wanted = value or (
                "yes"
                if question.id in factories.REASSURING_YES
                else "no"
                if question.type != "one"
                else question.value_ids[0]
            )
            button = next(b for b in widget.group.buttons() if b.property("value") == wanted)
            click_button(button)
        elif question.type == "multi":
            if value:
                for choice in value:
                    click_button(widget.boxes[choice])
            else:
                click_button(widget.none_box)
        elif question.type == "date":
            button = next(b for b in widget.group.buttons() if b.property("value") == "never")
            click_button(button)
        else:
            widget.line.setFocus()
            type_text(widget.line, "none", per_key_ms=2)

    def consent(self, dialog: Any, number: int) -> None:
        from consult.ui.consent.sealed_panel import SealedPanel

        if number > 1:
            self.step(f"consent {number}: Next treatment (the next text)")
            before = dialog.step
            click(before.sealed_panel.continue_button)
            wait_until(
                lambda: dialog.step is not None and dialog.step is not before, "the next text"
            )
            wait_until(lambda: dialog.step.isVisible(), "the next consent step shown")
            pause(300)
        step = dialog.step
        self.step(f"consent {number}: read the text page by page")
        view = step.text_view
        presses = 0
        while not view.has_reached_end():
            assert presses < 500, "the text is never read to its end"
            QTest.keyClick(view, Qt.Key.Key_PageDown)
            presses += 1
            pause(60)
        wait_until(step.patient_box.pad.isEnabled, "the patient's pad")
        self.step(f"consent {number}: initial every section")
        for edit in step.initials.values():
            step.side.ensureWidgetVisible(edit)
            click(edit)
            type_text(edit, "ZL", per_key_ms=20)
        self.step(f"consent {number}: answer the choices")
        for group in step.choices.values():
            button = next(b for b in group.buttons() if b.property("value") is True)
            step.side.ensureWidgetVisible(button)
            click_button(button)
            pause(100)
        self.step(f"consent {number}: sign (both pads)")
        for box in step.pads.values():
            step.body.ensureWidgetVisible(box.pad)
            draw(box.pad, signature(box.pad))
            pause(200)
        assert all(not box.pad.is_empty() for box in step.pads.values())
        self.step(f"consent {number}: Sign and seal (sealed, the form shown)")
        click(step.sign_button)
        wait_until(lambda: step.info is not None, "the seal", 60)
        panel = step.sealed_panel
        wait_until(lambda: panel.preview.shown > 0, "the sealed form shown", 60)
        pause(300)
        self.step(f"consent {number}: Print preview (drawn, then closed)")
        painted: list[bool] = []

        def run_preview(cls: type[SealedPanel], preview: QPrintPreviewDialog) -> bool:
            preview.paintRequested.connect(lambda _printer: painted.append(True))

            def close_when_painted() -> None:
                if painted:
                    QTimer.singleShot(300, preview.reject)
                else:
                    QTimer.singleShot(20, close_when_painted)

            QTimer.singleShot(20, close_when_painted)
            return bool(preview.exec())

        SealedPanel.run_preview = classmethod(run_preview)  # type: ignore[method-assign,assignment]
        click(panel.preview_button)
        wait_until(lambda: painted and panel.output_buttons.isEnabled(), "the preview", 60)
        pause(300)


def click_button(button: QWidget) -> None:
    """Click a radio button or check box where its box is (scrolled into view first)."""
    scroll = button.parentWidget()
    while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
        scroll = scroll.parentWidget()
    if scroll is not None:
        scroll.ensureWidgetVisible(button)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


# Setting up -----------------------------------------------------------------------------


def build(db: Database, count: int) -> list[str]:
    """Staff, a product with a lot for each treatment, ``count`` patients; returns the
    names of the patients the runs consult (each unique)."""
    ctx = ServiceContext(db)
    staff = factories.staff(ctx)
    for treatment, name in TREATMENTS:
        factories.product(ctx, staff["manager"], treatment, name)
    doctor = staff["practitioner"]
    consulted = []
    for index in range(count):
        given, family = GIVEN[index % len(GIVEN)], FAMILY[(index // len(GIVEN)) % len(FAMILY)]
        if index % 25 == 0:  # a unique name to search for
            family = f"Quill{chr(ord('a') + index // 25)}"
            consulted.append(f"{family}")
        factories.patient(
            ctx,
            doctor,
            given=given,
            family=family,
            date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=97 * index),
            phone=f"+44 7700 9{index:05d}",
            email="",
        )
    return consulted


def start_window(db: Database, home: paths.Dirs) -> Any:
    """The main window as the app starts it (consult.ui.shell.app): the knowledge base
    from its cache before the window, then, once it is shown, the workspace's modules,
    the form's fonts and the consent templates on a pool thread (``prepare_workspace``),
    what is alive then frozen out of garbage collection, and the workspace built."""
    from consult.ui.shell.app import make_application, prepare_workspace
    from consult.ui.shell.interpreter import freeze_startup_objects
    from consult.ui.shell.knowledge import knowledge, knowledge_cache, use_policy_dir
    from consult.ui.shell.main_window import MainWindow
    from consult.ui.shell.session import AppSession
    from consult.ui.widgets.tasks import run_in_background

    make_application()
    use_policy_dir(home.policy_dir, knowledge_cache(home))
    knowledge()
    window = MainWindow(AppSession(db, home))
    window.resize(1366, 860)
    window.show()
    QTest.qWaitForWindowExposed(window)
    ready: list[bool] = []

    def done(_none: object) -> None:
        freeze_startup_objects()
        window.workspace  # noqa: B018 - built now, as the app does
        ready.append(True)

    def failed(exc: Exception) -> None:
        raise exc

    run_in_background(prepare_workspace, done, failed)
    return window, ready


def report(
    stalls: list[Stall],
    collections: list[Collection],
    steps: list[tuple[str, float]],
    total: float,
    stacks: bool,
) -> None:
    """Median, p99 and max stall; the GUI thread's own CPU time in the longest gaps (what
    the code did, apart from waiting for the machine or the GIL); the worst stalls, the
    worst per step, and the garbage collections that took 10 ms or more (any thread)."""
    values = sorted(s.ms for s in stalls)
    cpu = sorted(s.cpu_ms for s in stalls)
    print(
        f"ticks {len(values)}, stall median {statistics.median(values):.2f} ms, "
        f"p99 {values[int(len(values) * 0.99)]:.1f} ms, max {values[-1]:.1f} ms "
        f"(target ≤ {TARGET_MS:.0f} ms), {sum(v > TARGET_MS for v in values)} over; "
        f"GUI thread CPU in one gap: max {cpu[-1]:.1f} ms, "
        f"{sum(c > TARGET_MS for c in cpu)} over {TARGET_MS:.0f} ms; total {total:.1f} s"
    )
    worst = sorted(stalls, key=lambda s: s.ms, reverse=True)
    shown = [s for s in worst if s.ms > TARGET_MS] if stacks else worst[:5]
    print("stalls over the target:" if stacks else "longest stalls:")
    for stall in shown:
        print(f"  {stall.ms:7.1f} ms (GUI thread CPU {stall.cpu_ms:5.1f} ms)  {stall.step}")
        if stacks:
            for stack, count in stall.stacks.most_common(2):
                print(f"           {count} sample(s):")
                for line in stack:
                    print(f"             {line}")
    per_step: dict[str, tuple[float, float]] = {}
    for stall in stalls:
        ms, cpu_ms = per_step.get(stall.step, (0.0, 0.0))
        per_step[stall.step] = (max(ms, stall.ms), max(cpu_ms, stall.cpu_ms))
    print("longest stall per step (and the most GUI-thread CPU in one gap):")
    for name, _start in steps:
        if name in per_step:
            ms, cpu_ms = per_step.pop(name)
            print(f"  {ms:7.1f} ms (CPU {cpu_ms:5.1f} ms)  {name}")
    print(f"garbage collections of {COLLECTION_SHOWN_MS:.0f} ms or more: {len(collections)}")
    for run in sorted(collections, key=lambda c: c.ms, reverse=True)[:8]:
        print(
            f"  {run.ms:7.1f} ms (CPU {run.cpu_ms:5.1f} ms) generation {run.generation} "
            f"on the {run.thread} thread  {run.step}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1, help="consultations, one after another")
    parser.add_argument("--stacks", action="store_true", help="sample the GUI thread's stack")
    parser.add_argument("--profile", metavar="STEP", help="cProfile the steps named so")
    parser.add_argument(
        "--switch-interval",
        type=float,
        metavar="S",
        help=f"the GIL's switch interval (default: the app's, {SWITCH_INTERVAL_S} s)",
    )
    args = parser.parse_args()
    home = paths.for_home(Path(tempfile.mkdtemp(prefix="consult-bench-")))
    db = open_database(home, None)
    migrate.upgrade(db)
    names = build(db, args.patients)
    print(f"{args.patients} patients; Qt platform {os.environ['QT_QPA_PLATFORM']}")

    from consult.ui.shell.app import make_application

    make_application()
    use_short_switch_interval()  # as the app's run does
    # Likewise: full collections while the window is quiet (absent from code older than
    # that, which this script also measures, on PYTHONPATH, for a before and after).
    if hasattr(interpreter, "defer_full_collections"):
        interpreter.defer_full_collections()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    meter = StallMeter(args.stacks)
    meter.start()
    started = time.perf_counter()
    meter.step = "start: the window shown"
    window, ready = start_window(db, home)
    wait_until(lambda: bool(ready), "the workspace built", 60)
    pause(500)
    script = Script(meter, window, names[0], args.profile)
    script.sign_in()
    signed_in, collected = len(meter.stalls), len(meter.collections)
    consulted = time.perf_counter()
    for run in range(args.runs):
        script.patient_name = names[run % len(names)]
        script.consultation()
    script.end_profile()
    meter.step = "end"
    finished = time.perf_counter()
    meter.stop()
    print("== start and sign-in (the sign-in page, outside the consultation)")
    report(
        meter.stalls[:signed_in],
        meter.collections[:collected],
        script.steps[:3],
        consulted - started,
        args.stacks,
    )
    print(f"== the consultation{'s' if args.runs > 1 else ''}: search to sealed forms")
    report(
        meter.stalls[signed_in:],
        meter.collections[collected:],
        script.steps[3:],
        finished - consulted,
        args.stacks,
    )
    quiet = getattr(window, "quiet_collection", None)
    print(f"full collections run while the window was quiet: {quiet.collections if quiet else 0}")
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
