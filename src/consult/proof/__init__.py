"""Proof that a signed form is the one the clinic sealed, readable without Consult.

- :mod:`~consult.proof.identity`: the clinic's signing key and certificate, kept outside
  the database like the audit key (made at first use, or imported by a manager);
- :mod:`~consult.proof.signing`: PAdES signing of a sealed form as an incremental
  update, so the sealed bytes stay a prefix and keep their hash;
- :mod:`~consult.proof.archival`: what keeps the signed form PDF/A-3b (PDF 1.7, and its
  metadata in step);
- :mod:`~consult.proof.form_facts`: the document number and hashes the signature covers;
- :mod:`~consult.proof.timestamp_setting`: the clinic's RFC 3161 timestamp service, the
  only way signing reaches the network, and only when the clinic names one;
- :mod:`~consult.proof.stored_form`: a signed form as the database keeps it, checked
  against its record and the signing entry (``consult verify`` of the whole database);
- :mod:`~consult.proof.verification`: checking one form on its own (``consult verify
  FILE.pdf``, Manager > Verify a form…), the record it carries checked by
  :mod:`~consult.proof.record_check`, the findings reported as :mod:`~consult.proof.report`
  says them, each in words the app can translate (:mod:`~consult.proof.wording`).

Nothing here imports Qt or the database.
"""
