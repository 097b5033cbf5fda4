"""The Qt types the first consultation meets are made ready at start-up, off the GUI
thread (consult.ui.shell.warm_types): their Python enums exist before the consent
dialog and the chart need them."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

# In a fresh process (enums, once made, stay for the process): count the enums PySide6
# makes while the consent dialog's and the chart's operations run, after warm_types on
# a pool thread.
PROBE = textwrap.dedent(
    """
    import enum, os, threading
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, QTimer, QXmlStreamReader
    from PySide6.QtGui import QBrush, QLinearGradient, QRegion, QTextDocument
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from consult.ui.shell.warm_types import warm_types
    if WARM:
        worker = threading.Thread(target=warm_types)
        worker.start()
        worker.join()
    made = []
    create = enum.EnumType.__dict__["_create_"]
    def counted(cls, class_name, names, **kw):
        made.append(class_name)
        return create(cls, class_name, names, **kw)
    enum.EnumType._create_ = counted
    document = QTextDocument("Consent")
    document.documentLayout()
    block = document.firstBlock()
    block.blockFormat().headingLevel()
    line = block.layout().lineAt(0)
    line.textStart(); line.cursorToX(0)
    QRegion().boundingRect()
    QBrush(QLinearGradient()).gradient().spread()
    reader = QXmlStreamReader("<svg/>")
    reader.readNext()
    QTimer.singleShot(0, QObject(), lambda: None)
    print(sorted(made))
    """
)


def _made(warm: bool) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"WARM = {warm}\n" + PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_the_first_consultations_types_are_ready_before_it_starts() -> None:
    cold = _made(False)
    # The probe does meet them: without warming, the consent dialog's types make their
    # enums on the spot (the text's format and layout, a timer's method…).
    assert {"LineHeightTypes", "CursorMode", "Edge", "CursorPosition"} <= set(cold)
    assert _made(True) == []
