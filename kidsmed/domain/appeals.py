"""Appeals to the SEND Tribunal: the family's own step, recorded so the counts can say
how many mediations were followed by an appeal (SEN2 `total_tribunal_followed_mediation`)."""

from __future__ import annotations

from datetime import date, datetime

from kidsmed.domain import case_clocks
from kidsmed.domain.cases import Result, case_view, get, utc
from kidsmed.domain.clocks import APPEAL
from kidsmed.domain.dates import LONDON, format_date
from kidsmed.errors import BadInput, Refused
from kidsmed.store import cases as store
from kidsmed.store import clocks as clock_store
from kidsmed.store import events
from kidsmed.store.db import Database


def record_appeal(db: Database, now: datetime, user: str, ref: str, lodged_on: date) -> Result:
    """Record (or correct) the date the family lodged an appeal with the SEND Tribunal."""
    with db.transaction():
        case = get(db, ref)
        if case["kind"] != "mediation":
            raise Refused(f"{case['ref']} is a disagreement-resolution case",
                          "only a mediation case leads to a SEND Tribunal appeal")
        if lodged_on > now.astimezone(LONDON).date():
            raise BadInput("an appeal cannot be lodged in the future", "check --lodged-on")
        if lodged_on.isoformat() < case["received_on"]:
            received = format_date(date.fromisoformat(case["received_on"]))
            raise BadInput(f"the appeal date is before {case['ref']} was received ({received})", "check --lodged-on")
        old = case["appeal_lodged_on"]
        if old == lodged_on.isoformat():
            return Result(case_view(db, case["ref"], now), ["nothing changed: the appeal was already recorded"])
        store.update_case(db, case["id"], {"appeal_lodged_on": lodged_on.isoformat()})
        events.record(db, utc(now), user, case["id"], "appeal",
                      {"appeal_lodged_on": {"old": old, "new": lodged_on.isoformat()}})
        return Result(case_view(db, case["ref"], now), _end_deadline(db, now, user, case, lodged_on))


def _end_deadline(db: Database, now: datetime, user: str, case: dict, lodged_on: date) -> list[str]:
    """The family's appeal-deadline clock ends `appealed` on the day the appeal was lodged (a
    corrected date moves that day); a late appeal is recorded, with a warning: the Tribunal, not
    the service, decides whether to accept it."""
    clock = clock_store.latest(db, case["id"], APPEAL)
    if clock is None or clock["state"] == "stopped":
        return []
    case_clocks.meet_clock(db, now, user, case, clock, lodged_on)
    if lodged_on.isoformat() <= clock["due_on"]:
        return []
    return [f"the appeal was lodged on {format_date(lodged_on)}, after the family's deadline of "
            f"{format_date(date.fromisoformat(clock['due_on']))}: recorded, but the Tribunal decides "
            "whether to accept a late appeal"]
