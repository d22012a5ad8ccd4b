"""The one way a command writes an --output file (a letter, a report, a calendar).

It never writes over the case book or a file kidsmed keeps; it writes the whole file or nothing
(a temporary file beside the target, renamed over it, so a reader never sees half a file); and a
file that holds a family's personal details is mode 0600, even when it already existed or the
name given is a link to it. A target it cannot use is refused with exit code 2, nothing written.
"""

from __future__ import annotations

import os
from pathlib import Path

from kidsmed.errors import BadInput
from kidsmed.files import COMPANIONS, PARTIAL, make_private_folders, partial_name
from kidsmed.render.core import safe_text

SQLITE_HEADER = b"SQLite format 3\x00"
HOW = "choose a file in a folder you can write to; nothing was written"


def write_output(path: str | Path, text: str, *, book: str, personal: bool) -> None:
    """Write `text` to `path` for a command run on the case book `book`.

    `personal`: the text names a family or child, so only its owner may read the file."""
    target = Path(os.path.realpath(path))  # through a link to the file it names, never over the link
    if _kept_by_kidsmed(target, book):
        raise BadInput(f"{safe_text(path)} is the case book or a file kidsmed keeps (its -wal or -shm, "
                       "a backup, a copy kept aside, a partial copy)", "choose another file name; nothing was written")
    try:
        if target.exists() and not target.is_file():
            # A device such as /dev/null is written in place: renaming over it would replace it.
            with open(target, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            return
        _replace(target, text, 0o600 if personal else _mode_to_keep(target))
    except OSError as exc:
        raise BadInput(f"cannot write {safe_text(path)} ({exc.strerror})", HOW) from None


def output_folder(folder: str) -> None:
    """Make the folder a command writes several files to (0700, as every folder kidsmed makes)."""
    try:
        make_private_folders(Path(os.path.realpath(folder)))
    except OSError as exc:
        raise BadInput(f"cannot make the folder {safe_text(folder)} ({exc.strerror})", HOW) from None


def _kept_by_kidsmed(target: Path, book: str) -> bool:
    book_file = Path(os.path.realpath(book))
    return (target in {book_file, *(Path(f"{book_file}{suffix}") for suffix in COMPANIONS)}
            or PARTIAL in target.name or _is_database(target))


def _is_database(target: Path) -> bool:
    """Backups and copies kept aside are SQLite files; a letter or a report never is."""
    try:
        with open(target, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # not there, or not a file: nothing of kidsmed's
        return False


def _replace(target: Path, text: str, mode: int) -> None:
    temporary = partial_name(target)
    handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            os.fchmod(file.fileno(), mode)  # exactly: the umask has no say
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _mode_to_keep(target: Path) -> int:
    """A file without personal details keeps its old mode (a calendar a web server publishes stays
    readable); a new one gets the usual mode, as if opened for writing."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
