"""A mediator's calendar that stays true (issue 16, items 1–7): exports that carry cancellations
and moves, a whole-calendar feed, event ids no other book shares, venue addresses, CSV times a
spreadsheet reads, sessions numbered within their case, and closure days over booked sessions."""

import csv
import io
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from bookable import add_people, make_bookable
from conftest import rows, snapshot

from kidsmed.domain.dates import LONDON
from kidsmed.store.db import open_db


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def book(kidsmed, ref: str, at: str, mediator: str = "Jo Mediator", *where: str):
    return ok(kidsmed("schedule", "book", ref, "--at", at, "--mediator", mediator,
                      *(where or ("--venue", "Oak Room"))))


def events(text: str) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def exported(kidsmed, *args: str) -> dict[str, icalendar.Event]:
    return events(ok(kidsmed("schedule", "list", "--format", "ics", *args)).stdout)


def identity(db_path) -> str:
    [(found,)] = rows(db_path, "SELECT identity FROM book")
    return found


def uid(db_path, session_id: int) -> str:
    return f"session-{session_id}.{identity(db_path)}@kidsmed"


@pytest.fixture
def two_booked(kidsmed, db_path):
    add_people(kidsmed)
    first, second = make_bookable(kidsmed, db_path), make_bookable(kidsmed, db_path)
    book(kidsmed, first, "3/12/2026 10:00")
    book(kidsmed, second, "4/12/2026 10:00", "Jo Mediator", "--remote", "phone")
    return first, second


# --- 1. an export carries cancelled and moved sessions -------------------------------------------

def test_the_plain_export_carries_a_cancelled_session_as_cancelled(kidsmed, db_path, two_booked):
    first, _ = two_booked
    before = exported(kidsmed, "--mediator", "Jo Mediator")
    assert int(before[uid(db_path, 1)]["SEQUENCE"]) == 0
    ok(kidsmed("schedule", "cancel", first, "--reason", "family unwell"))
    after = exported(kidsmed, "--mediator", "Jo Mediator")  # the README's own command: no --all
    assert str(after[uid(db_path, 1)]["STATUS"]) == "CANCELLED"
    assert int(after[uid(db_path, 1)]["SEQUENCE"]) == 1


def test_a_session_moved_out_of_the_period_is_still_exported_at_its_new_time(kidsmed, db_path, two_booked):
    first, _ = two_booked
    for day in ("5/1/2027", "6/1/2027"):  # past the 30-day deadline: staff give a reason
        ok(kidsmed("schedule", "move", first, "--to", f"{day} 10:00", "--reason", "family away", "--force"))
    moved = exported(kidsmed, "--from", "1/12/2026", "--days", "7")[uid(db_path, 1)]
    assert moved.decoded("DTSTART") == datetime(2027, 1, 6, 10, tzinfo=UTC)
    assert (str(moved["STATUS"]), int(moved["SEQUENCE"])) == ("CONFIRMED", 2)


def test_importing_the_export_after_a_cancel_and_a_move_makes_the_calendar_true(kidsmed, db_path, two_booked):
    """As a calendar program does: an event replaces the one with its UID when its SEQUENCE is not lower."""
    first, second = two_booked
    calendar: dict[str, icalendar.Event] = {}

    def import_export():
        for key, event in exported(kidsmed, "--mediator", "Jo Mediator").items():
            if key not in calendar or int(event["SEQUENCE"]) >= int(calendar[key]["SEQUENCE"]):
                calendar[key] = event

    import_export()
    ok(kidsmed("schedule", "cancel", first, "--reason", "family unwell"))
    ok(kidsmed("schedule", "move", second, "--to", "10/12/2026 14:00", "--reason", "LA officer on leave"))
    import_export()

    live = {key: event.decoded("DTSTART").astimezone(LONDON).strftime("%d/%m %H:%M")
            for key, event in calendar.items() if str(event["STATUS"]) != "CANCELLED"}
    assert live == {uid(db_path, 2): "10/12 14:00"}
    listed = kidsmed.json("schedule", "list", "--mediator", "Jo Mediator", "--days", "30")
    assert [(s["ref"], s["start"]) for s in listed] == [(second, "2026-12-10T14:00:00+00:00")]


# --- 2. the feed ----------------------------------------------------------------------------------

def test_the_feed_is_the_last_30_days_and_every_session_to_come(kidsmed, db_path, env_now, tmp_path):
    add_people(kidsmed)
    env_now("2026-09-01T10:00")
    refs = [make_bookable(kidsmed, db_path, "--decision-date", "2026-08-20") for _ in range(5)]
    later = ("--force", "--reason", "the family asked for a later date")
    starts = ("1/10/2026 10:00", "3/11/2026 10:00", "3/12/2026 10:00", "4/3/2027 10:00")
    for ref, at in zip(refs[:4], starts, strict=True):
        book(kidsmed, ref, at, "Jo Mediator", "--venue", "Oak Room", *later)
    book(kidsmed, refs[4], "3/12/2026 14:00", "Kim Mediator", "--venue", "Elm Room", *later)
    env_now("2026-11-26T10:00")
    target = tmp_path / "jo.ics"
    result = ok(kidsmed("schedule", "feed", "--mediator", "jo mediator", "--output", str(target)))
    assert result.stdout == f"Wrote 3 sessions to {target} (Mediation sessions of jo mediator).\n"
    starts = sorted(e.decoded("DTSTART").date().isoformat() for e in events(target.read_text()).values())
    assert starts == ["2026-11-03", "2026-12-03", "2027-03-04"]  # 1 Oct is more than 30 days ago
    venue = tmp_path / "elm.ics"
    ok(kidsmed("schedule", "feed", "--venue", "Elm Room", "--output", str(venue)))
    assert [str(e["LOCATION"]) for e in events(venue.read_text()).values()] == ["Elm Room"]


def test_the_feed_replaces_the_file_whole_and_leaves_nothing_beside_it(kidsmed, db_path, two_booked, tmp_path):
    target = tmp_path / "jo.ics"
    target.write_text("an old calendar that was much longer than the new one " * 100)
    ok(kidsmed("schedule", "feed", "--mediator", "Jo Mediator", "--output", str(target)))
    written = target.read_bytes()
    assert written.startswith(b"BEGIN:VCALENDAR\r\n") and written.endswith(b"END:VCALENDAR\r\n")
    assert [name for name in os.listdir(tmp_path) if name.endswith((".ics", ".tmp"))] == ["jo.ics"]


def test_the_feed_writes_through_a_link_to_its_file_and_never_over_a_folder(kidsmed, two_booked, tmp_path):
    real, link = tmp_path / "calendars" / "jo.ics", tmp_path / "jo-link.ics"
    real.parent.mkdir()
    real.write_text("old")
    link.symlink_to(real)
    ok(kidsmed("schedule", "feed", "--mediator", "Jo Mediator", "--output", str(link)))
    assert link.is_symlink() and real.read_bytes().startswith(b"BEGIN:VCALENDAR")
    folder = kidsmed("schedule", "feed", "--mediator", "Jo Mediator", "--output", str(real.parent))
    assert (folder.exit_code, folder.stderr) == (
        2, f"Error: cannot write {real.parent} (Is a directory) — choose a file in a folder you can write to; "
           "nothing was written\n")
    assert sorted(p.name for p in real.parent.iterdir()) == ["jo.ics"]


@pytest.mark.parametrize(("args", "code", "error"), [
    ((), 2, "Error: a feed is one mediator's or one venue's calendar — give --mediator NAME or --venue NAME\n"),
    (("--mediator", "Jo Mediator", "--venue", "Oak Room"), 2,
     "Error: a feed is one mediator's or one venue's calendar — give --mediator NAME or --venue NAME\n"),
    (("--venue", "Nowhere"), 3,
     "Error: there is no venue called 'Nowhere' — add them with 'kidsmed venues add NAME' "
     "(see 'kidsmed venues list')\n"),
])
def test_a_feed_of_nobody_is_refused_and_writes_nothing(kidsmed, two_booked, tmp_path, args, code, error):
    target = tmp_path / "feed.ics"
    result = kidsmed("schedule", "feed", *args, "--output", str(target))
    assert (result.exit_code, result.stderr) == (code, error)
    assert not target.exists()


def test_a_feed_into_a_missing_folder_is_one_error_line(kidsmed, two_booked, tmp_path):
    result = kidsmed("schedule", "feed", "--mediator", "Jo Mediator", "--output", str(tmp_path / "no" / "jo.ics"))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: cannot write {tmp_path / 'no' / 'jo.ics'} (No such file or directory) — "
           "choose a file in a folder you can write to; nothing was written\n")


# --- 3. a book's identity -----------------------------------------------------------------------

def test_two_books_never_share_an_event_id(kidsmed, db_path, two_booked, tmp_path, monkeypatch):
    live = set(exported(kidsmed))
    monkeypatch.setenv("KIDSMED_DB", str(tmp_path / "training.db"))
    add_people(kidsmed)
    book(kidsmed, make_bookable(kidsmed, tmp_path / "training.db"), "3/12/2026 10:00")
    training = set(exported(kidsmed))
    assert len(identity(tmp_path / "training.db")) == 16 and identity(tmp_path / "training.db") != identity(db_path)
    assert live.isdisjoint(training)
    assert uid(db_path, 1) in live


def test_an_existing_book_gets_an_identity_and_numbered_sessions_when_upgraded(tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((Path(__file__).with_name("fixtures") / "schema-001.sql").read_text())
    conn.close()
    old.chmod(0o600)
    open_db(old).close()
    assert len(identity(old)) == 16
    assert rows(old, "SELECT id, number, sequence FROM sessions") == [(1, 1, 0)]


def test_check_shows_the_identity(kidsmed, db_path, two_booked):
    assert kidsmed.json("check")["book"] == identity(db_path)
    assert f"Book identity: {identity(db_path)}" in kidsmed("check").stdout


# --- 4. venue addresses -------------------------------------------------------------------------

def test_a_venue_address_is_the_event_location_and_remote_sessions_say_how(kidsmed, db_path, two_booked):
    ok(kidsmed("venues", "add", "Beech Room", "--address", "Civic Centre, 1 High Street, Northshire"))
    make_bookable(kidsmed, db_path)
    book(kidsmed, "KM-2026-0003", "7/12/2026 10:00", "Kim Mediator", "--venue", "Beech Room")
    book(kidsmed, make_bookable(kidsmed, db_path), "8/12/2026 10:00", "Kim Mediator", "--remote", "video")
    found = exported(kidsmed)
    assert [str(found[uid(db_path, n)]["LOCATION"]) for n in (1, 2, 3, 4)] == [
        "Oak Room", "Telephone", "Beech Room, Civic Centre, 1 High Street, Northshire", "Remote (video)"]


def test_venues_edit_changes_the_address_and_the_event(kidsmed, db_path, two_booked):
    result = ok(kidsmed("venues", "edit", "oak room", "--address", "Oak Room, Civic Centre, Northshire"))
    assert result.stdout == (
        "Changed the address of Oak Room to: Oak Room, Civic Centre, Northshire.\n"
        "Next: refresh its calendar with kidsmed schedule feed --venue \"Oak Room\" --output FILE\n")
    assert {v["name"]: v["address"] for v in kidsmed.json("venues", "list")}["Oak Room"] == (
        "Oak Room, Civic Centre, Northshire")
    event = exported(kidsmed)[uid(db_path, 1)]
    assert (str(event["LOCATION"]), int(event["SEQUENCE"])) == ("Oak Room, Civic Centre, Northshire", 1)
    assert rows(db_path, "SELECT action, detail FROM events WHERE action = 'venue-edited'") == [
        ("venue-edited", '{"address": {"new": "Oak Room, Civic Centre, Northshire", "old": null}, '
                         '"id": 1, "name": "Oak Room"}')]


def test_venues_edit_of_nothing_new_or_nobody_changes_nothing(kidsmed, db_path, two_booked):
    ok(kidsmed("venues", "edit", "Oak Room", "--address", "Civic Centre"))
    before = snapshot(db_path)
    same = kidsmed("venues", "edit", "Oak Room", "--address", "Civic Centre")
    assert (same.exit_code, same.stderr) == (1, "Error: Oak Room already has those details — nothing to change\n")
    nobody = kidsmed("venues", "edit", "Pine Room", "--address", "x")
    assert nobody.exit_code == 3
    assert snapshot(db_path) == before


# --- 5. CSV a spreadsheet reads -----------------------------------------------------------------

def test_csv_gives_wall_times_beside_the_date_and_json_keeps_the_instant(kidsmed, db_path, env_now):
    add_people(kidsmed)
    env_now("2026-03-16T10:00")
    ref = make_bookable(kidsmed, db_path, "--decision-date", "2026-03-16")
    # the first Monday of summer time
    book(kidsmed, ref, "30/3/2026 09:30", "Jo Mediator", "--venue", "Oak Room", "--hours", "2")
    [row] = csv.DictReader(io.StringIO(ok(kidsmed("schedule", "list", "--days", "30", "--format", "csv")).stdout))
    assert (row["date"], row["start"], row["end"]) == ("2026-03-30", "09:30", "11:30")
    [listed] = kidsmed.json("schedule", "list", "--days", "30")
    assert (listed["start"], listed["end"]) == ("2026-03-30T09:30:00+01:00", "2026-03-30T11:30:00+01:00")


# --- 6. sessions numbered within their case -----------------------------------------------------

def test_sessions_are_numbered_within_their_case_and_typed_by_that_number(kidsmed, db_path, two_booked):
    first, second = two_booked
    result = book(kidsmed, second, "9/12/2026 10:00")
    assert result.stdout.splitlines()[0] == (
        f"Booked Wed 9 Dec 2026 10:00–13:00 with Jo Mediator at Oak Room (session 2 of {second}).")
    refused = kidsmed("schedule", "cancel", second, "--reason", "x")
    assert refused.stderr == (f"Error: {second} has 2 booked sessions (1 on Fri 4 Dec 2026 10:00–13:00, "
                              "2 on Wed 9 Dec 2026 10:00–13:00) — say which with --session N\n")
    moved = ok(kidsmed("schedule", "move", second, "--session", "2", "--to", "10/12/2026 10:00", "--reason", "r"))
    assert moved.stdout.startswith(f"Moved session 2 of {second} from Wed 9 Dec 2026 10:00–13:00 to ")
    assert rows(db_path, "SELECT id, case_id, number, start FROM sessions ORDER BY id")[2] == (
        3, 2, 2, "2026-12-10T10:00:00+00:00")
    shown = kidsmed("show", second).stdout
    assert "session: 2; start:" in shown and "session: 3" not in shown
    assert [s["number"] for s in kidsmed.json("show", second)["sessions"]] == [1, 2]


# --- 7. a closure day over booked sessions ------------------------------------------------------

def test_a_closure_over_booked_sessions_is_refused_and_names_them(kidsmed, db_path, two_booked):
    first, _ = two_booked
    book(kidsmed, make_bookable(kidsmed, db_path), "3/12/2026 14:00", "Kim Mediator")
    before = snapshot(db_path)
    result = kidsmed("holidays", "add", "3/12/2026", "Staff training day", "--closure")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", (
        f"Error: Thu 3 Dec 2026 has 2 sessions booked: session 1 of {first} (10:00–13:00, Jo Mediator), "
        "session 1 of KM-2026-0003 (14:00–17:00, Kim Mediator) — move them first, or add --force to close "
        "the day and move them afterwards\n"))
    assert snapshot(db_path) == before


def test_a_forced_closure_lists_the_sessions_and_report_day_shows_them_until_moved(kidsmed, db_path, two_booked):
    first, _ = two_booked
    forced = ok(kidsmed("holidays", "add", "3/12/2026", "Staff training day", "--closure", "--force"))
    assert forced.stdout == (
        "Added closure day Thu 3 Dec 2026: Staff training day.\n"
        f"Still booked on the days added: session 1 of {first} (10:00–13:00, Jo Mediator).\n"
        f"Next: move each, e.g. kidsmed schedule move {first} --session 1 --to DATETIME --reason \"office closed\""
        " ('kidsmed report day' lists them until then)\n")
    for day in ("26/11/2026", "2/12/2026", "3/12/2026"):
        report = kidsmed.json("report", "day", day)
        assert [(s["ref"], s["number"], s["day_off"]) for s in report["sessions_on_days_off"]] == [
            (first, 1, "Staff training day")], day
    assert kidsmed.json("report", "day", "4/12/2026")["sessions_on_days_off"] == []
    screen = kidsmed("report", "day").stdout
    assert "1 session to move" in screen and "Sessions to move: booked on a day the office is shut" in screen
    ok(kidsmed("schedule", "move", first, "--to", "7/12/2026 10:00", "--reason", "office closed"))
    assert kidsmed.json("report", "day")["totals"]["sessions_on_days_off"] == 0
    assert "to move" not in kidsmed("report", "day").stdout


def test_a_new_bank_holiday_over_a_session_is_added_and_the_session_listed(kidsmed, db_path, two_booked):
    first, _ = two_booked
    added = kidsmed.json("holidays", "add", "3/12/2026", "Extra bank holiday")
    assert added["to_move"] == [{"ref": first, "session": 1, "start": "2026-12-03T10:00:00+00:00",
                                 "end": "2026-12-03T13:00:00+00:00", "mediator": "Jo Mediator"}]


def test_the_after_mediation_letter_says_when_and_where_mediation_took_place(kidsmed, db_path, env_now):
    add_people(kidsmed, venues=())
    ok(kidsmed("venues", "add", "Beech Room", "--address", "Civic Centre, 1 High Street, Northshire"))
    ref = make_bookable(kidsmed, db_path)
    book(kidsmed, ref, "3/12/2026 10:00", "Jo Mediator", "--venue", "Beech Room")
    env_now("2026-12-03T15:00")
    ok(kidsmed("schedule", "outcome", ref, "--result", "no-agreement"))
    ok(kidsmed("certificate", "issue", ref))
    letter = kidsmed.json("certificate", "print", ref)
    assert letter["mediation_held"] == {"on": "2026-12-03",
                                        "where": "Beech Room, Civic Centre, 1 High Street, Northshire"}
    assert ("Mediation held: Thu 3 Dec 2026, Beech Room, Civic Centre, 1 High Street, Northshire"
            in ok(kidsmed("certificate", "print", ref, env={"COLUMNS": "200"})).stdout)
