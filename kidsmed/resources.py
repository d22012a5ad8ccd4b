"""The files kidsmed ships under `data/`, read the same way installed or checked out."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# An installed wheel carries data/ inside the package; a checkout keeps it beside the package, at
# the repository root. (Not importlib.resources: it loads zipfile and tempfile, 6 ms of every
# command's start, for a package that pip never installs zipped.)
_FOLDERS = (_PACKAGE / "data", _PACKAGE.parent / "data")


def read_data(name: str) -> str:
    """The text of the shipped data file `name` (e.g. "bank-holidays-england-and-wales.json")."""
    for folder in _FOLDERS:
        try:
            return (folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
    raise FileNotFoundError(f"kidsmed's data file {name} is missing: reinstall kidsmed")
