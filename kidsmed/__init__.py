"""kidsmed: the case book of a SEND mediation service."""

import os
import sys

__version__ = "0.1.0"


def app_dir() -> str:
    """The kidsmed app folder, where Click's get_app_dir("kidsmed") puts it (a test checks they
    agree). Worked out here because `kidsmed --version` answers before Typer, and Click, load."""
    if sys.platform.startswith("win"):
        return os.path.join(os.environ.get("APPDATA", os.path.expanduser("~")), "kidsmed")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), "kidsmed")
    return os.path.join(os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")), "kidsmed")


def default_db_path() -> str:
    return os.path.join(app_dir(), "kidsmed.db")


def version_line(db: str | None = None, given_by: str = "--db") -> str:
    """The version and where the case book is: the first two things to ask when something is wrong.
    `db` is what --db said, if anything; else KIDSMED_DB, else the default."""
    if db is None:
        db, given_by = os.environ.get("KIDSMED_DB"), "KIDSMED_DB"
    if not db:
        db, given_by = default_db_path(), "the default"
    from kidsmed.store.engine import is_postgres, shown

    where = shown(db) if is_postgres(db) else os.path.abspath(db)
    return f"kidsmed {__version__}\ncase book: {where} ({given_by})"
