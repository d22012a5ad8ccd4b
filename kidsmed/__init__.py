"""kidsmed: the case book of a SEND mediation service."""

__version__ = "0.1.0"


def version_line() -> str:
    return f"kidsmed {__version__}"
