"""A printed copy stays an archival PDF like the sealed form (PDF/A-3b: the XMP's
identification, the sRGB output intent, the embedded record), and its metadata says
which copy it is and when it was printed, in the information dictionary and the XMP
alike. So do reception's preview (the identity and signature pages) and the VOID and
WITHDRAWN copies."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pikepdf.pdfa
import pytest

from consult.documents import copies, pdfa
from consult.documents.consent_pdf import CopyMark
from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import security_support

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, ServiceContext]:
    return security_support.contexts(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def record(clinic: dict[str, ServiceContext]) -> consents.ConsentInfo:
    _, _, info = security_support.signed_consent(clinic)
    return info


def _sealed(db: Database, consent_id: int) -> tuple[bytes, str]:
    with db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        return bytes(row.pdf), row.document_json


def _archival(data: bytes, *, which: str, record: str | None) -> None:
    """``data`` is PDF/A-3b as a sealed form is, and its metadata names ``which`` copy."""
    report = pikepdf.pdfa.validate_written(io.BytesIO(data), "3b")
    assert report.violations == (), report.summary()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        xmp = pdf.open_metadata()
        info = pdf.docinfo
        assert xmp[f"{PDFAID}part"] == "3" and xmp[f"{PDFAID}conformance"] == "B"
        assert "/Filter" not in pdf.Root.Metadata
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert str(intent.OutputConditionIdentifier) == pdfa.OUTPUT_CONDITION
        assert pdf.Root.Version == f"/{pdfa.PDF_VERSION}"
        # Which copy, and when: the same in the information dictionary and the XMP.
        title = str(info["/Title"])
        assert title.endswith(f": {which}") and xmp[f"{DC}title"] == title
        assert str(info["/Producer"]) == xmp[f"{PDF}Producer"] == pdfa.COPY_PRODUCER
        printed = dt.datetime.strptime(str(info["/ModDate"]), "D:%Y%m%d%H%M%S+00'00'")
        assert xmp[f"{XMP}ModifyDate"] == pdfa.xmp_date(printed.replace(tzinfo=dt.UTC))
        assert abs(dt.datetime.now(dt.UTC) - printed.replace(tzinfo=dt.UTC)) < dt.timedelta(
            minutes=5
        )
        # Created when the form was signed, as the original says, in both.
        created = dt.datetime.strptime(str(info["/CreationDate"]), "D:%Y%m%d%H%M%S+00'00'")
        assert xmp[f"{XMP}CreateDate"] == pdfa.xmp_date(created.replace(tzinfo=dt.UTC))
        if record is None:
            assert "/AF" not in pdf.Root and len(pdf.attachments) == 0
        else:
            (spec,) = pdf.Root.AF
            assert spec.AFRelationship == "/Data"
            assert spec.EF.F.read_bytes() == record.encode("utf-8")


def test_a_printed_copy_is_pdfa_3b_and_says_it_is_a_copy(clinic, record, sqlite_db) -> None:
    sealed, document = _sealed(sqlite_db, record.id)
    today = dt.datetime.now().astimezone().date().isoformat()
    copy = consents.pdf(clinic["reception"], record.id, purpose="printed")
    _archival(copy, which=f"copy printed {today}", record=document)
    assert _sealed(sqlite_db, record.id)[0] == sealed  # the sealed form is only read


@pytest.mark.parametrize("state", ["voided", "withdrawn"])
def test_a_void_or_withdrawn_copy_is_pdfa_3b_and_names_its_mark(
    clinic, record, sqlite_db, state
) -> None:
    _, document = _sealed(sqlite_db, record.id)
    consents.add_event(clinic["manager"], record.id, state, "Signed for the wrong patient")
    today = dt.datetime.now().astimezone().date().isoformat()
    copy = consents.pdf(clinic["reception"], record.id, purpose="printed")
    word = "VOID" if state == "voided" else "WITHDRAWN"
    _archival(copy, which=f"{word} copy printed {today}", record=document)


def test_receptions_preview_is_pdfa_3b_without_the_record(clinic, record) -> None:
    today = dt.datetime.now().astimezone().date().isoformat()
    view = consents.print_preview(clinic["reception"], record.id, kb=knowledge())
    _archival(view, which=f"copy printed {today}", record=None)


def test_the_copys_metadata_keeps_the_forms_and_adds_the_print(clinic, record, sqlite_db):
    sealed, _ = _sealed(sqlite_db, record.id)
    printed_at = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    mark = CopyMark(dt.date(2026, 12, 1))
    copy = copies.marked_copy(sealed, mark, printed_at=printed_at)
    with pikepdf.open(io.BytesIO(sealed)) as original, pikepdf.open(io.BytesIO(copy)) as made:
        before, after = original.docinfo, made.docinfo
        assert str(after["/Title"]) == f"{before['/Title']}: copy printed 2026-12-01"
        for key in ("/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate"):
            assert str(after[key]) == str(before[key]), key
        assert str(after["/ModDate"]) == "D:20261201093000+00'00'"
        assert made.open_metadata()[f"{XMP}ModifyDate"] == "2026-12-01T09:30:00+00:00"
        assert made.Root.Lang == original.Root.Lang
    with pytest.raises(ValueError, match="no archival metadata"):
        pdfa.restate_as_copy(b"%PDF-1.4\n" + _bare_pdf(), copy="copy", printed_at=printed_at)


def _bare_pdf() -> bytes:
    """A PDF with one empty page and no metadata at all (not a sealed form)."""
    out = io.BytesIO()
    bare = pikepdf.new()
    bare.add_blank_page()
    bare.save(out)
    return out.getvalue()


def test_two_prints_of_one_day_are_the_same_file(clinic, record, sqlite_db):
    """A copy is dated by its day (as its mark and title are), never before the form was
    made: reception's second print of the day is the first one's bytes."""
    sealed, _ = _sealed(sqlite_db, record.id)
    with pikepdf.open(io.BytesIO(sealed)) as original:
        made_on = original.open_metadata()[f"{XMP}CreateDate"]
    day = dt.date.fromisoformat(made_on[:10])
    first = copies.marked_copy(sealed, CopyMark(day))
    assert copies.marked_copy(sealed, CopyMark(day)) == first
    with pikepdf.open(io.BytesIO(first)) as copy:
        assert copy.open_metadata()[f"{XMP}ModifyDate"] == made_on  # not the day's 00:00
    later = copies.marked_copy(sealed, CopyMark(day + dt.timedelta(days=3)))
    with pikepdf.open(io.BytesIO(later)) as copy:
        assert copy.open_metadata()[f"{XMP}ModifyDate"] == (
            f"{day + dt.timedelta(days=3)}T00:00:00+00:00"
        )
