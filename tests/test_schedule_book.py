"""kidsmed schedule book: the day, the hours, clashes, and the warnings that need a reason.

'Now' is Thu 26 Nov 2026 10:00. A case made bookable today has its 30-day clock due
Sat 26 Dec 2026; Thu 3 Dec 2026 gives exactly 5 working days' notice.
"""

from datetime import datetime, timedelta

import pytest
from bookable import add_people, make_bookable
from conftest import rows

from kidsmed.domain.dates import LONDON
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.scheduling import Slot, nearest_free_slot
from kidsmed.store.db import open_db


@pytest.fixture
def ref(kidsmed, db_path):
    add_people(kidsmed)
    return make_bookable(kidsmed, db_path)


def book(kidsmed, ref, at, *extra, mediator="Jo Mediator", venue="Oak Room"):
    where = ("--venue", venue) if venue else ()
    return kidsmed("schedule", "book", ref, "--at", at, "--mediator", mediator, *where, *extra)


def unchanged(db_path, ref, sessions=0, status="ready-to-book"):
    """What a refused booking must leave: no session, the status as it was, no new event."""
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(sessions,)]
    assert rows(db_path, "SELECT status FROM cases WHERE ref = ?", (ref,)) == [(status,)]
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'session-booked'") == [(sessions,)]


def booking_event(kidsmed, ref):
    [event] = [e for e in kidsmed.json("show", ref)["timeline"] if e["action"] == "session-booked"]
    return event


def test_booking_echoes_the_session_and_books_the_case(kidsmed, db_path, ref):
    result = book(kidsmed, ref, "3/12/2026 10:00")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Booked Thu 3 Dec 2026 10:00–13:00 with Jo Mediator at Oak Room "
                             f"(session 1 of {ref}).\n"
                             f"Next: kidsmed schedule outcome {ref} --result RESULT\n"
                             "      record the session's outcome once it has been held\n")
    assert result.stderr == ""
    assert rows(db_path, "SELECT start, end, start_utc, end_utc, status, booked_by, booked_at FROM sessions") == [
        ("2026-12-03T10:00:00+00:00", "2026-12-03T13:00:00+00:00", "2026-12-03T10:00:00+00:00",
         "2026-12-03T13:00:00+00:00", "booked", "tester", "2026-11-26T10:00:00+00:00")]
    view = kidsmed.json("show", ref)
    assert view["status"] == "booked"
    assert view["sessions"] == [{"id": 1, "number": 1, "start": "2026-12-03T10:00:00+00:00",
                                 "end": "2026-12-03T13:00:00+00:00",
                                 "mediator": "Jo Mediator", "venue": "Oak Room", "la_officer": None,
                                 "status": "booked", "outcome": None}]
    event = booking_event(kidsmed, ref)
    assert event["detail"] == {"session": 1, "start": "2026-12-03T10:00:00+00:00",
                               "end": "2026-12-03T13:00:00+00:00", "mediator": "Jo Mediator",
                               "venue": "Oak Room"}
    [status] = [e for e in kidsmed.json("show", ref)["timeline"] if e["action"] == "status"]
    assert status["detail"] == {"status": {"old": "ready-to-book", "new": "booked"}}


def test_json_prints_the_case(kidsmed, ref):
    view = kidsmed.json("schedule", "book", ref, "--at", "3/12/2026 2pm", "--mediator", "jo mediator",
                        "--remote", "video", "--hours", "2.5")
    assert (view["ref"], view["status"]) == (ref, "booked")
    assert view["sessions"][0]["start"] == "2026-12-03T14:00:00+00:00"
    assert view["sessions"][0]["end"] == "2026-12-03T16:30:00+00:00"
    assert view["sessions"][0]["venue"] == "remote (video)"


def test_until_sets_the_end(kidsmed, ref):
    result = book(kidsmed, ref, "3/12/2026 9:00", "--until", "11:30", "--remote", "phone", venue=None)
    assert result.stdout.startswith("Booked Thu 3 Dec 2026 09:00–11:30 with Jo Mediator by phone (session 1")


@pytest.mark.parametrize(("extra", "error"), [
    (("--hours", "2", "--until", "12:00"), "give --hours or --until, not both — e.g. --hours 3 or --until 13:00"),
    (("--until", "9:00"), "the session would end at Thu 3 Dec 2026 09:00, before it starts — "
                          "give an --until after the start time"),
    (("--hours", "0"), "a session cannot last 0 hours — give --hours from 0.5 to 8"),
    (("--hours", "9"), "a session cannot last 9 hours — give --hours from 0.5 to 8"),
    (("--remote", "video"), "a session is at a venue or remote, not both — give --venue NAME or --remote video|phone"),
    (("--force",), "--force needs a reason — add --reason TEXT saying why, e.g. 'family asked for this date'"),
    (("--reason", "because"), "--reason explains --force — add --force, or leave --reason out"),
])
def test_bad_requests_are_bad_input(kidsmed, db_path, ref, extra, error):
    result = book(kidsmed, ref, "3/12/2026 10:00", *extra)
    assert (result.exit_code, result.stderr) == (2, f"Error: {error}\n")
    unchanged(db_path, ref)


def test_a_place_is_needed(kidsmed, db_path, ref):
    result = book(kidsmed, ref, "3/12/2026 10:00", venue=None)
    assert (result.exit_code, result.stderr) == (
        2, "Error: say where the session is — give --venue NAME or --remote video|phone\n")
    result = book(kidsmed, ref, "3/12/2026 10:00", "--remote", "carrier pigeon", venue=None)
    assert result.exit_code == 2
    assert result.stderr == ("Error: 'carrier pigeon' is not a known kind of remote session — "
                             "use one of: video, phone\n")


def test_a_case_without_every_agreement_is_refused(kidsmed, db_path):
    add_people(kidsmed)
    ref = kidsmed.intake()["ref"]
    result = book(kidsmed, ref, "3/12/2026 10:00")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {ref} is awaiting-agreement, so nothing can be booked until every party has agreed — "
           f"next: ask the family whether they will take part in mediation, with "
           f"'kidsmed agree {ref} --party family --yes'\n")
    unchanged(db_path, ref, status="awaiting-agreement")


def test_unknown_mediator_and_case_are_not_found(kidsmed, db_path, ref):
    result = book(kidsmed, ref, "3/12/2026 10:00", mediator="Jo")
    assert (result.exit_code, result.stderr) == (
        3, "Error: there is no mediator called 'Jo' — did you mean Jo Mediator? (see 'kidsmed mediators list')\n")
    assert book(kidsmed, "KM-2026-0099", "3/12/2026 10:00").exit_code == 3
    unchanged(db_path, ref)


@pytest.mark.parametrize(("at", "error"), [
    ("5/12/2026 10:00", "Sat 5 Dec 2026 is at the weekend — "
                        "the nearest free slot for Jo Mediator at Oak Room is Fri 4 Dec 2026 10:00–13:00"),
    ("25/12/2026 10:00", "Fri 25 Dec 2026 is a bank holiday (Christmas Day) — "
                         "the nearest free slot for Jo Mediator at Oak Room is Thu 24 Dec 2026 10:00–13:00"),
    ("28/12/2026 10:00", "Mon 28 Dec 2026 is a bank holiday (Boxing Day) — "
                         "the nearest free slot for Jo Mediator at Oak Room is Tue 29 Dec 2026 10:00–13:00"),
    ("3/12/2026 8:30", "sessions run between 09:00 and 17:00, and Thu 3 Dec 2026 08:30–11:30 does not — "
                       "the nearest free slot for Jo Mediator at Oak Room is Thu 3 Dec 2026 09:00–12:00"),
    ("3/12/2026 14:01", "sessions run between 09:00 and 17:00, and Thu 3 Dec 2026 14:01–17:01 does not — "
                        "the nearest free slot for Jo Mediator at Oak Room is Thu 3 Dec 2026 14:00–17:00"),
])
def test_days_and_hours_that_can_never_be_booked(kidsmed, db_path, ref, at, error):
    result = book(kidsmed, ref, at)
    assert (result.exit_code, result.stderr) == (1, f"Error: {error}\n")
    unchanged(db_path, ref)


def test_a_closure_day_blocks_bookings(kidsmed, db_path, ref):
    kidsmed("cases")  # the database exists
    with open_db(db_path).transaction() as db:
        db.execute("INSERT INTO holidays (date, name, kind, added_at, added_by)"
                   " VALUES ('2026-12-03', 'Training day', 'closure', '2026-11-01T00:00:00+00:00', 'tester')")
    result = book(kidsmed, ref, "3/12/2026 10:00")
    assert (result.exit_code, result.stderr) == (
        1, "Error: Thu 3 Dec 2026 is a day the office is closed (Training day) — "
           "the nearest free slot for Jo Mediator at Oak Room is Fri 4 Dec 2026 10:00–13:00\n")


def test_the_whole_day_is_bookable_edge_to_edge(kidsmed, ref):
    assert book(kidsmed, ref, "3/12/2026 9:00", "--hours", "8").exit_code == 0


class TestClashes:
    """Jo Mediator and Oak Room are booked 10:00–13:00 on Thu 3 Dec 2026 for the first case."""

    @pytest.fixture
    def other(self, kidsmed, db_path, ref):
        assert book(kidsmed, ref, "3/12/2026 10:00").exit_code == 0
        return make_bookable(kidsmed, db_path)

    def test_back_to_back_is_fine(self, kidsmed, db_path, ref, other):
        assert book(kidsmed, other, "3/12/2026 13:00").exit_code == 0
        assert book(kidsmed, other, "3/12/2026 9:00", "--hours", "1").exit_code == 0
        assert rows(db_path, "SELECT count(*) FROM sessions") == [(3,)]

    @pytest.mark.parametrize(("at", "until"), [("3/12/2026 12:59", "15:00"), ("3/12/2026 9:00", "10:01"),
                                               ("3/12/2026 10:30", "11:00"), ("3/12/2026 9:00", "14:00")])
    def test_a_mediator_overlapping_by_a_minute_is_refused(self, kidsmed, db_path, ref, other, at, until):
        result = book(kidsmed, other, at, "--until", until, venue="Elm Room")
        assert result.exit_code == 1
        assert result.stderr.startswith(
            f"Error: Jo Mediator is already booked for {ref} on Thu 3 Dec 2026 10:00–13:00 — "
            "the nearest free slot for Jo Mediator at Elm Room is ")
        unchanged(db_path, other, sessions=1)

    def test_a_venue_is_never_double_booked(self, kidsmed, db_path, ref, other):
        result = book(kidsmed, other, "3/12/2026 11:00", mediator="Kim Mediator")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: Oak Room is already booked for {ref} on Thu 3 Dec 2026 10:00–13:00 — "
               "the nearest free slot for Kim Mediator at Oak Room is Thu 3 Dec 2026 13:00–16:00\n")
        unchanged(db_path, other, sessions=1)

    def test_a_remote_session_still_ties_up_the_mediator(self, kidsmed, ref, other):
        result = book(kidsmed, other, "3/12/2026 11:00", "--remote", "phone", venue=None)
        assert result.stderr == (
            f"Error: Jo Mediator is already booked for {ref} on Thu 3 Dec 2026 10:00–13:00 — "
            "the nearest free slot for Jo Mediator is Thu 3 Dec 2026 13:00–16:00\n")

    def test_a_cancelled_session_frees_the_slot(self, kidsmed, ref, other):
        assert kidsmed("schedule", "cancel", ref, "--reason", "family unwell").exit_code == 0
        assert book(kidsmed, other, "3/12/2026 10:00").exit_code == 0

    def test_the_suggestion_skips_busy_slots(self, kidsmed, db_path, other):
        for at in ("3/12/2026 13:00", "4/12/2026 10:00"):
            assert book(kidsmed, other, at, "--short-notice-agreed").exit_code == 0
        third = make_bookable(kidsmed, db_path)
        # Wed 2 Dec is free but gives only 4 working days' notice: offering it would only lead to
        # the next refusal. The nearest slot that needs no reason is after the 13:00 on Fri 4 Dec.
        result = book(kidsmed, third, "3/12/2026 11:00")
        assert result.stderr.endswith("the nearest free slot for Jo Mediator at Oak Room is "
                                      "Fri 4 Dec 2026 13:00–16:00\n")
        # When the family has agreed to less notice, the nearer day is offered.
        result = book(kidsmed, third, "3/12/2026 11:00", "--short-notice-agreed")
        assert result.stderr.endswith("the nearest free slot for Jo Mediator at Oak Room is "
                                      "Wed 2 Dec 2026 11:00–14:00\n")
        assert book(kidsmed, third, "2/12/2026 11:00", "--short-notice-agreed").exit_code == 0

    def test_an_la_officer_booked_twice_is_only_a_warning(self, kidsmed, db_path, ref, other):
        kidsmed("schedule", "cancel", ref, "--reason", "rebooking with the LA officer")
        book(kidsmed, ref, "3/12/2026 10:00", "--la-officer", "Pat Officer")
        result = book(kidsmed, other, "3/12/2026 11:00", "--la-officer", "pat  officer",
                      mediator="Kim Mediator", venue="Elm Room")
        assert result.exit_code == 0, result.output
        assert result.stderr == (f"Warning: LA officer pat officer is also booked for {ref} "
                                 "on Thu 3 Dec 2026 10:00–13:00\n")


def test_the_nearest_free_slot_is_the_nearest_day_then_time_and_never_past(kidsmed, db_path, ref):
    kidsmed("cases")
    db = open_db(db_path)
    cal = calendar_from(db)
    jo = {"id": 1, "name": "Jo Mediator"}

    def nearest(day, hour):
        at = datetime(2026, 11, day, hour, tzinfo=LONDON)
        return nearest_free_slot(db, cal, datetime(2026, 11, 26, 10, 15, tzinfo=LONDON),
                                 Slot(at, at + timedelta(hours=3), jo, None, None))

    def slot(day, hour, minute=0):
        start = datetime(2026, 11, day, hour, minute, tzinfo=LONDON)
        return start, start + timedelta(hours=3)

    assert nearest(28, 10) == slot(27, 10)  # Saturday: Friday is a day nearer than Monday
    assert nearest(29, 10) == slot(30, 10)  # Sunday: Monday
    assert nearest(21, 10) == slot(26, 10, 30)  # last Saturday: the past is never offered
    assert nearest(26, 9) == slot(26, 10, 30)  # it is 10:15: 10:30 is the first half hour left today


class TestWarnings:
    def test_short_notice_needs_a_reason_or_the_familys_agreement(self, kidsmed, db_path, ref):
        result = book(kidsmed, ref, "2/12/2026 10:00")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: {ref} on Wed 2 Dec 2026 10:00–13:00 needs a reason to go ahead: Wed 2 Dec 2026 gives "
               "the family 4 working days' notice, fewer than 5 — add --force --reason TEXT to book anyway, "
               "or --short-notice-agreed if the family agreed to less notice\n")
        unchanged(db_path, ref)
        result = book(kidsmed, ref, "2/12/2026 10:00", "--short-notice-agreed")
        assert (result.exit_code, result.stderr) == (0, "")
        event = booking_event(kidsmed, ref)
        assert event["detail"]["short_notice_agreed"] is True

    def test_today_and_one_working_day(self, kidsmed, ref):
        assert "gives the family 0 working days' notice" in book(kidsmed, ref, "26/11/2026 14:00").stderr
        assert "gives the family 1 working day's notice" in book(kidsmed, ref, "27/11/2026 10:00").stderr

    def test_force_with_a_reason_books_and_is_audited(self, kidsmed, db_path, ref):
        result = book(kidsmed, ref, "2/12/2026 10:00", "--force", "--reason", "only day the LA can come")
        assert result.exit_code == 0, result.output
        assert result.stderr == "Warning: Wed 2 Dec 2026 gives the family 4 working days' notice, fewer than 5\n"
        assert rows(db_path, "SELECT force_reason FROM sessions") == [("only day the LA can come",)]
        event = booking_event(kidsmed, ref)
        assert event["detail"]["overridden"] == ["short-notice"]
        assert event["note"] == "only day the LA can come"

    def test_past_the_30_day_deadline(self, kidsmed, db_path, env_now):
        add_people(kidsmed)
        env_now("2026-11-25T10:00")
        ref = make_bookable(kidsmed, db_path)  # the family wanted mediation on Wed 25 Nov: due Fri 25 Dec
        env_now("2026-11-26T10:00")
        result = book(kidsmed, ref, "31/12/2026 10:00")
        assert (result.exit_code, result.stderr) == (
            1, f"Error: {ref} on Thu 31 Dec 2026 10:00–13:00 needs a reason to go ahead: "
               "Thu 31 Dec 2026 is day 36 of 30 — a deemed certificate will be due — "
               "add --force --reason TEXT to book anyway\n")
        unchanged(db_path, ref)
        assert book(kidsmed, ref, "24/12/2026 10:00").exit_code == 0  # day 29: fine

    def test_a_time_in_the_past_records_a_session_already_held(self, kidsmed, db_path, ref):
        result = book(kidsmed, ref, "26/11/2026 9:00")
        assert result.stderr == (
            f"Error: {ref} on Thu 26 Nov 2026 09:00–12:00 needs a reason to go ahead: Thu 26 Nov 2026 09:00 is in "
            "the past: this records a session that has already happened — add --force --reason TEXT to book anyway\n")
        result = book(kidsmed, ref, "26/11/2026 9:00", "--force", "--reason", "held before the case was logged")
        assert result.exit_code == 0
        assert result.stderr == ("Warning: Thu 26 Nov 2026 09:00 is in the past: "
                                 "this records a session that has already happened\n")

    def test_several_warnings_are_named_together(self, kidsmed, db_path, env_now):
        add_people(kidsmed)
        env_now("2026-10-01T10:00")
        ref = make_bookable(kidsmed, db_path, "--decision-date", "2026-09-01")
        env_now("2026-11-26T10:00")
        result = book(kidsmed, ref, "27/11/2026 10:00")
        assert result.stderr == (
            f"Error: {ref} on Fri 27 Nov 2026 10:00–13:00 needs a reason to go ahead: Fri 27 Nov 2026 gives the "
            "family 1 working day's notice, fewer than 5; Fri 27 Nov 2026 is day 57 of 30 — a deemed certificate "
            "will be due — add --force --reason TEXT to book anyway, or --short-notice-agreed if the family "
            "agreed to less notice\n")


def test_a_booked_case_can_have_another_session(kidsmed, db_path, ref):
    book(kidsmed, ref, "3/12/2026 10:00")
    result = book(kidsmed, ref, "10/12/2026 10:00")
    assert result.exit_code == 0
    assert rows(db_path, "SELECT id, status FROM sessions ORDER BY id") == [(1, "booked"), (2, "booked")]
