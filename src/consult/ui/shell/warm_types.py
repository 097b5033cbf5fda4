"""Qt's Python types that the first consultation meets, made ready off the GUI thread.

PySide6 makes a Qt class's Python enums the first time the class is used from Python,
about half a millisecond each, on whichever thread uses it. The first consent dialog
of a run met eighteen of them at once (a text block's format, its lines and layout,
the signature pad's brush and region, a timer's method; measured with
``benchmarks/bench_event_loop.py``), some 10 ms of the GUI thread's time in the step
that opens it, and the first chart three more (the SVG reader). :func:`warm_types`
uses the same classes in the same way once, on the pool thread that prepares the
workspace at start-up. Only reentrant value classes are used, never a widget: they are
safe on any thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QXmlStreamReader
from PySide6.QtGui import QBrush, QLinearGradient, QRegion, QTextDocument


def warm_types() -> None:
    """Use each class the first consultation meets, once (see the module)."""
    document = QTextDocument("Consult")
    block = document.firstBlock()
    block.blockFormat().headingLevel()
    document.documentLayout()  # lays the block out
    layout = block.layout()
    if layout is not None and layout.lineCount():
        line = layout.lineAt(0)
        line.textStart()
        line.cursorToX(0)
    QRegion(QRect(0, 0, 1, 1)).boundingRect()
    QBrush(QLinearGradient()).gradient().spread()
    reader = QXmlStreamReader("<svg/>")
    while not reader.atEnd():
        reader.readNext()
    method = QObject().metaObject().method(0)  # as a timer for a receiver reads it
    method.methodType()
    method.access()
