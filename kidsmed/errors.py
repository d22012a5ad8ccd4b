"""The one exception hierarchy of kidsmed.

The domain raises these; the CLI maps them to exit codes in one place
(`kidsmed.cli.app.main`). A message names the case by its reference and never
carries a child's or a family's personal details.
"""


class KidsmedError(Exception):
    """A command could not do what was asked. `str()` is the line the user sees."""

    exit_code = 1

    def __init__(self, what: str, fix: str | None = None):
        self.what = what
        self.fix = fix
        super().__init__(f"{what} — {fix}" if fix else what)


class Refused(KidsmedError):
    """A rule of the service refuses the command (bank holiday, clash, wrong status)."""

    exit_code = 1


class BadInput(KidsmedError):
    """What was typed cannot be understood (a bad date, an unknown choice)."""

    exit_code = 2


class NotFound(KidsmedError):
    """The case, mediator or venue named does not exist."""

    exit_code = 3
