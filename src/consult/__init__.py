"""Consult: consultation, contraindication screening and informed consent for clinics."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("consult")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0+source"

APP_NAME = "Consult"
APP_ID = "app.consult.Consult"
