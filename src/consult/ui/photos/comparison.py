"""Before and after, compared: one area, two chosen photos side by side, or laid one over
the other with the later one's opacity on a slider (to see whether they line up, and
what changed where they do).

The full photos are read when chosen (each a logged view, hence through the write pool)
and decoded on a pool thread; the dialog keeps the decoded ones it has shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from consult.store.errors import StoreError
from consult.store.services import photos
from consult.store.services.photos import PhotoInfo
from consult.ui.photos.decode import decoded
from consult.ui.photos.words import area_text, kind_text
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, run_write

SHOWN_SIDE = 2048
"""The longest side a photo is decoded to for the comparison (enough for a full screen)."""


def _fitted(image: QImage, bounds: QRectF) -> QRectF:
    """Where ``image`` goes in ``bounds``: as large as fits, its shape kept, centred."""
    if image.isNull() or bounds.isEmpty():
        return QRectF()
    scale = min(bounds.width() / image.width(), bounds.height() / image.height())
    size = QSize(int(image.width() * scale), int(image.height() * scale))
    left = bounds.left() + (bounds.width() - size.width()) / 2
    top = bounds.top() + (bounds.height() - size.height()) / 2
    return QRectF(left, top, size.width(), size.height())


class PairCanvas(QWidget):
    """Two photos painted side by side (``overlay`` False) or the second over the first
    at :attr:`opacity` (``overlay`` True), each scaled to fit, never stretched."""

    GAP = 8

    def __init__(self, overlay: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlay = overlay
        self.first = QImage()
        self.second = QImage()
        self.opacity = 0.5
        self.setMinimumSize(240, 160)

    def set_images(self, first: QImage, second: QImage) -> None:
        """Show ``first`` (the earlier photo) and ``second`` (the later)."""
        self.first, self.second = first, second
        self.update()

    def set_opacity(self, opacity: float) -> None:
        """The later photo's opacity over the earlier one (0: only the earlier)."""
        self.opacity = max(0.0, min(1.0, opacity))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the pair (nothing until both are loaded)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        whole = QRectF(self.rect())
        if self.overlay:
            painter.drawImage(_fitted(self.first, whole), self.first)
            painter.setOpacity(self.opacity)
            painter.drawImage(_fitted(self.second, whole), self.second)
        else:
            half = (whole.width() - self.GAP) / 2
            left = QRectF(whole.left(), whole.top(), half, whole.height())
            right = QRectF(whole.left() + half + self.GAP, whole.top(), half, whole.height())
            painter.drawImage(_fitted(self.first, left), self.first)
            painter.drawImage(_fitted(self.second, right), self.second)
        painter.end()


class ComparisonDialog(QDialog):
    """Compare two photos of one area: chosen by area, then the earlier and the later
    (each named by when, its kind and, from ``treatment_names`` by treatment record, the
    treatment it documents)."""

    def __init__(
        self,
        session: AppSession,
        shown: Sequence[PhotoInfo],
        start: PhotoInfo | None = None,
        parent: QWidget | None = None,
        treatment_names: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.photos = sorted(shown, key=lambda p: (p.taken_at, p.id))
        self._treatment_names = dict(treatment_names or {})
        self._images: dict[int, QImage] = {}
        self._loading: set[int] = set()
        self.setWindowTitle(self.tr("Compare photos"))
        fit_dialog(self, QSize(1100, 720), parent)
        layout = QVBoxLayout(self)
        choices = QFormLayout()
        self.area = QComboBox(self)
        self.earlier = QComboBox(self)
        self.later = QComboBox(self)
        for label, box in (
            (self.tr("&Area:"), self.area),
            (self.tr("&Earlier:"), self.earlier),
            (self.tr("&Later:"), self.later),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(box)
            box.setAccessibleName(label.replace("&", "").rstrip(":"))
            choices.addRow(caption, box)
        layout.addLayout(choices)
        self.views = QTabWidget(self)
        self.side_by_side = PairCanvas(False, self)
        self.side_by_side.setAccessibleName(self.tr("The two photos side by side"))
        overlay_page = QWidget(self)
        overlay_layout = QVBoxLayout(overlay_page)
        self.overlay = PairCanvas(True, overlay_page)
        self.overlay.setAccessibleName(self.tr("The later photo over the earlier"))
        overlay_layout.addWidget(self.overlay, 1)
        slider_row = QHBoxLayout()
        slider_label = QLabel(self.tr("Later photo's &opacity:"), overlay_page)
        self.opacity = QSlider(Qt.Orientation.Horizontal, overlay_page)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setPageStep(10)
        self.opacity.setAccessibleName(self.tr("Later photo's opacity"))
        slider_label.setBuddy(self.opacity)
        self.opacity_value = QLabel(overlay_page)
        slider_row.addWidget(slider_label)
        slider_row.addWidget(self.opacity, 1)
        slider_row.addWidget(self.opacity_value)
        overlay_layout.addLayout(slider_row)
        self.views.addTab(self.side_by_side, self.tr("&Side by side"))
        self.views.addTab(overlay_page, self.tr("O&verlay"))
        layout.addWidget(self.views, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Comparison status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.accept)
        close_row.addWidget(self.close_button)
        layout.addLayout(close_row)
        areas = list(dict.fromkeys(p.area for p in self.photos))
        for area in areas:
            self.area.addItem(area_text(area), area)
        self.area.currentIndexChanged.connect(self._area_changed)
        self.earlier.currentIndexChanged.connect(self._choice_changed)
        self.later.currentIndexChanged.connect(self._choice_changed)
        self.opacity.valueChanged.connect(self._opacity_changed)
        self._opacity_changed(self.opacity.value())
        if start is not None and start.area in areas:
            self.area.setCurrentIndex(areas.index(start.area))
        self._area_changed(start)

    def _of_area(self) -> list[PhotoInfo]:
        area = self.area.currentData()
        return [p for p in self.photos if p.area == area]

    def _area_changed(self, start: object = None) -> None:
        chosen = self._of_area()
        for box in (self.earlier, self.later):
            box.blockSignals(True)
            box.clear()
            for photo in chosen:
                box.addItem(self._caption(photo), photo.id)
            box.blockSignals(False)
        if chosen:
            # The first before and the last photo of the area, unless one was clicked.
            ids = [p.id for p in chosen]
            self.earlier.setCurrentIndex(0)
            self.later.setCurrentIndex(len(chosen) - 1)
            if isinstance(start, PhotoInfo) and start.id in ids:
                index = ids.index(start.id)
                if index == len(chosen) - 1 and len(chosen) > 1:
                    self.earlier.setCurrentIndex(index - 1)
                    self.later.setCurrentIndex(index)
                else:
                    self.earlier.setCurrentIndex(index)
        self._choice_changed()

    def _caption(self, photo: PhotoInfo) -> str:
        """When the photo was taken, its kind and the treatment it documents, if any."""
        what = [local_time(photo.taken_at), kind_text(photo.kind)]
        treatment = self._treatment_names.get(photo.treatment_record_id or 0)
        if treatment:
            what.append(treatment)
        return " · ".join(what)

    def chosen(self) -> tuple[int | None, int | None]:
        """The ids of the earlier and the later photo chosen."""
        return self.earlier.currentData(), self.later.currentData()

    def _choice_changed(self) -> None:
        self.error.clear_error()
        first, second = self.chosen()
        for photo_id in (first, second):
            if photo_id is not None and photo_id not in self._images:
                self._load(photo_id)
        self._show()

    def _load(self, photo_id: int) -> None:
        if photo_id in self._loading:
            return
        self._loading.add(photo_id)
        self.status.setText(self.tr("Loading…"))
        ctx = self.session.ctx

        def read() -> bytes:
            return photos.image(ctx, photo_id)

        run_write(read, lambda data: self._decode(photo_id, data), self._failed)

    def _decode(self, photo_id: int, data: bytes) -> None:
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        run_in_background(
            lambda: decoded(data, SHOWN_SIDE),
            lambda image: self._loaded(photo_id, image),
            self._failed,
        )

    def _loaded(self, photo_id: int, image: QImage) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading.discard(photo_id)
        self._images[photo_id] = image
        self._show()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading.clear()
        self.status.clear()
        self.error.show_error(refusal_text(exc) if isinstance(exc, StoreError) else repr(exc))

    def is_ready(self) -> bool:
        """Whether both chosen photos are shown."""
        first, second = self.chosen()
        return first in self._images and second in self._images

    def _show(self) -> None:
        first, second = self.chosen()
        if first is None or second is None:
            self.status.setText(self.tr("No photos of this area."))
            return
        if not self.is_ready():
            return
        self.status.clear()
        for canvas in (self.side_by_side, self.overlay):
            canvas.set_images(self._images[first], self._images[second])

    def _opacity_changed(self, value: int) -> None:
        self.opacity_value.setText(f"{value} %")
        self.overlay.set_opacity(value / 100)
