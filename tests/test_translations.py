"""The translation workflow: the committed .ts files hold every string of the sources and
finish each one (``tools/translations.py check``, as CI runs it), the check catches what
it is there to catch, the build makes the .qm files the app loads, and the interface's
strings are written so that lupdate can find them (an AST scan of ui/)."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "translations.py"
UI = ROOT / "src" / "consult" / "ui"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


translations = _tool()


def test_the_committed_ts_is_current_and_every_entry_is_translated() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOL), "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "every string is extracted and translated" in done.stdout


def test_the_check_names_a_stale_or_unfinished_ts(tmp_path, monkeypatch) -> None:
    ts = tmp_path / "consult_ja.ts"
    shutil.copyfile(translations.ts_file("ja"), ts)
    tree = ET.parse(ts)
    contexts = {c.findtext("name"): c for c in tree.getroot().iter("context")}
    # One string the code has is dropped, one it never had is added, one is unfinished.
    main = contexts["MainWindow"]
    dropped = next(m for m in main.iter("message") if m.findtext("source") == "&Quit")
    main.remove(dropped)
    ghost = ET.SubElement(main, "message")
    ET.SubElement(ghost, "source").text = "A string nobody asks for"
    ET.SubElement(ghost, "translation").text = "誰も使わない文字列"
    sign_in = contexts["SignInPage"]
    unfinished = next(m for m in sign_in.iter("message") if m.findtext("source") == "Sign in")
    translation = unfinished.find("translation")
    assert translation is not None
    translation.set("type", "unfinished")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    found = "\n".join(translations.problems(ts, "ja"))
    assert "not extracted yet (run update): [MainWindow] '&Quit'" in found
    assert "no longer in the sources (run update): [MainWindow] 'A string nobody asks for'" in (
        found
    )
    assert "[SignInPage] 'Sign in': unfinished" in found


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("&Patients", "患者", "1 mnemonic(s) (&) expected"),
        ("&Patients", "患者(&P)(&Q)", "1 mnemonic(s) (&) expected"),
        ("Lots of %1", "ロット", "placeholders [] instead of ['%1']"),
        ("%n patient(s) found", "%1 人", "placeholders ['%1'] instead of ['%n']"),
        ("Sign in", "  ", "empty translation"),
    ],
)
def test_a_translation_that_loses_a_placeholder_or_mnemonic_is_refused(
    source: str, translation: str, problem: str
) -> None:
    entry = translations.Entry("Any", source, "", False, (translation,), False)
    assert any(problem in found for found in translations.entry_problems(entry))


def test_a_good_translation_passes_and_html_entities_are_no_mnemonic() -> None:
    for source, translation in (
        ("&Patients", "患者(&P)"),
        ("Printed a copy of %1 (%n page(s))", "%1 の控えを印刷しました（%n ページ）"),
        ("Fish &amp; chips", "フィッシュ&amp;チップス"),
    ):
        entry = translations.Entry("Any", source, "", False, (translation,), False)
        assert translations.entry_problems(entry) == []


@pytest.mark.slow
def test_the_build_makes_the_qm_files_the_app_loads(tmp_path) -> None:
    out = tmp_path / "translations"
    done = subprocess.run(
        [sys.executable, str(TOOL), "build", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == ["consult_ja.qm", "qtbase_ja.qm"]
    consult, qtbase = QTranslator(), QTranslator()
    assert consult.load(str(out / "consult_ja.qm"))
    assert consult.translate("Tabs", "&Patients") == "患者(&P)"
    assert qtbase.load(str(out / "qtbase_ja.qm"))
    assert qtbase.translate("QPlatformTheme", "Cancel") == "キャンセル"


# --- every user-visible string is marked where lupdate can find it ---------------------------

_TEXT_SETTERS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setStatusTip",
    "setWhatsThis", "setAccessibleName", "setAccessibleDescription", "setTitle", "addTab",
    "insertTab", "setTabText", "setItemText", "addItem", "showMessage", "setFormat",
    "setLabelText", "setSpecialValueText", "setSuffix", "setPrefix", "setHtml",
    "setPlainText", "addMenu", "show_error", "setInformativeText", "setDetailedText",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
    "QToolButton", "heading",
}  # fmt: skip
"""Calls whose first argument the user reads."""
_MESSAGE_BOXES = {"information", "warning", "critical", "question", "about"}
_WORDS = re.compile(r"[A-Za-z]{2,}")
_TAGS = re.compile(r"<[^>]*>")  # HTML tags are not words
_TRANSLATING = {"tr", "translate"}

# Where a translating call is given a variable rather than a literal, and why lupdate
# still finds the string: it is marked QT_TRANSLATE_NOOP where it is defined.
_MARKED_ELSEWHERE = {
    ("widgets/table_model.py", "headerData"): "HEADERS, marked in each model's class",
    ("manager/audit_model.py", "headerData"): "HEADERS, marked in the class",
    ("manager/register_model.py", "headerData"): "HEADERS, marked in the class",
    ("widgets/words.py", "_say"): "the words' tables, marked above it",
    ("shell/tabs.py", "translated_title"): "TAB_TABLE's titles, marked in the table",
    ("manager/user_table.py", "role_label"): "ROLE_LABELS, marked above it",
    ("manager/audit_page.py", "_show_progress"): "_STAGE_WORDS, marked above the class",
    ("consultation/question.py", "__init__"): "YN_LABELS, marked in the class",
    ("consultation/styles.py", "said"): "the style tables, marked above it",
    ("widgets/password_strength.py", "update_strength"): "_SCORE_WORDS, marked above",
    ("widgets/password_strength.py", "problem_text"): "_PROBLEM_WORDS, marked above",
    ("manager/record_html.py", "_said"): "_SIGNER_WORDS, marked above it",
    ("widgets/complication_words.py", "_say"): "the complication word tables, marked above",
    ("photos/words.py", "_say"): "AREA_TEXT and KIND_TEXT, marked above it",
    ("treatment/words.py", "say"): "the chart's word tables, marked above it",
    ("manager/product_dialogs.py", "accreditation_texts"): "ACCREDITATIONS, marked above it",
    ("widgets/refusals.py", "refusal_words"): "ErrorText ids, marked StoreErrors where raised",
    ("manager/findings.py", "finding_words"): "Finding ids, marked VerifyFindings where found",
}  # fmt: skip


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _unmarked(node: ast.expr) -> str | None:
    """Why ``node`` is text the user reads that no translator will ever see, if it is."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "a literal" if _WORDS.search(_TAGS.sub("", node.value)) else None
    if isinstance(node, ast.JoinedStr):
        parts = [_TAGS.sub("", str(v.value)) for v in node.values if isinstance(v, ast.Constant)]
        return "an f-string" if any(_WORDS.search(part) for part in parts) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _unmarked(node.left) or _unmarked(node.right)
    return None


def _functions(tree: ast.AST) -> dict[ast.AST, str]:
    """Every node of ``tree`` with the name of the function it is in."""
    inside: dict[ast.AST, str] = {}

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            inside[child] = name
            visit(child, name)

    visit(tree, "")
    return inside


def _problems(path: Path, where: str) -> list[str]:
    """What in the module at ``path`` (``where`` under ui/) lupdate cannot find or
    files under the wrong context, in line order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = _functions(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Call)
            and _name(node.left) in _TRANSLATING
        ):
            found.append((line, "% formatting of a translated string (use %1 and fill)"))
        if isinstance(node, ast.JoinedStr):
            found.extend(
                (line, f"{_name(call)}() inside an f-string: lupdate does not read there")
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and _name(call) in _TRANSLATING
            )
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name in _TRANSLATING:
            index = 1 if name == "translate" else 0
            text = node.args[index] if len(node.args) > index else None
            literal = isinstance(text, ast.Constant) and isinstance(text.value, str)
            if (
                text is not None
                and not literal
                and (where, inside.get(node, "")) not in _MARKED_ELSEWHERE
            ):
                found.append((line, f"{name}() of {ast.unparse(text)}: lupdate sees no text"))
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                owner = node.func.value.id
                if name == "tr" and owner != "self":
                    found.append((line, f"{owner}.tr(): lupdate files it under {owner!r}"))
            continue
        if name == "format" and isinstance(node.func, ast.Attribute):
            target = node.func.value
            if isinstance(target, ast.Call) and _name(target) in _TRANSLATING:
                found.append((line, "str.format of a translated string (use %1 and fill)"))
        texts: list[ast.expr] = []
        if name == "show_error":  # ErrorLabel's (message), or FieldForm's (field, message)
            texts = node.args[-1:]
        elif name in _TEXT_SETTERS:
            texts = node.args[:1] + [k.value for k in node.keywords if k.arg in ("text", "title")]
        elif (
            name in _MESSAGE_BOXES
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "QMessageBox"
        ):
            texts = node.args[1:3]
        for text in texts:
            why = _unmarked(text)
            if why is not None:
                found.append((line, f"{name}() is given {why} no translator sees"))
    return [f"{where}:{line}: {problem}" for line, problem in sorted(found)]


def test_every_interface_string_is_written_so_that_lupdate_finds_it() -> None:
    problems = [
        problem
        for path in sorted(UI.rglob("*.py"))
        for problem in _problems(path, path.relative_to(UI).as_posix())
    ]
    assert problems == []


def test_the_scan_finds_what_it_is_there_to_find(tmp_path) -> None:
    source = (
        "class Probe:\n"
        "    def build(self, label, name, field):\n"
        "        label.setText('Save the form')\n"
        "        label.setToolTip(f'Saved {name} today')\n"
        "        label.setText(self.tr('Lots of %s') % name)\n"
        "        label.setText(self.tr(name))\n"
        "        label.setText(field.tr('Hello'))\n"
        "        label.setText(self.tr('Hi {x}').format(x=name))\n"
        "        QMessageBox.question(self, 'Sure?', self.tr('Really?'))\n"
        "        label.setText('—')\n"
        "        label.setAccessibleName(f'{name} {self.tr(\"Date\")}')\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    problems = _problems(probe, "probe.py")
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "setText() is given a literal no translator sees",
        "setToolTip() is given an f-string no translator sees",
        "% formatting of a translated string (use %1 and fill)",
        "tr() of name: lupdate sees no text",
        "field.tr(): lupdate files it under 'field'",
        "str.format of a translated string (use %1 and fill)",
        "question() is given a literal no translator sees",
        "tr() inside an f-string: lupdate does not read there",
    ], problems
