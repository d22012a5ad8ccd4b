"""Files and folders kidsmed creates: they may hold children's data, so each is its owner's alone.

A copy (a backup, the copy a restore keeps aside, an --output file) is first written under a
hidden partial name beside its target, with SQLite's companion files while it is written, and
renamed into place only when whole. A process killed meanwhile leaves them: the next backup
removes them and `kidsmed check` names them.
"""

from __future__ import annotations

import os
from pathlib import Path

PARTIAL = ".partial"
COMPANIONS = ("-journal", "-wal", "-shm")


def make_private_folders(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each mode 0700 whatever the umask."""
    missing = []
    for each in (folder, *folder.parents):
        if each.exists():
            break
        missing.append(each)
    for each in reversed(missing):
        try:
            os.mkdir(each, 0o700)
        except FileExistsError:  # a colleague's kidsmed made it a moment ago
            continue
        os.chmod(each, 0o700)  # mkdir's mode passes through the umask, which may take too much


def partial_name(target: Path) -> Path:
    """Where `target` is written before it is whole: hidden, beside it, named by this process."""
    return target.with_name(f".{target.name}.{os.getpid()}{PARTIAL}")


def remove_partial(partial: Path) -> None:
    for path in (partial, *(Path(f"{partial}{suffix}") for suffix in COMPANIONS)):
        path.unlink(missing_ok=True)


def stale_partials(folder: Path) -> list[Path]:
    """Partial copies in `folder` left by a kidsmed that was killed before it finished, with their
    companion files: each may be a complete copy of every child's data."""
    found = []
    for path in sorted(folder.glob(f".*{PARTIAL}*")):
        pid = _partial_pid(path)
        if pid is not None and not _running(pid):
            found.append(path)
    return found


def remove_stale_partials(folder: Path) -> None:
    """Delete what killed backups and restores left in `folder` (a running one's files stay)."""
    for path in stale_partials(folder):
        path.unlink(missing_ok=True)


def _partial_pid(path: Path) -> int | None:
    name = path.name
    for suffix in COMPANIONS:
        name = name.removesuffix(suffix)
    stem, _, pid = name.removesuffix(PARTIAL).rpartition(".")
    return int(pid) if stem and name.endswith(PARTIAL) and pid.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process is there
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    return True
