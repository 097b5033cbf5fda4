"""Qt's own messages (warnings about layouts, fonts, the platform plugin…) in the log
file, with the program's, instead of on a terminal nobody at the clinic reads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_log = logging.getLogger("consult.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Write one of Qt's messages to the ``consult.qt`` logger, at its level."""
    where = f" ({context.category})" if context.category not in (None, "default") else ""
    _log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def route_qt_messages() -> Callable[[], None]:
    """Send Qt's messages to the log from now on; returns what puts the old handler back."""
    previous: Any = qInstallMessageHandler(log_qt_message)

    def put_back() -> None:
        qInstallMessageHandler(previous)

    return put_back
