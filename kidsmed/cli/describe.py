"""How each command describes itself: the placeholder each option shows, the values it allows,
where Tab completion finds them in the case book, and the example and docs page its help ends with.

The commands are written in nine modules; these tables are applied to each command as it is built
(kidsmed.cli.app.command), so `--help`, docs/reference.md (generated from `--help`) and Tab
completion agree, and a new option gets the same placeholder as its namesakes without anyone
remembering to."""

from __future__ import annotations

import importlib
from typing import NamedTuple

from kidsmed.domain.vocab import (
    CONSENT_METHODS,
    CONTACT_PREFERENCES,
    ISSUES,
    KINDS,
    OTHER_PARTIES,
    PARTIES,
    REFERRER_ROLES,
    STAFF_CLOSE_REASONS,
    STATUSES,
)


class Takes(NamedTuple):
    placeholder: str
    # The only values allowed (completed, and listed in the help): a tuple, or "module:NAME" of
    # a module that only the commands taking it import (building `cases` must not load scheduling).
    values: tuple[str, ...] | str = ()
    book: str | None = None  # what Tab completion looks up in the case book (kidsmed.store.completion)

    def allowed(self) -> tuple[str, ...]:
        if isinstance(self.values, tuple):
            return self.values
        module, _, name = self.values.partition(":")
        return tuple(getattr(importlib.import_module(module), name))


DATE = Takes("DATE")
WHEN = Takes("WHEN")  # a date and a time
TEXT = Takes("TEXT")
NAME = Takes("NAME")
N = Takes("N")
FILE = Takes("FILE")

# Keyed by an option's long name or an argument's name; (command path, key) where one command
# means something else by the same name.
TAKES: dict[str | tuple[str, str], Takes] = {
    **dict.fromkeys(("ref", "--repeat-of"), Takes("REF", book="refs")),
    "--kind": Takes("KIND", KINDS),
    "--referrer-role": Takes("ROLE", (*REFERRER_ROLES, "parent-partnership")),
    "--other-party": Takes("PARTY", OTHER_PARTIES),
    "--party": Takes("PARTY", PARTIES),
    "--issue": Takes("ISSUE", ISSUES),
    "--status": Takes("STATUS", STATUSES),
    "--method": Takes("METHOD", CONSENT_METHODS),
    "--preferred-contact": Takes("HOW", CONTACT_PREFERENCES),
    "--result": Takes("RESULT", "kidsmed.domain.scheduling:RESULTS"),
    "--remote": Takes("HOW", "kidsmed.domain.scheduling:REMOTE"),
    "--format": Takes("FORMAT"),  # each command's help names its own formats
    ("close", "--reason"): Takes("REASON", STAFF_CLOSE_REASONS),
    "--la": Takes("LA", book="local_authorities"),
    **dict.fromkeys((("las retire", "name"), ("las rename", "old"), ("las merge", "old"), ("las merge", "new")),
                    Takes("LA", book="local_authorities")),
    ("las rename", "new"): NAME,
    **dict.fromkeys(("--owner", ("assign", "name")), Takes("NAME", book="owners")),
    **dict.fromkeys(("--code", "--gss-code"), Takes("CODE")),
    **dict.fromkeys(("--what", "--region", ("las list", "search")), TEXT),
    "--mediator": Takes("NAME", book="mediators"),
    "--venue": Takes("NAME", book="venues"),
    ("mediators retire", "name"): Takes("NAME", book="mediators"),
    ("venues retire", "name"): Takes("NAME", book="venues"),
    ("venues edit", "name"): Takes("NAME", book="venues"),
    "rule": Takes("RULE", "kidsmed.domain.deadlines:MARKED_DONE"),
    **dict.fromkeys((("due action", "kind"), "--action"), Takes("ACTION", "kidsmed.domain.actions:KINDS")),
    ("due action", "--by"): DATE,
    "key": Takes("KEY", "kidsmed.domain.settings:SETTINGS"),
    "value": TEXT,
    "text": TEXT,
    "name": NAME,
    "file": FILE,
    "--output": FILE,
    **dict.fromkeys(("--on", "--from", "--to", "--dob", "--decision-date", "--lodged-on", "--closed-before"), DATE),
    **dict.fromkeys(("--at", "--received", ("schedule move", "--to")), WHEN),
    "--until": Takes("TIME"),
    "--hours": Takes("HOURS"),
    "--year": Takes("YEAR"),
    "--older-than": Takes("YEARS"),
    "--session": N,  # the session's number within its case
    **dict.fromkeys(("--cases", "--days", "--limit", "--seed", "--within"), N),
    **dict.fromkeys(("--family", "--child", "--by", "--contact", "--referrer-name", "--la-officer"),
                    NAME),
    **dict.fromkeys(("--phone", "--referrer-phone"), Takes("PHONE")),
    "--email": Takes("EMAIL"),
    **dict.fromkeys(("--address", "--referrer-org", "--setting", "--relationship", "--note", "--notes",
                     "--reason", "--search", "--what"), TEXT),
}


def takes(path: str, param) -> Takes | None:
    """What `param` of the command at `path` ("schedule book") takes, if the table knows."""
    key = param.opts[0] if param.param_type_name == "option" else param.name
    return TAKES.get((path, key)) or TAKES.get(key)


# The guide to read for each command (from the top of the project); docs/reference.md has every option.
GUIDE = {
    "": "README.md#a-five-minute-tour",  # kidsmed itself
    "intake": "docs/staff-guide.md#a-call-from-start-to-finish",
    "edit": "docs/staff-guide.md#a-call-from-start-to-finish",
    **dict.fromkeys(("note", "cases", "show", "assign", "chase"), "docs/staff-guide.md#my-caseload"),
    **dict.fromkeys(("consent", "agree", "close"), "docs/staff-guide.md#the-path-of-a-case"),
    **dict.fromkeys(("schedule", "mediators", "venues"), "docs/staff-guide.md#a-mediators-day"),
    "las": "docs/managers.md#one-local-authority-one-column",
    "due": "docs/rules.md", "holidays": "docs/rules.md#bank-holidays", "certificate": "docs/rules.md",
    "settings": "docs/admin.md", "report": "docs/managers.md", "appeal": "docs/managers.md",
    "demo": "README.md#a-five-minute-tour", "check": "docs/admin.md#checking-the-case-book",
    "backup": "docs/admin.md#backups", "restore": "docs/admin.md#backups", "retention": "docs/admin.md#retention",
}
EXAMPLE = "Example: "


def describe(command, path: str) -> None:
    """Give `command` (and each of its subcommands) its placeholders, allowed values, Tab
    completion, and help that ends with its example and the docs to read."""
    _describe_params(command, path)
    end_help_with_example_and_docs(command, path)
    for name, sub in getattr(command, "commands", {}).items():
        describe(sub, f"{path} {name}")


def _describe_params(command, path: str) -> None:
    for param in command.params:
        what = takes(path, param)
        if what is None or getattr(param, "is_flag", False):
            continue
        param.metavar = param.metavar or what.placeholder  # a module's own placeholder stands
        values = what.allowed()
        if values and not all(value in (param.help or "") for value in values):
            param.help = f"{param.help or ''} One of: {', '.join(values)}.".strip()
        if what.values or what.book:
            param._custom_shell_complete = _completer(what)


def end_help_with_example_and_docs(command, path: str) -> None:
    """Click prints the epilog after the options: the example moves there from the docstring,
    kept on one line (\\b stops Click rewrapping it) so that it can be copied as it is."""
    text, _, example = (command.help or "").rpartition(EXAMPLE)
    if not text:  # no example: leave the help as it is (a test requires one of every command)
        return
    command.help = text.rstrip()
    anchor = "kidsmed-" + path.replace(" ", "-") if path else "global-options-and-environment"
    guide = GUIDE.get(path.split(" ")[0], "docs/staff-guide.md")  # a test asks for each command's own
    command.epilog = (f"\b\n{EXAMPLE}{' '.join(example.split())}\n\n"
                      f"\b\nRead: {guide}\nEvery option: docs/reference.md#{anchor}")


def _completer(what: Takes):
    def complete(ctx, param, incomplete: str):
        from kidsmed.cli.completion import candidates  # only when Tab is pressed

        return candidates(ctx, what, incomplete)

    return complete
