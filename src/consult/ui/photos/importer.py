"""Importing photo files into one consultation: each file read, checked and stripped on
a pool thread (several at once: re-encoding a camera's JPEG takes a few hundred
milliseconds), then stored by the write pool, one after another, in the order they were
ready. Progress and each file's refusal are told as they come; nothing blocks the window.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from consult.store.errors import StoreError, ValidationError
from consult.store.photo_images import MAX_FILE_BYTES, PreparedPhoto, prepare_photo
from consult.store.services import photos
from consult.store.services.context import ServiceContext
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.tasks import run_in_background, run_write

_log = logging.getLogger(__name__)

FILE_FILTER = "Photos (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.bmp);;All files (*)"
"""The file dialog's filter (a camera folder's JPEGs; any file may still be chosen, and is
refused with a message if it is not a picture)."""


def read_and_prepare(path: Path) -> PreparedPhoto:
    """The file at ``path``, checked and stripped (on a pool thread); a file too large is
    refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                "photo",
                f"{path.name}: the file is {size / 1_048_576:.0f} MB; "
                f"photos of up to {MAX_FILE_BYTES // 1_048_576} MB are taken.",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("photo", f"{path.name}: the file cannot be read ({exc}).") from exc
    return prepare_photo(data, path.name)


class PhotoImport(QObject):
    """One import of ``paths`` into a consultation, as ``area`` and ``kind``, each photo
    naming ``treatment_record_id`` (the treatment it documents; None: none).

    ``progressed(done, total)`` after each file, stored or refused; ``finished(stored,
    problems)`` once every file is done (``problems``: one line per refused file).
    """

    progressed = Signal(int, int)
    finished = Signal(int, list)

    def __init__(
        self,
        ctx: ServiceContext,
        consultation_id: int,
        paths: Sequence[Path],
        *,
        area: str,
        kind: str,
        treatment_record_id: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._consultation_id = consultation_id
        self._paths = list(paths)
        self._area = area
        self._kind = kind
        self._treatment_record_id = treatment_record_id
        self._done = 0
        self._stored = 0
        self._problems: list[str] = []

    @property
    def total(self) -> int:
        """How many files this import takes."""
        return len(self._paths)

    def start(self) -> None:
        """Prepare every file on the pool; each is stored as soon as it is ready."""
        if not self._paths:
            self.finished.emit(0, [])
            return
        for path in self._paths:
            run_in_background(partial(read_and_prepare, path), self._store, self._refused)

    def _store(self, prepared: PreparedPhoto) -> None:
        ctx, consultation_id, area, kind = self._ctx, self._consultation_id, self._area, self._kind
        treatment = self._treatment_record_id
        run_write(
            lambda: photos.add_photo(
                ctx, consultation_id, prepared, area=area, kind=kind, treatment_record_id=treatment
            ),
            self._stored_one,
            self._refused,
        )

    def _stored_one(self, _info: object) -> None:
        self._stored += 1
        self._advance()

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self._problems.append(refusal_words(exc.message))
        elif isinstance(exc, StoreError):
            self._problems.append(refusal_text(exc))
        else:  # a bug: the task runner logged it with its traceback
            self._problems.append(repr(exc))
        self._advance()

    def _advance(self) -> None:
        self._done += 1
        self.progressed.emit(self._done, self.total)
        if self._done == self.total:
            _log.info("photos imported: %d of %d", self._stored, self.total)
            self.finished.emit(self._stored, list(self._problems))
