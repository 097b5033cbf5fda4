"""Two processes exchange one consultation on PostgreSQL (issue 19): the practitioner's
(this test) and the kiosk station's (a subprocess running the station's service calls,
signed in with the secret that ``consult kiosk --register`` kept on its workstation).
The station waits, gets the intake sent to it, answers and finishes it, and is refused
another consultation; the answers arrive at the desk and the practitioner takes them
back, as the patient's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from consult.store.database import Database
from consult.store.services import kiosk, patient_answers
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support

pytestmark = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
ROOT = Path(__file__).resolve().parent.parent

STATION = textwrap.dedent(
    """
    import json, os, sys, time
    from consult import paths
    from consult.commands import kiosk as kiosk_command
    from consult.store.database import open_database
    from consult.store.errors import PermissionDeniedError
    from consult.store.services import kiosk
    from consult.store.services.context import ServiceContext
    from consult.ui.shell.knowledge import knowledge
    from tests import factories

    dirs = paths.resolve(None)
    db = open_database(dirs, os.environ["CONSULT_DATABASE_URL"], lock=False)
    name, secret = kiosk_command.load_credential(dirs.config / kiosk_command.CREDENTIAL_FILE)
    station = kiosk.sign_in_station(ServiceContext(db, workstation="tablet"), name, secret)
    print("waiting", flush=True)
    kb = knowledge()
    deadline = time.monotonic() + 60
    while (intake := kiosk.current_intake(station)) is None:
        assert time.monotonic() < deadline, "no intake came"
        time.sleep(0.1)
    answers = factories.no_answers(intake.sex_at_birth, intake.treatment_ids, pregnant="unsure")
    first = dict(list(answers.items())[:5])
    kiosk.save_answers(station, intake.consultation_id, first, {"done": 0, "sections": 6,
                       "answered": 5, "asked": len(answers)}, kb)
    counts = {"done": 6, "sections": 6, "answered": len(answers), "asked": len(answers)}
    kiosk.finish(station, intake.consultation_id, answers, counts, kb)
    other = int(sys.argv[1])
    try:
        kiosk.save_answers(station, other, answers, counts, kb)
        refused = False
    except PermissionDeniedError:
        refused = True
    db.close()
    print(json.dumps({"consultation": intake.consultation_id, "answers": len(answers),
                      "other_refused": refused}), flush=True)
    """
)


def _wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_practitioner_and_kiosk_exchange_one_consultation(
    db: Database, ctx: ServiceContext, backend_url: str
) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    env = {**os.environ, "CONSULT_DATABASE_URL": backend_url, "QT_QPA_PLATFORM": "offscreen"}
    registered = subprocess.run(
        [sys.executable, "-m", "consult", "kiosk", "--register", "Tablet A", "--as", "boss"],
        input=factories.PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert registered.returncode == 0, registered.stderr
    _patient, info = security_support.screened(clinic, given="Ada", family="Tablet")
    _other_patient, other = security_support.screened(clinic, given="Bea", family="Elsewhere")
    station = subprocess.Popen(
        [sys.executable, "-c", STATION, str(other.id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert station.stdout is not None
        assert station.stdout.readline().strip() == "waiting"
        _wait(lambda: bool(kiosk.waiting_stations(doc)))
        [waiting] = kiosk.waiting_stations(doc)
        kiosk.send(
            doc,
            info.id,
            waiting.id,
            treatment_ids=[security_support.TREATMENT],
            answers={},
            kb=knowledge(),
        )
        _wait(lambda: kiosk.progress(doc, info.id).state == "finished")
        out, err = station.communicate(timeout=60)
    finally:
        if station.poll() is None:
            station.kill()
            station.wait()
    assert station.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["consultation"] == info.id and report["other_refused"] is True
    seen = kiosk.progress(doc, info.id)
    assert seen.answered == seen.asked == report["answers"]
    taken = kiosk.take_back(doc, info.id)
    assert len(taken.answers) == report["answers"] and taken.answers["pregnant"] == "unsure"
    given = patient_answers.record_given(doc, info.id, taken.answers, taken.language, knowledge())
    assert given.answers == taken.answers
    assert kiosk.waiting_stations(doc) == [waiting]  # waiting again (until it stopped)
