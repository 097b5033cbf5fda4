"""``consult verify``'s findings in Japanese: Manager > Verify a form… says what each
check of a tampered form found in the manager's language, and so does the audit page's
integrity check of a tampered home (each finding carries its message id and values,
:mod:`consult.proof.wording`), while ``consult verify`` prints the same English as ever,
a Qt translator installed or not.

The findings' Japanese is the interface catalog's (``resources/translations``); where it
does not have a finding yet, :data:`PROPOSED` stands in (the words offered for the
catalog), so that the test checks the dialog's translating, not the catalog's progress.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text, update

from consult import paths
from consult.proof import identity
from consult.proof.wording import FINDINGS_CONTEXT, Finding
from consult.store.models import ConsentRecord
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.manager.audit_page import AuditPage
from consult.ui.manager.findings import finding_words
from consult.ui.manager.verify_dialog import VerifyFormDialog
from consult.ui.shell import language
from consult.ui.shell.language import apply_language
from consult.ui.shell.session import AppSession
from tests import factories
from tests.cli_fuzz_support import run_main
from tests.tamper_support import (  # noqa: F401  (fixtures)
    Clinic,
    clinic_build,
    copy_home,
    run_consult,
    sqlite_template,
    verify_args,
)
from tests.test_language_ui import built, translations  # noqa: F401  (fixtures)
from tests.test_verify_dialog import CLINIC, forms  # noqa: F401  (fixture)

PROPOSED = {
    "changed after signing: %1 (%2)": "署名後に変更されています：%1（%2）",
    "%1 incremental update after byte %2": "%2 バイト目以降に %1 件の増分更新",
    "%1 incremental updates after byte %2": "%2 バイト目以降に %1 件の増分更新",
    "other": "その他の変更",
    "intact (%1), made %2": "改変なし（%1）、署名日時 %2",
    "%1 (certificate SHA-256 %2)": "%1（証明書 SHA-256 %2）",
    "%1: a certificate you trust": "%1：信頼済みの証明書です",
    "bytes 0 to %1 are the form as sealed (SHA-256 %2, as the signature records)": (
        "0〜%1 バイトは確定時の同意書です（SHA-256 %2、署名の記録どおり）"
    ),
    "all %1 pages print %2 and SHA-256 %3, the first digits of the sealed record's "
    "SHA-256 %4": "全 %1 ページに %2 と SHA-256 %3（確定した記録の SHA-256 %4 の先頭の桁）が"
    "印字されています",
    "%1 (%2 bytes)": "%1（%2 バイト）",
    "%1 has the RFC 8785 SHA-256 %2, not the %3 the signature records: it is not the "
    "record sealed": "%1 の RFC 8785 による SHA-256 は %2 で、署名に記録された %3 では"
    "ありません：確定した記録ではありません",
    "the pages do not show what the embedded record says (%1)": (
        "ページの内容が埋め込まれた記録と一致しません（%1）"
    ),
    "its patient %1": "患者 %1",
    "none (PAdES B-B): the signing time is the signing workstation's clock": (
        "なし（PAdES B-B）：署名日時は署名した端末の時計によるものです"
    ),
    "The clinic's signing identity %1 cannot be read: %2": (
        "クリニックの署名用 ID %1 を読み取れません: %2"
    ),
    # The integrity check of a home (consult.store.integrity).
    "Audit chain: %1 entries; head: %2; key %3": "監査ログのチェーン: %1 件、先頭: %2、鍵 %3",
    "entry %1, hash %2": "エントリー %1、ハッシュ %2",
    "Sealed consent records: %1": "確定した同意記録: %1 件",
    "Sealed treatment charts: %1; photos: %2": "確定した施術記録: %1 件、写真: %2 枚",
    "Sealed re-confirmations: %1": "確定した再確認: %1 件",
    "%1 problem(s):": "問題が %1 件あります:",
    "consent %1 (record %2)": "同意書 %1（記録 %2）",
    "%1: the register's %2 (%3) differs from the sealed form (%4)": (
        "%1: 台帳の%2（%3）が確定した同意書（%4）と異なります"
    ),
    "date signed": "署名日時",
    "user %1 (id %2)": "ユーザー %1（ID %2）",
    "%1: has the roles %2, but the last audited change (entry %3) gives %4": (
        "%1: 役割は %2 ですが、最後に監査された変更（エントリー %3）では %4 です"
    ),
}
"""The Japanese the tampered form's findings need, for the catalog to take."""

ENGLISH_WORDS = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,})+\b")
"""Two or more lower-case English words in a row: a finding's phrase left in English
(the values a finding quotes are names, hashes, file names and mechanisms)."""


class _Completed(QTranslator):
    """The ja catalog, with :data:`PROPOSED` for the findings it does not have yet."""

    def __init__(self, catalog: QTranslator) -> None:
        super().__init__()
        self.catalog = catalog

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """The catalog's words, else the proposed ones; None (a null string: Qt asks
        the next translator, Qt's own for its standard buttons) when neither has any."""
        said = self.catalog.translate(context, source, disambiguation, n)
        if not said and context == FINDINGS_CONTEXT:
            said = PROPOSED.get(source, "")
        return said or None

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def japanese(built: Path, translations) -> Iterator[None]:  # noqa: F811
    assert apply_language("ja") == "ja"
    catalog = QTranslator()
    assert catalog.load(str(built / "consult_ja.qm"))
    completed = _Completed(catalog)
    QCoreApplication.installTranslator(completed)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(completed)


def _shown(qtbot, config: Path, form: Path) -> VerifyFormDialog:
    dialog = VerifyFormDialog(config)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.verify(form)
    return dialog


def test_a_tampered_form_s_findings_are_said_in_japanese(
    qtbot,
    forms: dict[str, Path],  # noqa: F811
    japanese: None,
) -> None:
    dialog = _shown(qtbot, forms["config"], forms["tampered"])
    report = dialog.report
    assert report is not None and not report.ok
    assert report.failed == ["coverage", "embedded record", "visible text"]
    assert "✘ 未検証: 署名後の変更" in dialog.verdict.text()
    lines = dialog.result_lines()
    shown = dialog.results.toPlainText()
    for check, line in zip(report.checks, lines, strict=True):
        assert isinstance(check.detail, Finding)  # the English, with its id and values
        said = finding_words(check.detail)
        assert said != check.detail and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", said)
        assert not ENGLISH_WORDS.search(said), said
        assert line.endswith(said) and said in shown
    close = dialog.findChild(QDialogButtonBox).buttons()[0]
    assert close.text() == "閉じる"  # Qt's own words still reach the dialog
    # The values are filled in as found, nested phrases translated too.
    record = next(c for c in report.checks if c.name == "embedded record")
    file_name, _size = record.detail.args[0].args  # type: ignore[attr-defined]
    digest, expected = record.detail.args[1:]  # type: ignore[attr-defined]
    assert finding_words(record.detail) == (
        f"{file_name}（{_size} バイト） の RFC 8785 による SHA-256 は {digest} で、署名に"
        f"記録された {expected} ではありません：確定した記録ではありません"
    )
    visible = next(c for c in report.checks if c.name == "visible text")
    assert finding_words(visible.detail) == (
        "ページの内容が埋め込まれた記録と一致しません（患者 'Someone Else'）"
    )
    coverage = next(c for c in report.checks if c.name == "coverage")
    assert finding_words(coverage.detail).endswith("件の増分更新（その他の変更）")
    chosen = os.environ.get("CONSULT_SCREENSHOTS")
    if chosen:
        dialog.resize(1000, 640)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(str(Path(chosen) / "verify-tampered-ja.png"))


def test_unreadable_clinic_certificates_are_said_in_japanese(
    qtbot,
    forms: dict[str, Path],  # noqa: F811
    japanese: None,
    tmp_path: Path,
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    identity.identity_path(config).write_bytes(b"-----BEGIN CERTIFICATE-----\nnot one\n")
    dialog = VerifyFormDialog(config)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refused, timeout=60_000) as blocker:
        dialog.verify(forms["good"])
    said = blocker.args[0]
    assert said.startswith(
        f"good.pdf を検証できません: クリニックの署名用 ID {identity.identity_path(config)} "
        "を読み取れません: "
    )
    assert dialog.error.text() == f"⚠ {said}"


def test_the_command_line_says_the_same_english_with_a_translator_installed(
    forms: dict[str, Path],  # noqa: F811
    japanese: None,
    tmp_path: Path,
) -> None:
    assert language.current_language() == "ja"
    made, _ = identity.load_or_create(forms["config"], CLINIC)
    trusted = tmp_path / "clinic.pem"
    trusted.write_bytes(made.public_pem())
    result = run_main(["verify", str(forms["tampered"]), "--trust", str(trusted)])
    assert result.code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "Not verified: coverage, embedded record, visible text"
    assert (
        "  FAILED  visible text: the pages do not show what the embedded record says "
        "(its patient 'Someone Else')"
    ) in lines
    record = next(line for line in lines if line.startswith("  FAILED  embedded record: "))
    assert re.fullmatch(
        r"  FAILED  embedded record: consent-C-2026-000123\.json \(\d+ bytes\) has the RFC "
        r"8785 SHA-256 [0-9a-f]{64}, not the [0-9a-f]{64} the signature records: it is not "
        r"the record sealed",
        record,
    )
    coverage = next(line for line in lines if line.startswith("  FAILED  coverage: "))
    assert re.fullmatch(
        r"  FAILED  coverage: changed after signing: 1 incremental update after byte \d+ "
        r"\(other\)",
        coverage,
    )
    assert (
        "  note    timestamp: none (PAdES B-B): the signing time is the signing workstation's clock"
    ) in lines


def _tamper_home(clinic: Clinic) -> tuple[str, int]:
    """As someone with the database file: a signed form's date moved back three days,
    reception given the manager's role. The form's register name, and reception's id."""
    record = clinic.built.consents[0]
    desk = clinic.built.users["reception"]
    engine = clinic.owner_engine()
    try:
        with engine.begin() as conn:
            conn.execute(
                update(ConsentRecord)
                .where(ConsentRecord.id == record.id)
                .values(signed_at=record.signed_at - dt.timedelta(days=3))
            )
            conn.execute(
                text("UPDATE app_user SET roles = 'manager reception' WHERE id = :id"),
                {"id": desk},
            )
    finally:
        engine.dispose()
    return str(record.document_number), record.id


def test_a_tampered_home_s_integrity_check_is_said_in_japanese(
    qtbot,
    home: paths.Dirs,
    sqlite_template: Clinic,  # noqa: F811
    japanese: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert home.home is not None
    copy_home(sqlite_template.home, home.home)
    clinic = Clinic(home.home, sqlite_template.built)
    number, record_id = _tamper_home(clinic)
    desk = clinic.built.users["reception"]
    # The command line: English, word for word, with the Japanese translator installed.
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 1, out + err
    printed = out.splitlines()
    assert "2 problem(s):" in printed
    assert any(
        line.startswith(f"  - consent {number} (record {record_id}): the register's date signed (")
        and line.endswith(")")
        and ") differs from the sealed form (" in line
        for line in printed
    )
    assert any(
        line.startswith(
            f"  - user desk (id {desk}): has the roles manager reception, but the last "
            "audited change (entry "
        )
        and line.endswith(") gives reception")
        for line in printed
    )
    # The audit page: the same report, in Japanese.
    db = clinic.open()
    try:
        session = AppSession(db, home)
        manager = user_service.sign_in(ServiceContext(db), "boss", factories.PASSWORD)
        session.set_user(manager)
        page = AuditPage(session)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        with qtbot.waitSignal(page.checked, timeout=60_000) as blocker:
            page.check_button.click()
        report = blocker.args[0]
        assert not report.ok
        shown = page.report.toPlainText().splitlines()
        assert len(shown) == len(report.lines())
        assert shown[0].startswith("監査ログのチェーン: ") and "、先頭: エントリー " in shown[0]
        assert shown[1] == "確定した同意記録: 2 件"
        assert any(line == f"問題が {len(report.problems)} 件あります:" for line in shown)
        assert any(
            line.startswith(f"  - 同意書 {number}（記録 {record_id}）: 台帳の署名日時（")
            and line.endswith("）と異なります")
            for line in shown
        )
        assert any(
            line.startswith(
                f"  - ユーザー desk（ID {desk}）: 役割は manager reception ですが、最後に監査"
                "された変更（エントリー "
            )
            and line.endswith("）では reception です")
            for line in shown
        )
        chosen = os.environ.get("CONSULT_SCREENSHOTS")
        if chosen:
            page.grab().save(str(Path(chosen) / "integrity-tampered-ja.png"))
        page.leave()
    finally:
        db.close()
