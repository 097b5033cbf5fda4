"""Every directory Consult reads or writes, decided in one place.

By default these are the platform's per-user directories (platformdirs). A *home*
(``--home DIR`` or ``CONSULT_HOME``) puts all of them under one directory instead, so
tests, demos and portable installs never touch a real profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from consult import APP_NAME

HOME_ENV = "CONSULT_HOME"


@dataclass(frozen=True)
class Dirs:
    """The directories of one Consult installation or home."""

    data: Path
    config: Path
    logs: Path
    backups: Path
    home: Path | None = None

    @property
    def database_file(self) -> Path:
        """The embedded SQLite database."""
        return self.data / "consult.sqlite3"

    @property
    def lock_file(self) -> Path:
        """Held exclusively while a process has the embedded database open."""
        return self.data / "consult.lock"

    @property
    def policy_dir(self) -> Path:
        """The clinic's own screening policy files."""
        return self.config / "policy"

    @property
    def open_copies(self) -> Path:
        """Decrypted copies of stored forms handed to another program (the PDF viewer).

        Only Consult writes here; the folder is emptied when the app starts and when it
        closes, so no copy outlives the session that made it.
        """
        return self.data / "open-copies"

    def ensure(self) -> Dirs:
        """Create every directory that does not exist yet, and return self."""
        for path in (self.data, self.config, self.logs, self.backups):
            path.mkdir(parents=True, exist_ok=True)
        return self


def for_home(home: Path) -> Dirs:
    """All directories under one home directory."""
    home = home.expanduser().resolve()
    return Dirs(
        data=home / "data",
        config=home / "config",
        logs=home / "logs",
        backups=home / "backups",
        home=home,
    )


def resolve(home: str | os.PathLike[str] | None = None) -> Dirs:
    """The directories to use: an explicit home, then ``CONSULT_HOME``, then the platform's."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        return for_home(Path(chosen))
    user = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    data = Path(user.user_data_dir)
    return Dirs(
        data=data,
        config=Path(user.user_config_dir),
        logs=Path(user.user_log_dir),
        backups=data / "backups",
    )


def demo_home() -> Path:
    """The separate home that ``consult demo`` uses when no home is given."""
    user = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Path(user.user_data_dir).parent / f"{APP_NAME}-demo"
