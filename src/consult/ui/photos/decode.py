"""Photo bytes made into images on a pool thread (a QImage may be made off the GUI
thread; a QPixmap may not): decoding a 12-megapixel JPEG takes long enough to be felt."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QImage

_log = logging.getLogger(__name__)


def decoded(data: bytes, longest_side: int = 0) -> QImage:
    """``data`` as an image, scaled down to ``longest_side`` if given and larger; a null
    image (logged) for bytes that cannot be decoded."""
    image = QImage.fromData(QByteArray(data))
    if image.isNull():
        _log.warning("a stored photo (%d bytes) could not be decoded", len(data))
        return image
    if longest_side and max(image.width(), image.height()) > longest_side:
        image = image.scaled(
            longest_side,
            longest_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image
