"""kidsmed schedule move, cancel and outcome: changing a session, and how it ended.

'Now' is Thu 26 Nov 2026 10:00; each case is made bookable today (30-day clock due
Sat 26 Dec 2026) and booked Thu 3 Dec 2026 10:00–13:00 with Jo Mediator at Oak Room.
"""

import pytest
from bookable import add_people, make_bookable
from conftest import rows


@pytest.fixture
def booked(kidsmed, db_path):
    add_people(kidsmed)

    def make(*intake, at="3/12/2026 10:00", mediator="Jo Mediator", venue="Oak Room"):
        ref = make_bookable(kidsmed, db_path, *intake)
        result = kidsmed("schedule", "book", ref, "--at", at, "--mediator", mediator, "--venue", venue)
        assert result.exit_code == 0, result.output
        return ref
    return make


def events(kidsmed, ref, action):
    return [e for e in kidsmed.json("show", ref)["timeline"] if e["action"] == action]


def clocks(kidsmed, ref):
    return {c["rule"]: (c["state"], c["started_on"], c["due_on"]) for c in kidsmed.json("show", ref)["clocks"]}


def session_row(db_path):
    return rows(db_path, "SELECT start, end, status, outcome, outcome_on, cancel_reason FROM sessions WHERE id = 1")[0]


class TestMove:
    def test_move_keeps_the_length_and_the_old_time_in_the_timeline(self, kidsmed, db_path, booked):
        ref = booked()
        result = kidsmed("schedule", "move", ref, "--to", "4/12/2026 14:00", "--reason", "mediator unwell")
        assert result.exit_code == 0, result.output
        assert result.stdout == (f"Moved session 1 of {ref} from Thu 3 Dec 2026 10:00–13:00 "
                                 "to Fri 4 Dec 2026 14:00–17:00.\n"
                                 f"Next: kidsmed schedule outcome {ref} --result RESULT\n"
                                 "      record the session's outcome once it has been held\n")
        assert session_row(db_path)[:3] == ("2026-12-04T14:00:00+00:00", "2026-12-04T17:00:00+00:00", "booked")
        [moved] = events(kidsmed, ref, "session-moved")
        assert moved["detail"] == {
            "session": 1,
            "start": {"old": "2026-12-03T10:00:00+00:00", "new": "2026-12-04T14:00:00+00:00"},
            "end": {"old": "2026-12-03T13:00:00+00:00", "new": "2026-12-04T17:00:00+00:00"}}
        assert moved["note"] == "mediator unwell"
        shown = kidsmed("show", ref).stdout
        assert "Session moved" in shown and "mediator unwell" in shown

    def test_a_move_may_overlap_its_own_old_time(self, kidsmed, booked):
        ref = booked()
        assert kidsmed("schedule", "move", ref, "--to", "3/12/2026 11:00", "--reason", "later start").exit_code == 0

    def test_a_move_that_would_clash_is_refused_and_changes_nothing(self, kidsmed, db_path, booked):
        first = booked()
        second = booked(at="3/12/2026 13:00")
        result = kidsmed("schedule", "move", second, "--to", "3/12/2026 12:00", "--reason", "earlier")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: Jo Mediator is already booked for {first} on Thu 3 Dec 2026 10:00–13:00 — "
               "the nearest free slot for Jo Mediator at Oak Room is Thu 3 Dec 2026 13:00–16:00\n")
        assert rows(db_path, "SELECT start FROM sessions WHERE id = 2") == [("2026-12-03T13:00:00+00:00",)]
        assert events(kidsmed, second, "session-moved") == []

    def test_a_move_reruns_the_day_and_hours_checks(self, kidsmed, booked):
        ref = booked()
        result = kidsmed("schedule", "move", ref, "--to", "5/12/2026 10:00", "--reason", "weekend?")
        assert result.stderr.startswith("Error: Sat 5 Dec 2026 is at the weekend — ")
        result = kidsmed("schedule", "move", ref, "--to", "3/12/2026 15:00", "--reason", "later")
        assert result.stderr.startswith("Error: sessions run between 09:00 and 17:00, and "
                                        "Thu 3 Dec 2026 15:00–18:00 does not — ")

    def test_a_move_with_warnings_needs_force(self, kidsmed, db_path, booked):
        ref = booked()
        result = kidsmed("schedule", "move", ref, "--to", "1/12/2026 10:00", "--reason", "LA officer away")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: {ref} on Tue 1 Dec 2026 10:00–13:00 needs a reason to go ahead: Tue 1 Dec 2026 gives the "
               "family 3 working days' notice, fewer than 5 — add --force to move it anyway (your --reason is "
               "recorded), or --short-notice-agreed if the family agreed to less notice\n")
        result = kidsmed("schedule", "move", ref, "--to", "1/12/2026 10:00", "--reason", "LA officer away", "--force")
        assert result.exit_code == 0
        assert rows(db_path, "SELECT force_reason FROM sessions") == [("LA officer away",)]
        assert events(kidsmed, ref, "session-moved")[0]["detail"]["overridden"] == ["short-notice"]

    def test_a_move_needs_a_reason(self, kidsmed, booked):
        ref = booked()
        result = kidsmed("schedule", "move", ref, "--to", "4/12/2026 10:00", "--reason", "  ")
        assert (result.exit_code, result.stderr) == (2, "Error: say why you move the session — give --reason TEXT\n")
        assert kidsmed("schedule", "move", ref, "--to", "4/12/2026 10:00").exit_code == 2

    def test_moving_to_the_same_time_is_refused(self, kidsmed, booked):
        ref = booked()
        result = kidsmed("schedule", "move", ref, "--to", "3/12/2026 10:00", "--reason", "no change")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: session 1 of {ref} is already at Thu 3 Dec 2026 10:00 — give another --to\n")

    def test_a_session_with_a_retired_mediator_cannot_be_moved(self, kidsmed, booked):
        ref = booked()
        kidsmed("mediators", "retire", "Jo Mediator")
        result = kidsmed("schedule", "move", ref, "--to", "4/12/2026 10:00", "--reason", "later")
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: Jo Mediator retired on Thu 26 Nov 2026 and cannot be booked")


class TestCancel:
    def test_cancel_returns_the_case_to_ready_to_book(self, kidsmed, db_path, booked):
        ref = booked()
        result = kidsmed("schedule", "cancel", ref, "--reason", "family unwell")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Cancelled Thu 3 Dec 2026 10:00–13:00 with Jo Mediator at Oak Room "
                                        f"(session 1 of {ref}).\nNext: kidsmed schedule book {ref} --at DATETIME "
                                        "--mediator NAME\n      book a session")
        assert session_row(db_path)[2:] == ("cancelled", None, None, "family unwell")
        assert rows(db_path, "SELECT cancelled_at FROM sessions") == [("2026-11-26T10:00:00+00:00",)]
        view = kidsmed.json("show", ref)
        assert view["status"] == "ready-to-book"
        [cancelled] = events(kidsmed, ref, "session-cancelled")
        assert cancelled["detail"] == {"session": 1, "start": "2026-12-03T10:00:00+00:00"}
        assert events(kidsmed, ref, "status")[-1]["detail"] == {"status": {"old": "booked", "new": "ready-to-book"}}
        assert cancelled["note"] == "family unwell"

    def test_a_case_with_another_booked_session_stays_booked(self, kidsmed, db_path, booked):
        ref = booked()
        kidsmed("schedule", "book", ref, "--at", "10/12/2026 10:00", "--mediator", "Jo Mediator", "--venue", "Oak Room")
        result = kidsmed("schedule", "cancel", ref, "--reason", "one day is enough")
        assert (result.exit_code, result.stderr) == (
            2, f"Error: {ref} has 2 booked sessions (1 on Thu 3 Dec 2026 10:00–13:00, 2 on Thu 10 Dec 2026 "
               "10:00–13:00) — say which with --session N\n")
        assert kidsmed("schedule", "cancel", ref, "--reason", "one day is enough", "--session", "2").exit_code == 0
        assert kidsmed.json("show", ref)["status"] == "booked"

    def test_a_session_of_another_case_is_not_found(self, kidsmed, booked):
        ref, other = booked(), booked(at="4/12/2026 10:00")
        result = kidsmed("schedule", "cancel", ref, "--reason", "x", "--session", "2")
        assert (result.exit_code, result.stderr) == (
            3, f"Error: {ref} has no session 2 — see its sessions with 'kidsmed show {ref}'\n")
        assert kidsmed.json("show", other)["sessions"][0]["status"] == "booked"

    def test_only_a_booked_session_can_be_cancelled(self, kidsmed, booked):
        ref = booked()
        kidsmed("schedule", "cancel", ref, "--reason", "family unwell")
        result = kidsmed("schedule", "cancel", ref, "--reason", "again", "--session", "1")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: session 1 of {ref} is cancelled — only a booked session can be cancelled\n")
        result = kidsmed("schedule", "cancel", ref, "--reason", "again")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: {ref} has no booked session — book one with 'kidsmed schedule book {ref}'\n")


class TestOutcome:
    def test_an_outcome_before_the_session_starts_is_refused(self, kidsmed, db_path, booked):
        ref = booked()
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: session 1 of {ref} has not started yet (it starts Thu 3 Dec 2026 10:00) — "
               "record the outcome once it has been held, or add --force --reason TEXT\n")
        assert session_row(db_path)[2:4] == ("booked", None)
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--force", "--reason", "settled by phone")
        assert result.exit_code == 0, result.output
        [early] = events(kidsmed, ref, "outcome-before-session")
        assert early["note"] == "settled by phone"
        assert session_row(db_path)[2:5] == ("held", "agreement", "2026-11-26")

    @pytest.mark.parametrize(("result_code", "agreement_actions"), [
        ("agreement", True), ("partial", True), ("no-agreement", False)])
    def test_a_concluding_outcome_closes_the_case_and_runs_the_clocks(
            self, kidsmed, db_path, booked, env_now, result_code, agreement_actions):
        ref = booked()
        env_now("2026-12-03T16:00")
        result = kidsmed("schedule", "outcome", ref, "--result", result_code, "--note", "LA to amend section F")
        assert result.exit_code == 0, result.output
        assert result.stdout == (f"Recorded {result_code} for Thu 3 Dec 2026 10:00–13:00 with Jo Mediator at "
                                 f"Oak Room (session 1 of {ref}).\n"
                                 f"Next: kidsmed certificate issue {ref}\n"
                                 "      issue the mediation certificate by Tue 8 Dec 2026 "
                                 "(mediation concluded on Thu 3 Dec 2026)\n")
        view = kidsmed.json("show", ref)
        assert (view["status"], view["closed"]) == ("closed", {"on": "2026-12-03", "reason": "mediation-concluded"})
        expected = {
            "mediation-within-30-days": ("met", "2026-11-26", "2026-12-26"),
            "certificate-after-mediation": ("running", "2026-12-03", "2026-12-08"),
        }
        if agreement_actions:
            expected["agreement-actions"] = ("running", "2026-12-03", "2026-12-17")
        assert clocks(kidsmed, ref) == expected
        assert session_row(db_path)[2:5] == ("held", result_code, "2026-12-03")
        [done] = events(kidsmed, ref, "session-outcome")
        assert done["detail"] == {"session": 1, "result": result_code, "on": "2026-12-03"}
        [closed] = events(kidsmed, ref, "closed")
        assert closed["detail"] == {"status": {"old": "booked", "new": "closed"}, "closed_on": "2026-12-03",
                                    "closed_reason": "mediation-concluded"}
        assert done["note"] == "LA to amend section F"

    def test_a_session_after_the_deadline_meets_the_clock_late(self, kidsmed, db_path, env_now):
        add_people(kidsmed)
        ref = make_bookable(kidsmed, db_path)
        kidsmed("schedule", "book", ref, "--at", "29/12/2026 10:00", "--mediator", "Jo Mediator",
                "--remote", "video", "--force", "--reason", "family away until after Christmas")
        env_now("2026-12-29T15:00")
        kidsmed("schedule", "outcome", ref, "--result", "no-agreement")
        assert clocks(kidsmed, ref)["mediation-within-30-days"][0] == "met-late"

    @pytest.mark.parametrize(("agreed", "held", "typed"), [
        # Issue 14: the family said yes on Mon 2 Nov 2026 (due Wed 2 Dec); held on the due day,
        # typed the day after: met on time.
        ("2026-11-02", "2026-12-02", "2026-12-03"),
        # Held Christmas Eve, the outcome typed after the bank holidays: met on 24 Dec, its due day.
        ("2026-11-24", "2026-12-24", "2026-12-29"),
        # Leap year: yes on 30 Jan 2028 is due 29 Feb 2028; held that day, typed on 1 Mar.
        ("2028-01-30", "2028-02-29", "2028-03-01"),
    ])
    def test_the_30_day_clock_is_met_on_the_day_the_session_was_held(
            self, kidsmed, db_path, env_now, agreed, held, typed):
        add_people(kidsmed)
        env_now(f"{agreed}T09:00")
        ref = make_bookable(kidsmed, db_path, agreed_on=agreed)
        assert kidsmed("schedule", "book", ref, "--at", f"{held} 10:00", "--mediator", "Jo Mediator",
                       "--remote", "video", "--short-notice-agreed").exit_code == 0
        env_now(f"{typed}T16:00")
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--on", typed)
        assert result.exit_code == 0, result.output
        [thirty] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == "mediation-within-30-days"]
        assert (thirty["state"], thirty["met_on"], thirty["due_on"]) == ("met", held, held)
        # --on still dates the outcome, and so the clocks the outcome starts.
        assert clocks(kidsmed, ref)["certificate-after-mediation"][1] == typed

    @pytest.mark.parametrize(("started", "due", "state", "count"), [
        ("2026-12-01", "2026-12-04", "stopped", "day 2 of 3"),  # still had a day to run: moot
        ("2026-11-26", "2026-12-01", "breached", "day 5 of 3"),  # never marked done by its day: missed
    ])
    def test_other_running_clocks_stop_when_the_case_closes(self, kidsmed, db_path, env_now, booked,
                                                             started, due, state, count):
        ref = booked("--issue", "health")
        from kidsmed.domain import case_clocks, cases
        from kidsmed.domain.dates import parse_now
        from kidsmed.store.db import open_db
        with open_db(db_path).transaction() as db:
            case_clocks.start(db, parse_now("2026-11-26T10:00"), "tester", cases.get(db, ref),
                              "health-notice", "family wants mediation", parse_now(started).date())
        env_now("2026-12-03T16:00")
        kidsmed("schedule", "outcome", ref, "--result", "agreement")  # the session on Thu 3 Dec
        states = clocks(kidsmed, ref)
        assert states["health-notice"] == (state, started, due)
        assert states["certificate-after-mediation"][0] == "running"
        env_now("2027-01-15T10:00")  # weeks later, the stopped clock still counts to the day it stopped
        [notice] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == "health-notice"]
        assert (notice["state"], notice["stopped_on"], notice["met_on"]) == (state, "2026-12-03", None)
        assert notice["description"].startswith(f"{count} working days · due ")

    def test_a_disagreement_resolution_case_has_no_certificate_clock(self, kidsmed, env_now, booked):
        ref = booked("--kind", "disagreement-resolution", "--other-party", "setting")
        env_now("2026-12-03T16:00")
        kidsmed("schedule", "outcome", ref, "--result", "partial")
        assert clocks(kidsmed, ref) == {"agreement-actions": ("running", "2026-12-03", "2026-12-17")}

    def test_adjourned_meets_the_clock_and_the_case_is_ready_to_book_again(self, kidsmed, db_path, env_now, booked):
        ref = booked()
        env_now("2026-12-03T16:00")
        result = kidsmed("schedule", "outcome", ref, "--result", "adjourned")
        assert result.stdout.endswith("      book a session — every party has agreed "
                                      "(family agreed on Thu 26 Nov 2026, LA agreed on Thu 26 Nov 2026)\n")
        assert kidsmed.json("show", ref)["status"] == "ready-to-book"
        assert clocks(kidsmed, ref) == {"mediation-within-30-days": ("met", "2026-11-26", "2026-12-26")}
        assert session_row(db_path)[2:5] == ("held", "adjourned", "2026-12-03")
        again = kidsmed("schedule", "book", ref, "--at", "10/12/2026 10:00", "--mediator", "Jo Mediator",
                        "--venue", "Oak Room")
        assert again.exit_code == 0, again.output
        assert kidsmed.json("show", ref)["status"] == "booked"

    def test_did_not_proceed_leaves_the_clock_running(self, kidsmed, db_path, env_now, booked):
        ref = booked()
        env_now("2026-12-03T16:00")
        kidsmed("schedule", "outcome", ref, "--result", "did-not-proceed")
        assert kidsmed.json("show", ref)["status"] == "ready-to-book"
        assert clocks(kidsmed, ref)["mediation-within-30-days"][0] == "running"
        assert session_row(db_path)[2:5] == ("did-not-proceed", "did-not-proceed", "2026-12-03")

    def test_outcome_dates(self, kidsmed, db_path, env_now, booked):
        ref = booked()
        env_now("2026-12-07T10:00")
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--on", "8/12/2026")
        assert (result.exit_code, result.stderr) == (
            2, "Error: Tue 8 Dec 2026 is in the future — give the date the outcome happened with --on\n")
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--on", "2/12/2026")
        assert (result.exit_code, result.stderr) == (
            2, "Error: Wed 2 Dec 2026 is before the session on Thu 3 Dec 2026 — check --on\n")
        assert kidsmed("schedule", "outcome", ref, "--result", "agreement", "--on", "4/12/2026").exit_code == 0
        assert kidsmed.json("show", ref)["closed"] == {"on": "2026-12-04", "reason": "mediation-concluded"}

    def test_concluding_cancels_the_other_sessions_and_closes_the_case(self, kidsmed, db_path, env_now, booked):
        ref = booked()
        kidsmed("schedule", "book", ref, "--at", "10/12/2026 10:00", "--mediator", "Jo Mediator", "--venue", "Oak Room")
        env_now("2026-12-03T16:00")
        concluded = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--session", "1")
        assert concluded.stderr == ("Warning: session 2 on Thu 10 Dec 2026 10:00–13:00 was cancelled: "
                                    "the mediation has concluded\n")
        assert rows(db_path, "SELECT status, cancel_reason FROM sessions WHERE id = 2") == [
            ("cancelled", "the mediation has concluded")]
        env_now("2026-12-10T16:00")
        result = kidsmed("schedule", "outcome", ref, "--result", "agreement", "--session", "2")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: {ref} is closed (mediation-concluded) — nothing more can be recorded on its sessions\n")

    def test_an_unknown_result_is_bad_input(self, kidsmed, booked):
        result = kidsmed("schedule", "outcome", booked(), "--result", "great")
        assert (result.exit_code, result.stderr) == (
            2, "Error: 'great' is not a known session result — use one of: agreement, partial, no-agreement, "
               "adjourned, did-not-proceed\n")
