"""``consult screen`` and ``consult knowledge``, run as a subprocess with a temporary home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screening_support import intake, shipped


def consult(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, CONSULT_HOME=str(home))
    environment.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_screen_prints_the_result_json(tmp_path: Path) -> None:
    data = intake(
        treatments=[
            {"id": "exosome", "route": "topical", "product_source": "synthetic"},
            {"id": "iv_vitamin_c"},
        ],
        answers={"g6pd_deficiency": "unsure"},
        jurisdiction="US",
    )
    result = consult(tmp_path, "screen", str(write(tmp_path / "intake.json", data)))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["rule_set_version"] == shipped().version
    assert [(r["treatment"], r["route"], r["outcome"]) for r in out["results"]] == [
        ("exosome", "topical", "caution"),
        ("iv_vitamin_c", "intravenous", "clarify"),
    ]
    assert out["results"][1]["clarify"] == ["g6pd_deficiency"]
    assert out["results"][0]["findings"][0]["rule"] == "reg-us-topical-exosome"
    assert out["results"][0]["findings"][0]["basis"] == "law"


def test_screen_reads_stdin_and_prints_text(tmp_path: Path) -> None:
    data = intake("botulinum_toxin", answers={"neuromuscular_disorder": "yes", "smoker": "yes"})
    result = consult(tmp_path, "screen", "--format", "text", "-", stdin=json.dumps(data))
    assert result.returncode == 0, result.stderr
    assert "botulinum_toxin (intramuscular): ABSOLUTE" in result.stdout
    assert "[absolute] toxin-neuromuscular" in result.stdout
    assert "Bocouture package leaflet" in result.stdout


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "the file is empty"),
        ("   \n", "the file is empty"),
        ("{not json", "invalid JSON at line 1, column 2"),
        (json.dumps(intake("botox")), "treatments[0].id: expected one of exosome"),
        (
            json.dumps(intake("ha_filler", answers={"pregnant": "maybe"})),
            "answers.pregnant: expected one of yes, no, unsure",
        ),
        (
            json.dumps(intake("ha_filler", answers={"isotretinoin_last_date": "2026-02-30"})),
            "answers.isotretinoin_last_date: impossible date 2026-02-30",
        ),
        (
            json.dumps(intake("ha_filler", born="2027-01-01")),
            "patient.date_of_birth: after the consultation date",
        ),
        (
            json.dumps(intake("ha_filler", answers={"pregnent": "no"})),
            "answers.pregnent: unknown question",
        ),
        (
            json.dumps(intake("chemical_peel", route="deep")),
            "treatments[0].route: expected one of superficial, medium",
        ),
        (
            json.dumps(intake("exosome", route="topical", source="bovine")),
            "treatments[0].product_source: expected one of",
        ),
        ("[]", "intake: expected an object"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str, words: str) -> None:
    result = consult(tmp_path, "screen", str(write(tmp_path / "intake.json", content)))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("consult: error: ")
    assert words in lines[0]


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = consult(tmp_path, "screen", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "nope.json: no such file" in result.stderr


def test_clinic_policy_of_the_home_is_applied(tmp_path: Path) -> None:
    policy = tmp_path / "config" / "policy"
    policy.mkdir(parents=True)
    (policy / "board.yaml").write_text(
        "overrides:\n  - {rule: prp-smoker, severity: absolute, reason: board}\n", encoding="utf-8"
    )
    path = write(tmp_path / "i.json", intake("prp", "injection", answers={"smoker": "yes"}))
    with_policy = json.loads(consult(tmp_path, "screen", str(path)).stdout)
    assert with_policy["results"][0]["outcome"] == "absolute"
    assert with_policy["rule_set_version"] != shipped().version
    without = json.loads(consult(tmp_path, "screen", "--no-policy", str(path)).stdout)
    assert without["results"][0]["outcome"] == "caution"
    check = consult(tmp_path, "knowledge", "check")
    assert check.returncode == 0
    assert "0 added and 1 raised by clinic policy" in check.stdout


def test_weakening_policy_is_exit_2(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "weak.yaml").write_text("remove: [toxin-neuromuscular]\n", encoding="utf-8")
    result = consult(tmp_path, "knowledge", "check", "--policy", str(policy))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert (
        "weak.yaml: remove[0]: cannot remove rule 'toxin-neuromuscular' (absolute)" in result.stderr
    )


def test_knowledge_check(tmp_path: Path) -> None:
    result = consult(tmp_path, "knowledge", "check")
    assert result.returncode == 0, result.stderr
    assert "43 questions, 11 treatments, 142 rules" in result.stdout
    assert shipped().version in result.stdout


def test_knowledge_check_of_a_broken_directory(tmp_path: Path) -> None:
    import shutil

    from consult import resources

    root = tmp_path / "kb"
    shutil.copytree(resources.path("knowledge"), root)
    rules = root / "rules" / "prp.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("question: smoker", "question: smokes"),
        encoding="utf-8",
    )
    result = consult(tmp_path, "knowledge", "check", str(root))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "prp.yaml: rules[10].condition.question: unknown question 'smokes'" in result.stderr


def test_knowledge_report(tmp_path: Path) -> None:
    md = consult(tmp_path, "knowledge", "report")
    assert md.returncode == 0
    assert md.stdout.startswith("# Consult screening rules")
    html = consult(tmp_path, "knowledge", "report", "--format", "html")
    assert html.returncode == 0
    assert "<table>" in html.stdout and "toxin-neuromuscular" in html.stdout


# --- input with no silent guessing ---------------------------------------------------


def test_byte_order_mark_is_accepted_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    text = json.dumps(intake("botulinum_toxin"))
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    from_file = consult(tmp_path, "screen", str(path))
    assert from_file.returncode == 0, from_file.stderr
    from_stdin = consult(tmp_path, "screen", "-", stdin="\ufeff" + text)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"patient": {}, "patient": {}}', 'the key "patient" appears twice'),
        ("[" * 65 + "]" * 65, "nested more than 64 levels deep"),
        ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
        (" " * (1024 * 1024) + "{}", "larger than 1024 KiB (1 MiB)"),
    ],
    ids=["duplicate key", "depth 65", "depth 100000", "over 1 MiB"],
)
def test_refused_json_is_one_line_from_a_file_and_from_stdin(
    tmp_path: Path, content: str, words: str
) -> None:
    for args, stdin in (((str(write(tmp_path / "in.json", content)),), None), (("-",), content)):
        result = consult(tmp_path, "screen", *args, stdin=stdin)
        assert result.returncode == 2
        assert result.stdout == ""
        assert words in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_contradiction_names_the_field(tmp_path: Path) -> None:
    data = intake("exosome", "topical", "synthetic", {"cancer_types": ["melanoma"]})
    result = consult(tmp_path, "screen", str(write(tmp_path / "in.json", data)))
    assert result.returncode == 2
    assert result.stderr == (
        'consult: error: answers.cancer_types: not asked, because cancer_history is "no"\n'
    )


def test_output_to_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    path = write(tmp_path / "in.json", intake("botulinum_toxin"))
    environment = dict(os.environ, CONSULT_HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "consult", "screen", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before anything is written
    with process.stderr:
        stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert stderr == b""
