"""Repeat visits through the services (issue 21), on SQLite and PostgreSQL: a consent
still valid is re-confirmed with one signature where nothing the rules read has changed,
and a full consent is asked for (saying why) where anything has."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pypdf import PdfReader

from consult.domain.reconfirmation import Change, Validity, VisitFacts, compare
from consult.domain.states import ConsultationStatus
from consult.knowledge.consent_templates import load_templates
from consult.knowledge.loader import load_knowledge
from consult.store.errors import ValidationError
from consult.store.models import Base, ConsentReconfirmation
from consult.store.services import clinic as clinic_service
from consult.store.services import consent_validity, consents, consultations, reconfirmation
from consult.store.services import patients as patient_service
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories

TEMPLATES = load_templates()
TOXIN = "botulinum_toxin"
TODAY = dt.date.today()


def signature(name: str) -> SignatureInput:
    return SignatureInput(
        name=name,
        strokes=[[{"x": 10 + i * 6, "y": 40 + (i % 5) * 7, "t": i * 16} for i in range(30)]],
        width=480,
        height=160,
        signed_at=dt.datetime.now(dt.UTC),
    )


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, ServiceContext]:
    staff = factories.staff(ctx)
    return {role: ctx.signed_in(user) for role, user in staff.items()}


class Visits:
    """A patient's visits for toxin: the first consented, then repeat visits."""

    def __init__(
        self, clinic: dict[str, ServiceContext], treatment: str = TOXIN, language: str = "en"
    ) -> None:
        self.doc = clinic["practitioner"]
        self.boss = clinic["manager"]
        self.treatment = treatment
        self.kb = knowledge()
        self.patient = patient_service.register(self.doc, factories.draft(language=language))
        self.product = factories.product_with_lot(
            self.boss, treatment, expiry=TODAY + dt.timedelta(days=800)
        )

    def screened(self, answers: dict[str, object], *, day: dt.date = TODAY, kb=None, product=None):
        kb = kb or self.kb
        product_id, lot_id = product or self.product
        info = consultations.start(self.doc, self.patient.id, day)
        info = consultations.save(
            self.doc,
            info.id,
            info.version,
            kb,
            step="intake",
            treatments=[
                {
                    "id": self.treatment,
                    "route": kb.treatment(self.treatment).routes[0],
                    "product_id": product_id,
                    "lot_id": lot_id,
                }
            ],
            answers=answers,
        )
        return consultations.run_screening(self.doc, info.id, info.version, kb)

    def consent(self, info, course: dict[str, int] | None = None):
        text = consents.consent_text(self.doc, info.id, self.treatment, TEMPLATES)
        return consents.sign(
            self.doc,
            info.id,
            self.treatment,
            template_version=text.template_version,
            initials={section.id: "ZL" for section in text.sections},
            choices={"photographs": True, "data_processing": True},
            patient_signature=signature("Zoë Lefèvre"),
            practitioner_signature=signature("Dr Dana Doe"),
            templates=TEMPLATES,
            kb=self.kb,
            **({"course": course} if course is not None else {}),
        )

    def check(self, info, kb=None):
        return reconfirmation.check(self.doc, info.id, self.treatment, TEMPLATES, kb or self.kb)

    def reconfirm(self, info, kb=None):
        return reconfirmation.reconfirm(
            self.doc,
            info.id,
            self.treatment,
            patient_signature=signature("Zoë Lefèvre"),
            templates=TEMPLATES,
            kb=kb or self.kb,
        )


def _changes(check) -> dict[Change, tuple[str, ...]]:
    return {d.change: d.items for d in check.differences}


def test_nothing_changed_one_signature_names_the_original(clinic) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN])
    original = visits.consent(visits.screened(answers))
    repeat = visits.screened(answers, day=TODAY + dt.timedelta(days=100))
    start = reconfirmation.repeat_start(visits.doc, repeat.id, [TOXIN])
    assert start is not None and set(start.valid) == {TOXIN}
    assert dict(start.answers) == answers
    check = visits.check(repeat)
    assert check.allowed, check.differences
    assert check.original is not None and check.original.id == original.id
    done = visits.reconfirm(repeat)
    assert done.consent_id == original.id and done.session_number == 2
    assert done.document_number.startswith("R-")
    # One signature: the patient's; the practitioner is named, not a second signature.
    with clinic["practitioner"].unit_of_work() as session:
        row = session.get(ConsentReconfirmation, done.id)
        assert row is not None
        record = json.loads(row.document_json)
    assert [s["role"] for s in record["signatures"]] == ["patient"]
    assert record["schema"] == "consult.reconfirmation/1"
    assert record["original"]["document_number"] == original.document_number
    assert record["original"]["document_sha256"] == original.document_sha256
    pdf = reconfirmation.pdf(visits.doc, done.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace("\n", "")
    assert original.document_number in flat
    assert original.document_sha256 in flat
    assert reconfirmation.verify(visits.boss, done.id) == []
    assert consultations.get(visits.doc, repeat.id).status == ConsultationStatus.CONSENTED
    # The same visit cannot be re-confirmed twice, nor changed afterwards.
    with pytest.raises(Exception, match="already"):
        visits.reconfirm(repeat)
    standing = consent_validity.for_patient(visits.doc, visits.patient.id)
    assert [(s.treatment_id, s.standing.sessions_done) for s in standing] == [(TOXIN, 2)]


def test_a_changed_answer_a_rule_reads_needs_full_consent(clinic) -> None:
    visits = Visits(clinic)
    visits.consent(visits.screened(factories.no_answers(treatments=[TOXIN])))
    repeat = visits.screened(factories.no_answers(treatments=[TOXIN], trying_to_conceive="yes"))
    check = visits.check(repeat)
    assert not check.allowed
    changes = _changes(check)
    assert changes[Change.ANSWER] == ("trying_to_conceive",)
    assert "toxin-trying-to-conceive" in changes[Change.FINDINGS]
    with pytest.raises(ValidationError, match="full consent"):
        visits.reconfirm(repeat)


def test_a_changed_answer_no_rule_reads_may_be_reconfirmed(clinic) -> None:
    visits = Visits(clinic)
    visits.consent(visits.screened(factories.no_answers(treatments=[TOXIN])))
    repeat = visits.screened(factories.no_answers(treatments=[TOXIN], smoker="yes"))
    assert visits.check(repeat).allowed
    assert visits.reconfirm(repeat).session_number == 2


def test_a_rule_set_change_adding_a_finding_needs_full_consent(clinic, tmp_path: Path) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN], smoker="yes")
    visits.consent(visits.screened(answers))
    (tmp_path / "board.yaml").write_text(
        "description: Stricter rules\n"
        "rules:\n"
        "  - id: clinic-smoker-toxin\n"
        "    applies_to: {treatments: [botulinum_toxin]}\n"
        '    condition: {question: smoker, equals: "yes"}\n'
        "    severity: caution\n"
        "    message: Smoker. Slower healing.\n"
        "    patient_risk: Smoking slows healing.\n"
        "    source: {text: board minute 12/2026, basis: clinic_policy}\n",
        encoding="utf-8",
    )
    stricter = load_knowledge(policy_dir=tmp_path)
    assert stricter.version != visits.kb.version
    repeat = visits.screened(answers, kb=stricter)
    check = visits.check(repeat, kb=stricter)
    assert not check.allowed
    assert _changes(check)[Change.FINDINGS] == ("clinic-smoker-toxin",)
    # The question the new rule reads changed nothing: the finding is what is new.
    assert Change.ANSWER not in _changes(check)


def test_same_rules_under_a_new_rule_set_version_may_be_reconfirmed(clinic, tmp_path) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN])
    visits.consent(visits.screened(answers))
    (tmp_path / "raise.yaml").write_text(
        "description: Stricter\noverrides:\n  - rule: toxin-body-image\n"
        "    severity: absolute\n    reason: the clinic does not treat them\n",
        encoding="utf-8",
    )
    stricter = load_knowledge(policy_dir=tmp_path)
    assert visits.check(visits.screened(answers, kb=stricter), kb=stricter).allowed


def test_expired_withdrawn_and_every_visit_need_full_consent(clinic) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN])
    original = visits.consent(visits.screened(answers))
    later = visits.screened(answers, day=TODAY + dt.timedelta(days=366))
    check = visits.check(later)
    assert _changes(check) == {Change.NOT_VALID: ("expired",)}
    assert reconfirmation.repeat_start(visits.doc, later.id, [TOXIN]) is None
    # The clinic's setting shortens it: 30 days.
    clinic_info = clinic_service.get_clinic(visits.boss)
    assert clinic_info is not None
    clinic_service.update_settings(
        visits.boss, clinic_info.version, {"consent_validity_days": {TOXIN: 30}}
    )
    soon = visits.screened(answers, day=TODAY + dt.timedelta(days=31))
    assert _changes(visits.check(soon)) == {Change.NOT_VALID: ("expired",)}
    within = visits.screened(answers, day=TODAY + dt.timedelta(days=30))
    assert visits.check(within).allowed
    # Withdrawn.
    consents.add_event(visits.doc, original.id, "withdrawn", "The patient changed her mind.")
    assert _changes(visits.check(within)) == {Change.NOT_VALID: ("withdrawn",)}
    (standing,) = consent_validity.for_patient(visits.doc, visits.patient.id)
    assert standing.standing.validity == Validity.WITHDRAWN


def test_a_treatment_consented_every_visit_is_never_reconfirmed(clinic) -> None:
    visits = Visits(clinic, "iv_vitamin_c")
    answers = factories.no_answers(treatments=["iv_vitamin_c"])
    visits.consent(visits.screened(answers))
    check = visits.check(visits.screened(answers))
    assert _changes(check) == {Change.NOT_VALID: ("every_visit",)}


def test_a_new_product_or_template_needs_full_consent(clinic) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN])
    visits.consent(visits.screened(answers))
    other = factories.product_with_lot(visits.boss, TOXIN, name="Another toxin")
    check = visits.check(visits.screened(answers, product=other))
    assert Change.PRODUCT in _changes(check)


def test_turning_18_is_a_change_a_rule_reads() -> None:
    born = TODAY.replace(year=TODAY.year - 18) + dt.timedelta(days=2)

    def facts(day: dt.date) -> VisitFacts:
        return VisitFacts(born, day, {}, frozenset(), "1", 1, "intramuscular")

    crossed = compare(
        facts(TODAY), facts(TODAY + dt.timedelta(days=5)), reads=frozenset(), ages=frozenset({18})
    )
    assert [(d.change, d.items) for d in crossed] == [(Change.AGE, ("18",))]
    assert not compare(facts(TODAY), facts(TODAY), reads=frozenset(), ages=frozenset({18}))


def test_the_validity_setting_is_checked(clinic) -> None:
    boss = clinic["manager"]
    info = clinic_service.get_clinic(boss)
    assert info is not None
    for wrong in ({"no_such_treatment": 3}, {TOXIN: -1}, {TOXIN: "a year"}, [365]):
        with pytest.raises(ValidationError):
            clinic_service.update_settings(boss, info.version, {"consent_validity_days": wrong})
    clinic_service.update_settings(boss, info.version, {"consent_validity_days": {TOXIN: 120}})
    assert clinic_service.settings(boss)["consent_validity_days"] == {TOXIN: 120}


def test_the_model_matches_the_migration(db) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diffs = [
            d
            for d in compare_metadata(context, Base.metadata)
            if "consent_reconfirmation" in repr(d)
        ]
    assert diffs == []


def test_a_course_counts_its_sessions_and_refuses_beyond_them(clinic) -> None:
    visits = Visits(clinic, "microneedling")
    answers = factories.no_answers(treatments=["microneedling"])
    with pytest.raises(ValidationError, match="sessions"):
        visits.consent(visits.screened(answers), course={"sessions": 7, "weeks": 12})
    first = visits.screened(answers)
    original = visits.consent(first, course={"sessions": 3, "weeks": 12})
    sessions = []
    for week in (4, 8):
        repeat = visits.screened(answers, day=TODAY + dt.timedelta(weeks=week))
        sessions.append(visits.reconfirm(repeat).session_number)
    assert sessions == [2, 3]
    (standing,) = consent_validity.for_patient(visits.doc, visits.patient.id)
    assert standing.consent.id == original.id
    assert standing.standing.validity == Validity.COURSE_COMPLETE
    assert standing.standing.sessions_done == 3
    fourth = visits.screened(answers, day=TODAY + dt.timedelta(weeks=10))
    assert _changes(visits.check(fourth)) == {Change.NOT_VALID: ("course_complete",)}
    with pytest.raises(ValidationError, match="full consent"):
        visits.reconfirm(fourth)


def test_a_course_lasts_its_weeks_and_only_where_the_template_allows_one(clinic) -> None:
    visits = Visits(clinic, "microneedling")
    answers = factories.no_answers(treatments=["microneedling"])
    visits.consent(visits.screened(answers), course={"sessions": 6, "weeks": 4})
    late = visits.screened(answers, day=TODAY + dt.timedelta(weeks=5))
    assert _changes(visits.check(late)) == {Change.NOT_VALID: ("expired",)}
    toxin = Visits(clinic)
    with pytest.raises(ValidationError, match="course"):
        toxin.consent(
            toxin.screened(factories.no_answers(treatments=[TOXIN])),
            course={"sessions": 2, "weeks": 12},
        )


def test_a_japanese_patients_reconfirmation_is_printed_in_japanese(clinic) -> None:
    """The form is in the record's language: its labels, the treatment's name, the
    statement, dates the Japanese way and times on the clinic's clock (JST)."""
    clinic_info = clinic_service.get_clinic(clinic["manager"])
    assert clinic_info is not None
    clinic_service.update_settings(
        clinic["manager"], clinic_info.version, {"time_zone": "Asia/Tokyo"}
    )
    visits = Visits(clinic, language="ja")
    answers = factories.no_answers(treatments=[TOXIN])
    original = visits.consent(visits.screened(answers))
    repeat = visits.screened(answers, day=TODAY + dt.timedelta(days=100))
    done = visits.reconfirm(repeat)
    with clinic["practitioner"].unit_of_work() as session:
        row = session.get(ConsentReconfirmation, done.id)
        assert row is not None
        record = json.loads(row.document_json)
    ja = visits.kb.texts("ja")
    assert record["language"] == "ja"
    assert record["treatment"]["name"] == ja.label("treatment", TOXIN).text != "Botulinum toxin"
    assert record["statement"].startswith("私は、")
    pdf = reconfirmation.pdf(visits.doc, done.id)
    reader = PdfReader(io.BytesIO(pdf))
    flat = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "同意の再確認書" in flat and "この書面が再確認する同意" in flat
    assert record["treatment"]["name"] in flat
    assert "本日の施術についてその同意を確認します" in flat.replace(" ", "")
    day = repeat.consultation_date
    assert f"{day.year}年{day.month}月{day.day}日" in flat
    assert "JST" in flat
    assert original.document_number in flat and original.document_sha256 in flat
    assert "Re-confirmation" not in flat and "Screened again" not in flat
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    assert reconfirmation.verify(visits.boss, done.id) == []


def test_an_english_patients_reconfirmation_stays_in_english(clinic) -> None:
    visits = Visits(clinic)
    answers = factories.no_answers(treatments=[TOXIN])
    visits.consent(visits.screened(answers))
    done = visits.reconfirm(visits.screened(answers, day=TODAY + dt.timedelta(days=100)))
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(reconfirmation.pdf(visits.doc, done.id))).pages
    )
    assert "Re-confirmation of consent" in text and "Screened again today" in text
    assert "I have confirmed that my health" in text


def test_section_confirmations_are_kept_with_the_draft_and_checked(clinic) -> None:
    visits = Visits(clinic)
    kb = visits.kb
    info = consultations.start(visits.doc, visits.patient.id)
    first, second = kb.sections[0].id, kb.sections[1].id
    saved = consultations.save(
        visits.doc,
        info.id,
        info.version,
        kb,
        section_confirmations={first: "unchanged", second: "update"},
    )
    assert consultations.get(visits.doc, info.id).section_confirmations == {
        first: "unchanged",
        second: "update",
    }
    for wrong in ({"no_such_section": "unchanged"}, {first: "maybe"}):
        with pytest.raises(ValidationError) as refused:
            consultations.save(visits.doc, info.id, saved.version, kb, section_confirmations=wrong)
        assert refused.value.field == "section_confirmations"
    cleared = consultations.save(visits.doc, info.id, saved.version, kb, section_confirmations={})
    assert cleared.section_confirmations == {}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_consent_form_prints_the_planned_course(clinic, language: str) -> None:
    visits = Visits(clinic, "microneedling", language=language)
    answers = factories.no_answers(treatments=["microneedling"])
    course = visits.consent(visits.screened(answers), course={"sessions": 5, "weeks": 20})
    single = visits.consent(visits.screened(answers, day=TODAY + dt.timedelta(days=1)))

    def text(consent_id: int) -> str:
        pdf = consents.pdf(visits.doc, consent_id)
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")

    printed = {
        "en": ("Planned course", "5 sessions over 20 weeks"),
        "ja": ("予定するコース", "20週間で5回"),
    }
    label, plan = printed[language]
    assert label in text(course.id) and plan in text(course.id)
    assert label not in text(single.id)
