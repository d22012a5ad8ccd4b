"""Folders kidsmed creates: they may hold children's data, so each is its owner's alone."""

from __future__ import annotations

import os
from pathlib import Path


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
