"""Rows the reports read but no command on this branch writes yet (consent, sessions, clocks,
certificates, closing a case). Written straight into the store, as those commands will."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from kidsmed.domain.dates import LONDON, utc
from kidsmed.store.db import Database, open_db


class CaseBookRows:
    """Direct writes into a case book, each naming the case by its reference."""

    def __init__(self, db: Database | str | Path):
        self.db = db if isinstance(db, Database) else open_db(db)

    def case(self, ref: str, received_on: str, la: str, *, kind: str = "mediation", referrer_role: str = "parent",
             issues: tuple[str, ...] = ("other",), status: str = "awaiting-agreement") -> int:
        """A bare case (no personal details), for tests that need many quickly."""
        year, seq = int(ref.split("-")[1]), int(ref.split("-")[2])
        return self.db.execute(
            "INSERT INTO cases (ref, year, seq, kind, status, received_at, received_on, referrer_role,"
            " local_authority, issues, consent_status, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ref, year, seq, kind, status, f"{received_on}T10:00:00+00:00", received_on, referrer_role, la,
             json.dumps(list(issues)), "not-needed", "tester"),
        ).lastrowid

    def case_id(self, ref: str) -> int:
        return self.db.scalar("SELECT id FROM cases WHERE ref = ?", (ref,))

    def mediator(self, name: str) -> int:
        found = self.db.scalar("SELECT id FROM mediators WHERE name = ?", (name,))
        return found or self.db.execute("INSERT INTO mediators (name) VALUES (?)", (name,)).lastrowid

    def venue(self, name: str) -> int:
        found = self.db.scalar("SELECT id FROM venues WHERE name = ?", (name,))
        return found or self.db.execute("INSERT INTO venues (name) VALUES (?)", (name,)).lastrowid

    def session(self, ref: str, start: str, status: str = "booked", outcome: str | None = None, *,
                hours: int = 3, mediator: str = "Jo Mediator", venue: str | None = None,
                remote: str | None = None, cancelled_at: str | None = None) -> int:
        """A session at `start` ("2026-10-08 10:00", London wall time); `cancelled_at` is a UTC instant."""
        begins = datetime.fromisoformat(start).replace(tzinfo=LONDON)
        ends = begins + timedelta(hours=hours)
        return self.db.execute(
            "INSERT INTO sessions (case_id, start, end, start_utc, end_utc, mediator_id, venue_id, remote,"
            " status, outcome, outcome_on, booked_at, booked_by, cancelled_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.case_id(ref), begins.isoformat(), ends.isoformat(), utc(begins), utc(ends),
             self.mediator(mediator), self.venue(venue) if venue else None, remote, status, outcome,
             begins.date().isoformat() if outcome else None, utc(begins - timedelta(days=14)), "tester",
             cancelled_at),
        ).lastrowid

    def clock(self, ref: str, rule: str, started_on: str, due_on: str, state: str = "running",
              met_on: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO clocks (case_id, rule, start_event, started_on, due_on, state, met_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.case_id(ref), rule, "test", started_on, due_on, state, met_on))

    def certificate(self, ref: str, type: str, issued_on: str, due_on: str, reissue_of: int | None = None) -> int:
        count = self.db.scalar("SELECT count(*) FROM certificates WHERE case_id = ?", (self.case_id(ref),))
        number = f"{ref}-C{count + 1}"
        return self.db.execute(
            "INSERT INTO certificates (case_id, number, type, due_on, issued_on, issued_by, on_time,"
            " appeal_deadline, appeal_rule, reissue_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.case_id(ref), number, type, due_on, issued_on, "tester", int(issued_on <= due_on),
             issued_on, "test", reissue_of),
        ).lastrowid

    def consent(self, ref: str, answer: str, on: str) -> None:
        self.db.execute(
            "INSERT INTO consents (case_id, answer, on_date, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
            (self.case_id(ref), answer, on, "tester", f"{on}T10:00:00+00:00"))
        if answer == "given":
            self.db.execute("UPDATE cases SET consent_status = 'given', status = 'awaiting-agreement'"
                            " WHERE ref = ?", (ref,))

    def agreement(self, ref: str, party: str, answer: str, on: str) -> None:
        self.db.execute(
            "INSERT INTO agreements (case_id, party, answer, on_date, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (self.case_id(ref), party, answer, on, "tester", f"{on}T10:00:00+00:00"))

    def status(self, ref: str, status: str) -> None:
        self.db.execute("UPDATE cases SET status = ? WHERE ref = ?", (status, ref))

    def close(self, ref: str, on: str, reason: str) -> None:
        self.db.execute("UPDATE cases SET status = 'closed', closed_on = ?, closed_reason = ? WHERE ref = ?",
                        (on, reason, ref))
