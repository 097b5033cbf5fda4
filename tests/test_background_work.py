"""Background work and the lifetimes around it (``ui/widgets/tasks.py``).

- A page destroyed while its query is still running (a sign-out, a closed dialog) does
  not make the GUI thread wait for that query: its pool outlives it until the query ends.
- :func:`wait_for_jobs` waits for the work of every job on every pool, so that the
  database is closed only after the last query let go of its connection. Closing it
  under a query that waits for the one embedded connection made that query wait out the
  pool's whole timeout (60 s), and the window with it.
"""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from consult.store.database import Database
from consult.ui.widgets import tasks
from consult.ui.widgets.tasks import LatestOnly, run_in_background, wait_for_jobs

LONG_ENOUGH_S = 20.0
"""How long a job waits for the test to let it go: far longer than any step takes, so
that a job that gave up reports a GUI thread that was held."""


def test_destroying_a_page_does_not_wait_for_its_running_query(qtbot: QtBot) -> None:
    page = QWidget()
    runner = LatestOnly(page)
    started, let_go = threading.Event(), threading.Event()
    results: list[bool] = []
    saw_let_go: list[bool] = []

    def query() -> bool:
        started.set()
        saw_let_go.append(let_go.wait(LONG_ENOUGH_S))
        return True

    runner.submit(query, results.append, lambda exc: None)
    assert started.wait(LONG_ENOUGH_S)
    pool = runner.pool
    shiboken6.delete(page)  # as deleteLater() does: on the GUI thread
    let_go.set()  # only reached if deleting the page did not wait for the query
    assert wait_for_jobs(int(LONG_ENOUGH_S * 1000))
    assert saw_let_go == [True], "deleting the page held the GUI thread"
    assert pool in tasks._retired_pools, "the destroyed page's pool is kept until its query ends"
    assert pool.waitForDone(int(LONG_ENOUGH_S * 1000))
    tasks._drop_finished_pools()
    assert pool not in tasks._retired_pools
    qtbot.waitUntil(lambda: not tasks.work_pending())
    assert results == []  # the page is gone: nothing is delivered to it


def test_a_retired_pool_is_dropped_once_its_query_ends(qtbot: QtBot) -> None:
    page = QWidget()
    runner = LatestOnly(page)
    done: list[int] = []
    runner.submit(lambda: 1, done.append, lambda exc: None)
    qtbot.waitUntil(lambda: done == [1])
    pool = runner.pool
    shiboken6.delete(page)
    assert pool not in tasks._retired_pools, "an idle pool is released at once"


def test_wait_for_jobs_waits_for_work_on_every_pool(qtbot: QtBot) -> None:
    let_go = threading.Event()
    ended: list[str] = []

    def work(name: str) -> str:
        let_go.wait(LONG_ENOUGH_S)
        return name

    owner = QWidget()
    run_in_background(lambda: work("global"), ended.append, lambda exc: None)
    LatestOnly(owner).submit(lambda: work("page"), ended.append, lambda exc: None)
    tasks.run_write(lambda: work("write"), ended.append, lambda exc: None)
    assert not wait_for_jobs(50), "three jobs are still running"
    let_go.set()
    assert wait_for_jobs(int(LONG_ENOUGH_S * 1000))
    assert ended == []  # the results are delivered by the event loop
    qtbot.waitUntil(lambda: sorted(ended) == ["global", "page", "write"])
    assert not tasks.work_pending()
    shiboken6.delete(owner)


def test_a_failing_job_is_counted_as_ended(qtbot: QtBot) -> None:
    errors: list[Exception] = []

    def fail() -> None:
        raise ValueError("no")

    with qtbot.captureExceptions():
        run_in_background(fail, lambda result: None, errors.append)
        assert wait_for_jobs(int(LONG_ENOUGH_S * 1000))
    qtbot.waitUntil(lambda: len(errors) == 1)


def test_a_query_waiting_for_the_connection_ends_before_the_database_closes(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """The embedded database has one connection. A page's query that waits for it while
    a write holds it gets it once the write ends, and :func:`wait_for_jobs` returns only
    after that query ended: the database is then closed with no query left waiting."""
    holding, let_go = threading.Event(), threading.Event()
    read: list[object] = []

    def write() -> str:
        with sqlite_db.session() as session:
            session.execute(select(1))  # the one connection is now checked out
            holding.set()
            let_go.wait(LONG_ENOUGH_S)
        return "written"

    def query() -> object:
        with sqlite_db.session() as session:
            return session.execute(select(2)).scalar_one()

    tasks.run_write(write, read.append, lambda exc: None)
    assert holding.wait(LONG_ENOUGH_S)
    page = QWidget()
    LatestOnly(page).submit(query, read.append, lambda exc: None)
    shiboken6.delete(page)  # the page goes; its query still waits for the connection
    assert not wait_for_jobs(50)
    let_go.set()
    assert wait_for_jobs(int(LONG_ENOUGH_S * 1000))
    assert sqlite_db.engine.pool.checkedout() == 0  # nothing holds a connection
    qtbot.waitUntil(lambda: not tasks.work_pending())
    assert read == ["written"]  # the gone page's query delivers nothing


def test_a_page_destroyed_after_its_pool_is_no_error(qtbot: QtBot) -> None:
    """At the interpreter's exit the pools may be freed before the pages that used them."""
    page = QWidget()
    runner = LatestOnly(page)
    shiboken6.delete(runner.pool)
    shiboken6.delete(page)  # its runner's destroyed signal meets a pool already gone
    assert all(shiboken6.isValid(pool) for pool in tasks._retired_pools)
