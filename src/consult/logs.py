"""The log file: what went wrong, kept in the logs directory for the clinic's support.

No patient data is written to the log: audit events go to the audit log in the
database; this file holds program errors and warnings.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from types import TracebackType

from consult.paths import Dirs

LOG_FILE = "consult.log"
_configured = False


def configure(dirs: Dirs, level: int = logging.INFO) -> None:
    """Log to a rotating file in the logs directory (once per process)."""
    global _configured
    if _configured:
        return
    dirs.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        dirs.logs / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root = logging.getLogger("consult")
    root.addHandler(handler)
    root.setLevel(level)
    previous = sys.excepthook

    def log_uncaught(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            root.critical("uncaught exception", exc_info=(kind, value, tb))
        previous(kind, value, tb)

    def log_thread(args: threading.ExceptHookArgs) -> None:
        root.critical(
            "uncaught exception in thread %s: %s",
            args.thread.name if args.thread else "?",
            args.exc_type.__name__,
            exc_info=args.exc_value,
        )

    sys.excepthook = log_uncaught
    threading.excepthook = log_thread
    _configured = True
