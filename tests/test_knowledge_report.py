"""The knowledge report: the document a clinical lead signs, in Markdown, HTML and PDF."""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from consult.domain.knowledge_model import KnowledgeBase
from consult.knowledge.loader import load_knowledge
from consult.knowledge.report import (
    build_report,
    change_list,
    condition_words,
    coverage,
    render_html,
    render_markdown,
    render_report,
    severity_words,
)
from tests.screening_support import shipped

TODAY = date(2026, 3, 12)
SECTIONS = (
    "1. Changes since the previous edition",
    "2. Every rule, by treatment",
    "3. Coverage of the questionnaire",
    "4. Outcomes and route classes",
    "5. Sign-off",
)
# An internal document code ("seed 001", "seed-001") must never reach a reader.
DOCUMENT_CODE = re.compile(r"seed[ -]?0", re.IGNORECASE)


def markdown(kb: KnowledgeBase | None = None) -> str:
    return render_markdown(build_report(kb or shipped(), TODAY))


def html_text(kb: KnowledgeBase | None = None) -> str:
    return render_html(build_report(kb or shipped(), TODAY))


def _snapshot() -> dict[str, object]:
    import json

    from consult import resources

    path = resources.path("knowledge", "history", "edition-1.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- words


def test_condition_and_severity_in_words() -> None:
    kb = shipped()
    assert condition_words(kb.rule("qual-jp-supernatant-not-doctor")) == (
        "the jurisdiction is JP and the practitioner's qualification is not doctor"
    )
    assert condition_words(kb.rule("regen-cancer-history")) == (
        "cancer_history is yes, unless regen-active-cancer or regen-melanoma or "
        "regen-blood-cancer applies"
    )
    assert (
        severity_words(kb.rule("laser-isotretinoin"))
        == "ablative: absolute, non_ablative: relative"
    )
    assert severity_words(kb.rule("prp-smoker")) == "caution"


# --------------------------------------------------------------------------- title page


def test_title_page_names_the_knowledge_base_version_date_and_counts() -> None:
    kb = shipped()
    report = build_report(kb, TODAY)
    assert report.title == "Consult clinical knowledge base"
    assert report.edition == kb.edition == 2
    assert report.version == kb.version
    assert (report.rules, report.questions, report.treatment_count) == (
        len(kb.rules),
        len(kb.questions),
        len(kb.treatments),
    )
    assert (report.policy_added, report.policy_raised) == (0, 0)
    head = markdown().split("## 1.")[0]
    assert head.startswith("# Consult screening rules: review and sign-off")
    assert "**Consult clinical knowledge base**, edition 2" in head
    assert f"`{kb.version}`" in head
    assert "| Date of this report | 2026-03-12 |" in head
    assert f"| Rules | {len(kb.rules)} |" in head
    assert "| of which by clinic policy | 0 added, 0 raised |" in head


# --------------------------------------------------------------------------- sections


def test_markdown_has_every_section_and_every_rule_under_its_treatments() -> None:
    kb = shipped()
    text = markdown()
    positions = [text.index(f"## {section}") for section in SECTIONS]
    assert positions == sorted(positions)
    for treatment in kb.treatments:
        assert f"### {treatment.name} (`{treatment.id}`)" in text
    rules = text.split(f"## {SECTIONS[1]}")[1].split(f"## {SECTIONS[2]}")[0]
    for rule in kb.rules:
        assert f"#### `{rule.id}`: " in rules
    toxin = rules.split("(`botulinum_toxin`)")[1].split("\n### ")[0]
    assert (
        "#### `toxin-neuromuscular`: absolute\n\n"
        "- Applies to: botulinum_toxin\n"
        "- Condition: neuromuscular_disorder is yes\n"
        "- Message: Neuromuscular disorder" in toxin
    )
    assert "- Patient risk: With a disease of the nerves and muscles" in toxin
    assert "- Source: Bocouture package leaflet" in toxin and "(product label)" in toxin
    assert "`regen-active-cancer`" not in toxin
    # Per route only where the routes of this treatment differ.
    peel = rules.split("(`chemical_peel`)")[1].split("\n### ")[0]
    assert "#### `recent-resurfacing-peel-laser`: superficial: relative, medium: absolute" in peel
    laser = rules.split("(`laser_resurfacing`)")[1].split("\n### ")[0]
    assert "#### `laser-isotretinoin`: non_ablative: relative, ablative: absolute" in laser


def test_sources_name_their_documents_and_basis_in_words() -> None:
    text = markdown()
    assert (
        "- Source: It's Me and You Clinic, “Exosome Therapy for Skin Rejuvenation”: "
        '"Patients with active cancer should avoid exosome therapy" (publication)'
    ) in text
    for words in (
        "(product label)",
        "(clinical guidance)",
        "(law or regulator)",
        "(clinic policy)",
    ):
        assert words in text


def test_html_has_every_section_is_escaped_and_well_formed() -> None:
    kb = shipped()
    text = html_text()
    assert text.startswith("<!DOCTYPE html>")
    for section in SECTIONS:
        assert f"{section}</h2>" in text
    assert kb.version in text and "2026-03-12" in text
    assert "Consult clinical knowledge base</strong>, edition 2" in text
    for rule in kb.rules:
        assert f"<code>{rule.id}</code>" in text
    assert "&quot;Patients with active cancer should avoid exosome therapy&quot;" in text
    assert "It&#x27;s Me and You Clinic" in text
    assert "absolute &gt; clarify &gt; relative &gt; caution &gt; clear" in text
    assert "<th>Signature</th>" in text
    HTMLParser().feed(text)


def test_render_report_renders_the_same_report() -> None:
    kb = shipped()
    assert render_report(kb, "md", TODAY) == markdown(kb)
    assert render_report(kb, "html", TODAY) == html_text(kb)


def test_no_internal_document_code_in_any_output() -> None:
    for text in (markdown(), html_text()):
        assert not DOCUMENT_CODE.search(text)


# --------------------------------------------------------------------------- changes


def test_change_list_against_the_first_edition() -> None:
    kb = shipped()
    changes = build_report(kb, TODAY).changes
    assert changes is not None
    assert changes.previous_edition == 1
    assert changes.previous_version == _snapshot()["rule_set_version"]
    groups = {group.id: group for group in changes.groups}
    removed = {rule.id for group in changes.groups for rule in group.removed}
    assert {"regen-jp-non-doctor", "regen-us-unapproved"} <= removed
    assert [r.id for r in groups["regenerative"].removed] == [
        "regen-jp-non-doctor",
        "regen-us-unapproved",
    ]
    added = {rule.id for group in changes.groups for rule in group.added}
    assert {"qual-toxin-aesthetician", "reg-us-unapproved", "ivc-diabetes"} <= added
    assert "qual-toxin-aesthetician" in [r.id for r in groups["qualification"].added]
    changed = {change.id: change for group in changes.groups for change in group.changed}
    assert [c.words for c in changed["regen-active-cancer"].changes] == [
        "basis: source document → publication"
    ]
    source = changed["regen-cancer-history"].changes[0]
    assert source.what == "source"
    assert source.new.endswith("clinic policy reasoned from this publication")
    # Unchanged rules are not listed, and every rule is counted once.
    assert "toxin-neuromuscular" not in changed
    previous = len(_snapshot()["rules"])  # type: ignore[arg-type]
    assert changes.removed + changes.changed + changes.unchanged == previous
    assert changes.added + changes.changed + changes.unchanged == len(kb.rules)
    assert [q.id for q in changes.questions_added] == ["g6pd_test_normal", "diabetes"]
    assert changes.questions_removed == ()


def test_change_list_in_markdown_and_html() -> None:
    text = markdown()
    section = text.split(f"## {SECTIONS[0]}")[1].split(f"## {SECTIONS[1]}")[0]
    assert "4 rules removed, 41 added and 17 changed" in section
    regenerative = section.split("### Regenerative treatments (rules/regenerative.yaml)")[1]
    regenerative = regenerative.split("\n### ")[0]
    assert "Removed:\n\n- `regen-jp-non-doctor` (absolute;" in regenerative
    assert "- `regen-us-unapproved` (caution;" in regenerative
    assert "- `regen-active-cancer`: basis: source document → publication." in regenerative
    assert "### Qualification (rules/qualification.yaml)" in section
    assert "- `qual-toxin-aesthetician` (absolute; botulinum_toxin)" in section
    assert "- Added: `g6pd_test_normal` (" in section
    page = html_text()
    assert "<td>removed</td><td><code>regen-jp-non-doctor</code></td>" in page
    assert "<td>added</td><td><code>qual-toxin-aesthetician</code></td>" in page


def test_a_raised_severity_is_a_change_with_old_and_new(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "overrides:\n  - {rule: prp-smoker, severity: relative, reason: board | decision}\n"
        "rules:\n"
        "  - id: clinic-smoker-filler\n"
        "    applies_to: {treatments: [ha_filler]}\n"
        "    condition: {question: smoker, equals: 'yes'}\n"
        "    severity: caution\n"
        "    message: Smoker. Slower healing.\n"
        "    patient_risk: Smoking slows healing after filler.\n"
        "    source: {text: medical board minute 12/2026, basis: clinic_policy}\n",
        encoding="utf-8",
    )
    kb = load_knowledge(policy_dir=tmp_path)
    changes = change_list(kb, _snapshot())
    changed = {change.id: change for group in changes.groups for change in group.changed}
    assert [c.words for c in changed["prp-smoker"].changes] == ["severity: caution → relative"]
    policy = next(group for group in changes.groups if group.id == "clinic_policy")
    assert [(r.id, r.note) for r in policy.added] == [
        ("clinic-smoker-filler", "added by clinic policy p.yaml")
    ]
    text = markdown(kb)
    assert "| of which by clinic policy | 1 added, 1 raised |" in text
    assert "- Clinic policy: severity raised by clinic policy p.yaml: board | decision" in text
    assert "- `prp-smoker`: severity: caution → relative." in text


def test_a_message_change_is_named(tmp_path: Path) -> None:
    snapshot = _snapshot()
    rules = [dict(rule) for rule in snapshot["rules"]]  # type: ignore[attr-defined]
    for rule in rules:
        if rule["id"] == "toxin-neuromuscular":
            rule["message"] = "Something else."
            rule["condition"] = "smoker is yes"
    changes = change_list(shipped(), {**snapshot, "rules": rules})
    changed = {change.id: change for group in changes.groups for change in group.changed}
    assert [c.words for c in changed["toxin-neuromuscular"].changes] == [
        "condition: smoker is yes → neuromuscular_disorder is yes",
        "message",
    ]


# --------------------------------------------------------------------------- coverage


def test_coverage_covers_every_question_in_order() -> None:
    kb = shipped()
    rows = coverage(kb)
    assert [row.id for row in rows] == [question.id for question in kb.questions]
    for row in rows:
        assert row.covered, row.id
        assert bool(row.read_by) != bool(row.information_only), row.id
        read = {rule.id for rule in kb.rules if row.id in rule.condition.questions()}
        assert set(row.read_by) == read
    by_id = {row.id: row for row in rows}
    for question in ("liver_disease", "autoimmune_types", "allergies_other"):
        assert by_id[question].read_by == ()
        assert by_id[question].status == "information only"
        assert len(by_id[question].information_only) > 20
    assert "toxin-neuromuscular" in by_id["neuromuscular_disorder"].read_by
    assert by_id["g6pd_deficiency"].asked == "asked only for IV high-dose vitamin C"
    assert by_id["cancer_types"].opened_by == ("cancer_history",)
    assert by_id["cancer_types"].asked == (
        "asked when cancer_history is yes (opened by cancer_history)"
    )
    assert [(v.id, bool(v.reason)) for v in by_id["allergies"].values] == [("egg", True)]


def test_a_question_nobody_reads_shows_as_not_covered() -> None:
    from dataclasses import replace

    kb = shipped()
    liver = kb.question("liver_disease")
    questions = tuple(replace(q, information_only="") if q is liver else q for q in kb.questions)
    rows = coverage(replace(kb, questions=questions))
    row = next(row for row in rows if row.id == "liver_disease")
    assert not row.covered
    assert row.status.startswith("NOT READ")


def test_coverage_in_markdown_gives_the_reasons() -> None:
    kb = shipped()
    text = markdown()
    section = text.split(f"## {SECTIONS[2]}")[1].split(f"## {SECTIONS[3]}")[0]
    for question in kb.questions:
        assert f"| `{question.id}` |" in section
    for qid in ("liver_disease", "autoimmune_types", "allergies_other"):
        line = next(line for line in section.splitlines() if f"| `{qid}` |" in line)
        assert "| information only |" in line
        reason = kb.question(qid).information_only.replace("|", "\\|")
        assert reason in line
    egg = next(c for c in kb.question("allergies").values if c.id == "egg")
    assert f"| `allergies` | Egg (`egg`) | {egg.information_only} |" in section
    assert "| `kidney_disease` | asked only for IV high-dose vitamin C | ivc-kidney |" in section


# --------------------------------------------------------------------------- outcomes


def test_outcomes_and_route_classes_in_words() -> None:
    kb = shipped()
    report = build_report(kb, TODAY)
    text = markdown()
    section = text.split(f"## {SECTIONS[3]}")[1].split(f"## {SECTIONS[4]}")[0]
    assert "Outcome precedence: **absolute > clarify > relative > caution > clear**." in section
    assert [o.name for o in report.outcomes] == [
        "absolute",
        "clarify",
        "relative",
        "caution",
        "clear",
    ]
    assert "cannot be consented in this consultation" in section
    assert "must clarify it before consent" in section
    assert "written clinical justification, which is recorded, printed" in section
    assert "An absolute finding blocks the treatment even while" in section
    assert '"unsure" gives that finding, with a note' in section
    assert "Every route is invasive except topical and intranasal." in section
    for route in kb.routes:
        invasive = "yes" if route.invasive else "no"
        assert f"| `{route.id}` | {route.label} | {invasive} |" in section
    assert "| `regenerative` | Regenerative treatments | Exosome therapy," in section


def test_sign_off_block() -> None:
    kb = shipped()
    text = markdown()
    section = text.split(f"## {SECTIONS[4]}")[1]
    assert f"rule-set version {kb.version}" in section
    assert "I have reviewed the screening rules" in section
    for field in ("Name", "Role", "Date", "Signature"):
        assert f"- {field}: ____" in section


# --------------------------------------------------------------------------- PDF


def consult(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    out = home / "report.pdf"
    result = consult(home, "knowledge", "report", "--format", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert str(out) in result.stdout
    return out


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_pdf_title_page_alone_then_the_sections(pdf_file: Path) -> None:
    kb = shipped()
    pages = _pages(pdf_file)
    assert len(pages) > 3
    title = pages[0]
    assert "Consult screening rules: review and sign-off" in title
    assert "Consult clinical knowledge base, edition 2" in title
    assert kb.version in title
    assert date.today().isoformat() in title
    assert f"{len(kb.rules)}" in title
    assert "page 1 of" in title
    # Page 1 holds the title page only; the change list starts on page 2.
    assert "Compared with edition 1 (rule-set" not in title
    assert pages[1].startswith("1. Changes since the previous edition") or (
        "1. Changes since the previous edition" in pages[1]
    )
    body = "\n".join(pages)
    for section in SECTIONS:
        assert section in body
    assert "regen-jp-non-doctor" in body and "qual-toxin-aesthetician" in body
    assert "liver_disease" in body and "INFORMATION ONLY" in body


def test_pdf_footer_has_page_x_of_y_and_the_short_version(pdf_file: Path) -> None:
    pages = _pages(pdf_file)
    short = shipped().version[:12]
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert f"rule set {short}" in text


def test_pdf_ends_with_the_sign_off_block(pdf_file: Path) -> None:
    last = _pages(pdf_file)[-1]
    assert "5. Sign-off" in last
    assert "I have reviewed the screening rules of rule-set version" in last
    assert "Clinical lead" in last
    for field in ("Name", "Role", "Date", "Signature"):
        assert field in last


def test_pdf_has_no_internal_document_code_and_is_private(pdf_file: Path) -> None:
    assert not DOCUMENT_CODE.search("\n".join(_pages(pdf_file)))
    if os.name == "posix":
        assert stat.S_IMODE(pdf_file.stat().st_mode) == 0o600


def test_pdf_is_not_written_over_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"signed copy")
    result = consult(tmp_path, "knowledge", "report", "--format", "pdf", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "exists" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"signed copy"
    forced = consult(tmp_path, "knowledge", "report", "--format", "pdf", "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_pdf_needs_an_output_file(tmp_path: Path) -> None:
    result = consult(tmp_path, "knowledge", "report", "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr == "consult: error: --format pdf needs -o FILE\n"
    assert result.stdout == ""


def test_markdown_goes_to_stdout(tmp_path: Path) -> None:
    result = consult(tmp_path, "knowledge", "report", "--no-policy")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Consult screening rules: review and sign-off\n")
    assert result.stdout.endswith("______________________________\n")


def test_pdf_with_a_row_taller_than_a_page(tmp_path: Path) -> None:
    from consult.documents.knowledge_report_pdf import render_report_pdf

    reason = " ".join(["the medical board decided so after a long discussion"] * 120)
    (tmp_path / "p.yaml").write_text(
        f"overrides:\n  - {{rule: prp-smoker, severity: relative, reason: {reason}}}\n",
        encoding="utf-8",
    )
    report = build_report(load_knowledge(policy_dir=tmp_path), TODAY)
    pdf = render_report_pdf(report)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Clinic policy: severity raised by clinic policy p.yaml" in text
    # The row runs over several pages, and none of it is lost.
    assert text.count("the medical board decided") == 120
    assert render_report_pdf(report) == pdf  # the same report gives the same bytes
