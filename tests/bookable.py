"""Cases ready to book, without waiting for the consent and agreement commands (issue 3).

A case is logged through the CLI, then given a 'yes' from every required party, the
status ready-to-book and the family's 30-day mediation clock, straight in the store.
"""

from datetime import date

from kidsmed.domain import case_clocks, cases, workflow
from kidsmed.domain.dates import parse_now
from kidsmed.store.db import open_db


def make_bookable(kidsmed, db_path, *intake: str, agreed_on: str | None = None) -> str:
    """Log a referral and make it ready to book; returns its reference."""
    view = kidsmed.intake(*intake)
    now = parse_now(view["received_at"])
    on = date.fromisoformat(agreed_on) if agreed_on else now.date()
    db = open_db(db_path)
    try:
        with db.transaction():
            case = cases.get(db, view["ref"])
            for party in workflow.required_parties(case["kind"], case["issues"], case["other_party"]):
                db.execute(
                    "INSERT INTO agreements (case_id, party, answer, on_date, recorded_by, recorded_at)"
                    " VALUES (?, ?, 'yes', ?, 'tester', ?)", (case["id"], party, on.isoformat(), view["received_at"]))
            db.execute("UPDATE cases SET status = 'ready-to-book' WHERE id = ?", (case["id"],))
            case_clocks.start(db, now, "tester", case, "mediation-within-30-days", "family wants mediation", on)
    finally:
        db.close()
    return view["ref"]


def add_people(kidsmed, mediators=("Jo Mediator", "Kim Mediator"), venues=("Oak Room", "Elm Room")) -> None:
    for name in mediators:
        assert kidsmed("mediators", "add", name).exit_code == 0
    for name in venues:
        assert kidsmed("venues", "add", name).exit_code == 0
