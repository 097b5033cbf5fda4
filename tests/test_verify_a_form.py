"""docs/verify-a-form.md: its standard-library script, taken from the page and run as an
auditor would (``python -I -S``: no site-packages, no Consult), prints the hash a sealed
record stores, for freshly sealed sample forms of both schemas and a form signed through
Consult."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.domain.consent_document import LEGACY_SCHEMA, SCHEMA, document_sha256, seal
from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services.context import ServiceContext
from tests import security_support
from tests.consent_samples import CJK, GREEK, TRICKY, ZOE, sample_doc

DOC = Path(__file__).resolve().parents[1] / "docs" / "verify-a-form.md"
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    blocks = _PYTHON_BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "the page should hold exactly one Python script"
    path = tmp_path_factory.mktemp("auditor") / "verify_form.py"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def run(script: Path, path: Path) -> str:
    """What the auditor's script prints for a JSON file."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(script), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_the_script_is_short_and_uses_the_standard_library_only(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) <= 40
    imported = {
        name.strip()
        for line in text.splitlines()
        if line.startswith("import ")
        for name in line.removeprefix("import ").split(",")
    }
    assert imported == {"hashlib", "json", "sys"}
    assert "from " not in text


@pytest.mark.parametrize("name", [ZOE, GREEK, CJK, TRICKY])
def test_a_freshly_sealed_sample_form_gives_the_hash_sealed(
    script: Path, tmp_path: Path, name: str
) -> None:
    sealed = seal({**sample_doc(name=name), "schema": SCHEMA})
    # The sample's signatures have whole-number floats (a dot at x 370.0): RFC 8785 writes 370.
    assert b'"x":370,' in sealed.canonical
    stored = tmp_path / "stored.json"
    stored.write_bytes(sealed.canonical)
    assert run(script, stored) == sealed.sha256
    # A copy pretty-printed, ASCII-escaped and with Python's 370.0 gives the same hash.
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(sealed.document, indent=2, ensure_ascii=True) + "\n")
    assert "370.0" in copy.read_text()
    assert run(script, copy) == sealed.sha256


def test_a_form_sealed_before_rfc_8785_gives_its_own_hash(script: Path, tmp_path: Path) -> None:
    document = sample_doc()
    assert document["schema"] == LEGACY_SCHEMA
    raw = canonical_bytes(document)  # how the releases before sealed it
    assert b'"x":370.0,' in raw
    stored = tmp_path / "old.json"
    stored.write_bytes(raw)
    assert run(script, stored) == sha256_hex(raw) == document_sha256(json.loads(raw))


def test_every_kind_of_number_string_and_name(script: Path, tmp_path: Path) -> None:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "numbers": [0, -0.0, 88.0, -7, 0.1, -1.5, 1e21, 1e20, 1e-7, 1.5e-7, 0.00001, 5e-324],
        "more": [1.7976931348623157e308, 333333333.33333329, 9007199254740991, 2.0**70],
        "strings": ['\u0000\b\t\n\f\r\u001f"\\/\u007f', "Zoë 山田 😂 \u2028"],
        "names": {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u00f6": 6},
        "literals": [None, True, False, [], {}],
    }
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run(script, path) == document_sha256(document)


def test_a_form_signed_through_consult(script: Path, tmp_path: Path, sqlite_db: Database) -> None:
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    _, _, signed = security_support.signed_consent(clinic)
    with sqlite_db.session() as session:
        row = session.execute(
            select(ConsentRecord).where(ConsentRecord.id == signed.id)
        ).scalar_one()
        text, stored_hash = row.document_json, row.document_sha256
    assert json.loads(text)["schema"] == SCHEMA
    # What the page's sqlite3 command writes: the stored text and a newline.
    path = tmp_path / f"{signed.document_number}.json"
    path.write_text(text + "\n", encoding="utf-8")
    assert run(script, path) == stored_hash == signed.document_sha256
    assert sha256_hex(text.encode("utf-8")) == stored_hash
