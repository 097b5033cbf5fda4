"""What makes the consent form fast changes none of its bytes.

The QR code's mask is chosen as ReportLab chooses it (its penalty score worked out on
whole rows); markup parsed once per text and style, widths and line breaks remembered:
none of it may make one form depend on the forms rendered before it in the process.
How fast: benchmarks/bench_consent_pdf.py.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from datetime import UTC

import pytest
from reportlab.graphics.barcode import qrencoder

from consult.documents import consent_pdf, qr_code
from tests.consent_samples import CJK, CYRILLIC, HANGUL, TRICKY, ZOE, doc_hash, sample_doc
from tests.screening_support import shipped


def _reportlab_qr(value: str) -> list[list[bool]]:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    return [[bool(m) for m in row] for row in qr.modules]


def test_the_qr_code_is_reportlabs_module_for_module() -> None:
    rng = random.Random(20261201)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789-:/\n 山田é"
    values = [f"C-2026-{n:06d}\nsha256:{rng.randbytes(32).hex()}" for n in range(40)]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 160))) for _ in range(60)]
    for value in values:
        ours = consent_pdf._QrCode(value, 60).modules
        assert ours == _reportlab_qr(value), value


def test_the_penalty_score_is_reportlabs() -> None:
    rng = random.Random(7)
    for n in (21, 25, 41, 57):
        for _ in range(15):
            dark = rng.random()
            modules = [[rng.random() < dark for _ in range(n)] for _ in range(n)]
            qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
            qr.modules = modules
            rows = [int("".join("1" if m else "0" for m in row), 2) for row in modules]
            assert qr_code.lost_points(rows, n) == qrencoder.QRUtil.getLostPoint(qr)


def _render(doc: dict) -> str:
    pdf = consent_pdf.render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=UTC)
    return hashlib.sha256(pdf).hexdigest()


FRESH = """
import hashlib, sys
from datetime import UTC
from consult.documents.consent_pdf import render_consent_pdf
from tests.consent_samples import doc_hash, sample_doc
from tests.screening_support import shipped
doc = sample_doc(name=sys.argv[1], treatment=sys.argv[2])
pdf = render_consent_pdf(doc, doc_hash(doc), labels=shipped(), zone=UTC)
print(hashlib.sha256(pdf).hexdigest())
"""


@pytest.mark.parametrize(("name", "treatment"), [(CJK, "ha_filler"), (TRICKY, "prp")])
def test_a_form_is_the_same_whatever_was_rendered_before_it(name: str, treatment: str) -> None:
    doc = sample_doc(name=name, treatment=treatment)
    first = _render(doc)
    for other_name, other_treatment in ((ZOE, "exosome"), (HANGUL, "prp"), (CYRILLIC, "ha_filler")):
        _render(sample_doc(name=other_name, treatment=other_treatment, findings=[], overrides=[]))
        consent_pdf.render_reception_view(
            sample_doc(name=other_name),
            doc_hash(sample_doc(name=other_name)),
            labels=shipped(),
            zone=UTC,
        )
    assert _render(doc) == first
    fresh = subprocess.run(
        [sys.executable, "-c", FRESH, name, treatment],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert fresh.stdout.strip() == first  # as in a process that rendered nothing before


def test_prepare_fonts_registers_them_once() -> None:
    consent_pdf.prepare_fonts()
    consent_pdf.prepare_fonts()
    chain = consent_pdf.font_chain()
    assert "山" not in chain.base_chars and "a" in chain.base_chars and "\u3000" in chain.base_chars
