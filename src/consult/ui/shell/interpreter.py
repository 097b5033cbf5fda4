"""How the Python interpreter is tuned while the window runs, so that work on a pool
thread does not stall the GUI thread.

Two things made the window stall (benchmarks/bench_event_loop.py, issue 16) while a
pool thread ran Python (sealing a form, parsing the consent templates):

- **The cyclic garbage collector.** A full collection walks every object the
  interpreter tracks, and after start-up those are some 290,000 (the modules of Qt,
  SQLAlchemy, ReportLab, pyHanko and ours, the knowledge base). It holds the GIL
  throughout, on whichever thread triggered it, so the GUI thread waited 70–190 ms for
  it. Once the workspace's modules are imported, :func:`freeze_startup_objects` moves
  everything alive into the collector's permanent generation: these objects live as long
  as the app anyway, and a full collection then walks only what was made since
  (40,000-odd objects, a few ms).
- **Full collections at all.** Even then a full collection walks everything made
  since (a consultation's widgets, its forms' renders: 30-50 ms of CPU late in a
  consultation), and Python runs it whenever enough objects have been allocated, often
  on a pool thread sealing a form while the practitioner clicks on. With
  :func:`defer_full_collections` Python's own trigger waits ten times longer (a
  backstop), and :func:`collect_if_due` runs the collection when it is due by Python's
  usual count, called by the window once nobody has touched it for a moment
  (:class:`consult.ui.shell.quiet_collection.QuietCollection`).
- **The GIL's switch interval.** A thread that wants the GIL waits up to the switch
  interval (5 ms by default) before the running thread is asked to let it go, and the
  GUI thread needs the GIL for every Python callback it makes (each slot, event filter
  and timer). :func:`use_short_switch_interval` shortens that wait.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import Callable

_log = logging.getLogger(__name__)

SWITCH_INTERVAL_S = 0.001
"""The GIL's switch interval while the window runs (Python's default is 0.005 s)."""


def use_short_switch_interval() -> Callable[[], None]:
    """Shorten the GIL's switch interval; returns what puts the previous one back."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    def put_back() -> None:
        sys.setswitchinterval(previous)

    return put_back


FULL_COLLECTION_DUE = 10
"""A full collection is due after this many collections of the middle generation
(Python's own third threshold, ``gc.get_threshold()[2]`` by default)."""

FULL_COLLECTION_BACKSTOP = 100
"""Python's own trigger while the window runs: ten times later than due, so that a
window never touched for a moment still has its garbage collected, later."""


def defer_full_collections() -> Callable[[], None]:
    """Let Python start a full collection only at the backstop (see the module); returns
    what puts the previous thresholds back."""
    previous = gc.get_threshold()
    gc.set_threshold(previous[0], previous[1], FULL_COLLECTION_BACKSTOP)

    def put_back() -> None:
        gc.set_threshold(*previous)

    return put_back


def collect_if_due() -> bool:
    """Run a full collection now if one is due by Python's usual count; whether it ran."""
    if gc.get_count()[2] < FULL_COLLECTION_DUE:
        return False
    started = time.perf_counter()
    found = gc.collect()
    _log.debug(
        "full collection while quiet: %d unreachable, %.1f ms",
        found,
        (time.perf_counter() - started) * 1000,
    )
    return True


def freeze_startup_objects() -> None:
    """Exempt every object alive now from later garbage collections (``gc.freeze``).

    Called once the modules are imported: whatever is alive then lives for the whole
    run. Without a collection first (which would itself stall the window) the little
    cyclic garbage made by the imports stays, once, for the run.
    """
    gc.freeze()
    _log.debug("%d objects frozen out of garbage collection", gc.get_freeze_count())


def thaw_startup_objects() -> None:
    """Let the collector walk the frozen objects again (the window's run has ended)."""
    gc.unfreeze()


__all__ = [
    "FULL_COLLECTION_BACKSTOP",
    "FULL_COLLECTION_DUE",
    "SWITCH_INTERVAL_S",
    "collect_if_due",
    "defer_full_collections",
    "freeze_startup_objects",
    "thaw_startup_objects",
    "use_short_switch_interval",
]
