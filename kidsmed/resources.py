"""The files kidsmed ships under `data/`, read the same way installed or checked out."""

from pathlib import Path


def read_data(name: str) -> str:
    """The text of the shipped data file `name` (e.g. "bank-holidays-england-and-wales.json")."""
    # Imported here: importlib.resources pulls in zipfile and tempfile, which
    # `kidsmed --version` has no use for.
    from importlib.resources import files

    try:
        # An installed wheel carries data/ inside the package.
        return (files("kidsmed") / "data" / name).read_text(encoding="utf-8")
    except OSError:
        # An editable checkout keeps data/ beside the package, at the repository root.
        return (Path(__file__).resolve().parent.parent / "data" / name).read_text(encoding="utf-8")
