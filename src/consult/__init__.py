"""Consult: consultation, contraindication screening and informed consent for clinics."""

# Written out rather than read from the installed metadata: importlib.metadata costs
# tens of milliseconds at every start. tests/test_version.py keeps it equal to
# pyproject.toml's version.
__version__ = "0.1.0"

APP_NAME = "Consult"
APP_ID = "app.consult.Consult"
