"""The statutory clocks of SEND mediation in England: one table, and the arithmetic on it.

Sources: Children and Families Act 2014 ss51–57; the Special Educational Needs and
Disability Regulations 2014 (SI 2014/1530) regs 32–42; the Tribunal Procedure
(First-tier Tribunal) (Health, Education and Social Care Chamber) Rules 2008 (SI 2008/2699).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, NamedTuple

from kidsmed.domain.calendar import Calendar, add_months
from kidsmed.domain.dates import format_date
from kidsmed.errors import BadInput

Unit = Literal["working-days", "days", "weeks", "months"]
Kind = Literal["mediation", "disagreement-resolution"]

_REGS = "SEND Regulations 2014 (SI 2014/1530)"
_TRIBUNAL_RULES = "Tribunal Procedure (First-tier Tribunal) (HESC Chamber) Rules 2008 (SI 2008/2699)"


class Rule(NamedTuple):
    """One statutory clock: what starts it, how long it runs, and what stops it."""

    name: str
    starts: str
    length: int
    unit: Unit
    met_by: str
    kinds: tuple[Kind, ...]
    source: str
    informational: bool = False  # shown to staff, never breached: e.g. the family's own deadline


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "certificate-after-decline",
            "the family tells the mediation adviser it does not want mediation",
            3,
            "working-days",
            "the certificate is issued",
            ("mediation",),
            f"{_REGS} reg 34(1); CFA 2014 s55(4)",  # citation to verify: paragraph (1) or (2)
        ),
        Rule(
            "mediation-within-30-days",
            "the family tells the LA it wants mediation",
            30,
            "days",
            "the first mediation session is held",
            ("mediation",),
            f"{_REGS} regs 35–36; CFA 2014 s53",  # citation to verify: the regulation setting 30 days
        ),
        Rule(
            "health-notice",
            "the family wants mediation and the issues include health care provision",
            3,
            "working-days",
            "the LA has told the integrated care board the mediation issues",
            ("mediation",),
            f"{_REGS} reg 35",  # citation to verify: paragraph
        ),
        Rule(
            "certificate-deemed",
            "the LA says it cannot arrange mediation within 30 days, or the 30 days pass with no "
            "session held (from the day after their due date)",
            3,
            "working-days",
            "the certificate is issued",
            ("mediation",),
            f"{_REGS} reg 37; CFA 2014 s55(5)",  # citation to verify
        ),
        Rule(
            "certificate-after-mediation",
            "the mediation concludes",
            3,
            "working-days",
            "the certificate is issued",
            ("mediation",),
            f"{_REGS} reg 39; CFA 2014 s55(5)",  # citation to verify: paragraph
        ),
        Rule(
            "agreement-actions",
            "a mediation ends in agreement or partial agreement",
            2,
            "weeks",
            "the LA or health body has done what it agreed",
            ("mediation", "disagreement-resolution"),
            f"{_REGS} reg 42(3)",
        ),
        Rule(
            "appeal-deadline",
            "a certificate is issued (before that, the LA decision notice, which allows 2 months)",
            1,
            "months",
            "the family lodges its appeal with the Tribunal (`kidsmed appeal`)",
            ("mediation",),
            f"{_TRIBUNAL_RULES} r.20 (time limit) and r.12 (days that do not count)",
            informational=True,
        ),
    )
}


APPEAL = "appeal-deadline"  # the family's own deadline, started by each certificate
THIRTY_DAYS = "mediation-within-30-days"
DEEMED = "certificate-deemed"
NO_SESSION = "no session held within 30 days"
# The rules shown to staff but never breached (the family's own deadline).
INFORMATIONAL = tuple(name for name, found in RULES.items() if found.informational)


def rule(name: str) -> Rule:
    """The rule called `name`, or BadInput naming the ones that exist."""
    try:
        return RULES[name]
    except KeyError:
        shown = "".join(c for c in name if c.isprintable())[:40]
        raise BadInput(f"'{shown}' is not a clock", f"use one of: {', '.join(RULES)}") from None


def due_date(rule_name: str, started_on: date, cal: Calendar, decision_date: date | None = None) -> date:
    """The day a clock that started on `started_on` falls due (`decision_date`, the day written
    notice of the LA's decision was sent, matters only to the family's appeal deadline)."""
    found = rule(rule_name)
    if found.name == "appeal-deadline":
        # The family's deadline has its own moves (August, Christmas): see appeal_deadline.
        return appeal_deadline(decision_date, started_on, cal)[0]
    if found.unit == "working-days":
        return cal.add_working_days(started_on, found.length)
    if found.unit == "days":
        return started_on + timedelta(days=found.length)
    if found.unit == "weeks":
        return started_on + timedelta(weeks=found.length)
    return add_months(started_on, found.length)


def clock_state(stored: str, due_on: date, ended_on: date | None, today: date, rule_name: str = "") -> str:
    """What a clock is now: running, met, met-late, breached or stopped.

    `ended_on` is the day it was met or stopped. A clock stopped after its due date had passed
    was missed before it became moot: it is breached, not stopped. (A clock stopped before
    kidsmed kept that day has none, and stays stopped.) The family's own deadline is never
    breached: it is `passed` once its day has gone, or `appealed` (on time or not).
    """
    if rule_name and RULES[rule_name].informational and stored != "stopped":
        if stored == "met":
            return "appealed"
        return "passed" if today > due_on else "running"
    if stored == "stopped":
        return "breached" if ended_on is not None and ended_on > due_on else "stopped"
    if stored == "met":
        return "met-late" if ended_on is not None and ended_on > due_on else "met"
    if stored == "running":
        return "breached" if today > due_on else "running"
    raise ValueError(f"a clock is stored as running, met or stopped, not {stored!r}")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def progress(rule_name: str, started_on: date, due_on: date, today: date, cal: Calendar) -> str:
    """How far along a clock is: "day 2 of 3 working days", "day 34 of 30 days"."""
    found = rule(rule_name)
    if found.unit == "working-days":
        elapsed = cal.working_days_between(started_on, today)
        return f"day {elapsed} of {_plural(found.length, 'working day')}"
    elapsed = max((today - started_on).days, 0)
    if found.unit == "days" or found.informational:
        # The appeal deadline is the later of two periods, moved off closed days: only its days say it.
        length = found.length if found.unit == "days" else (due_on - started_on).days
        return f"day {elapsed} of {_plural(length, 'day')}"
    # Weeks and months read best as days, with the period they stand for (an agreed action sets
    # its own number of weeks, so they are counted from its dates).
    days = (due_on - started_on).days
    if found.unit == "weeks":
        period = f" ({_plural(days // 7, 'week')})" if days % 7 == 0 and days else ""
    else:
        period = f" ({_plural(found.length, found.unit[:-1])})"
    return f"day {elapsed} of {_plural(days, 'day')}{period}"


def describe(rule_name: str, started_on: date, due_on: date, start_label: str, today: date, cal: Calendar) -> str:
    """Where a clock stands and where it came from, in one line for staff."""
    where = progress(rule_name, started_on, due_on, today, cal)
    return f"{where} · due {format_date(due_on)} ({rule_name}, from '{start_label}' on {format_date(started_on)})"


def _excluded(d: date) -> bool:
    """A day on which the Tribunal does not end a time limit: 25 December to 1 January, or August."""
    return d.month == 8 or (d.month, d.day) >= (12, 25) or (d.month, d.day) == (1, 1)


def _tribunal_day(deadline: date, cal: Calendar) -> tuple[date, str]:
    """Move a deadline off the days the Tribunal does not end time limits on.

    A weekend or bank holiday moves to the next working day first, which may itself fall
    in one of the excluded periods (Sat 24 Dec → Wed 28 Dec; Sat 30 Jul → Mon 1 Aug).
    """
    weekend_move = ""
    if not _excluded(deadline) and not cal.is_working_day(deadline):
        moved = cal.next_working_day(deadline)
        weekend_move = f"{format_date(deadline)} is not a working day: moved to {format_date(moved)}"
        deadline = moved
    if not _excluded(deadline):
        return deadline, weekend_move
    if deadline.month == 8:
        moved = cal.next_working_day(date(deadline.year, 8, 31))
        move = f"falls in August: moved to the first working day after 31 August, {format_date(moved)}"
    else:
        moved = cal.next_working_day(date(deadline.year + (deadline.month == 12), 1, 1))
        move = ("falls between 25 December and 1 January: moved to the first working day "
                f"after 1 January, {format_date(moved)}")
    return moved, f"{weekend_move}, which {move}" if weekend_move else move


def _later_period(decision_date: date | None, certificate_issued_on: date) -> tuple[date, str]:
    """The later of decision + 2 months and certificate + 1 month, and which one it was."""
    by_certificate = add_months(certificate_issued_on, 1)
    certificate = f"certificate issued {format_date(certificate_issued_on)} + 1 month = {format_date(by_certificate)}"
    if decision_date is None:
        return by_certificate, f"{certificate} (decision date not known)"
    by_decision = add_months(decision_date, 2)
    if by_decision > by_certificate:
        return by_decision, (
            f"decision {format_date(decision_date)} + 2 months = {format_date(by_decision)} "
            "(later than certificate + 1 month)"
        )
    compared = "the same as" if by_decision == by_certificate else "later than"
    return by_certificate, f"{certificate} ({compared} decision + 2 months)"


def appeal_deadline(decision_date: date | None, certificate_issued_on: date, cal: Calendar) -> tuple[date, str]:
    """The family's last day to appeal, and how it was worked out, in plain words.

    The later of decision + 2 months and certificate + 1 month (certificate + 1 month
    when the decision date is not known), then moved off 25 December–1 January, August
    and any other day that is not a working day.
    """
    deadline, why = _later_period(decision_date, certificate_issued_on)
    moved, move = _tribunal_day(deadline, cal)
    return moved, f"{why}; {move}" if move else why


def decision_window(decision_date: date, cal: Calendar) -> date:
    """The family's appeal window before any certificate: decision + 2 months, moved as the
    Tribunal moves a deadline. A certificate can only make it later (certificate + 1 month)."""
    return _tribunal_day(add_months(decision_date, 2), cal)[0]


def deemed_after(thirty_days_due: date, cal: Calendar) -> tuple[date, date]:
    """When the 30 days pass with no session held, the certificate is deemed owed from the day
    after their due date: that start, and its due date."""
    started = thirty_days_due + timedelta(days=1)
    return started, due_date(DEEMED, started, cal)
