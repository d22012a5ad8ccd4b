"""kidsmed mediators and kidsmed venues: who and where sessions are booked with."""

import csv
import io

from bookable import add_people, make_bookable
from conftest import rows


def test_add_and_list_mediators(kidsmed):
    result = kidsmed("mediators", "add", "  Jo   Mediator ", "--email", "jo@example.org", "--phone", "07700 900001")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Added mediator Jo Mediator.\n"
                             "Next: book sessions with kidsmed schedule book REF --mediator \"Jo Mediator\" …\n")
    kidsmed("mediators", "add", "Ash Mediator")
    assert kidsmed.json("mediators", "list") == [
        {"name": "Ash Mediator", "email": None, "phone": None, "retired_on": None},
        {"name": "Jo Mediator", "email": "jo@example.org", "phone": "07700 900001", "retired_on": None},
    ]


def test_add_prints_the_entry_as_json(kidsmed):
    assert kidsmed.json("venues", "add", "Oak Room", "--address", "Civic Centre, Northshire") == {
        "name": "Oak Room", "address": "Civic Centre, Northshire", "retired_on": None}


def test_names_are_unique_ignoring_case(kidsmed, db_path):
    kidsmed("mediators", "add", "Jo Mediator")
    result = kidsmed("mediators", "add", "JO MEDIATOR")
    assert (result.exit_code, result.stderr) == (
        1, "Error: there is already a mediator called Jo Mediator — see them with 'kidsmed mediators list'\n")
    assert rows(db_path, "SELECT name FROM mediators") == [("Jo Mediator",)]


def test_unicode_names_are_unique_ignoring_case_too(kidsmed):
    kidsmed("venues", "add", "Église Room")
    assert kidsmed("venues", "add", "ÉGLISE ROOM").exit_code == 1


def test_an_empty_name_is_bad_input(kidsmed):
    result = kidsmed("mediators", "add", "   ")
    assert (result.exit_code, result.stderr) == (
        2, "Error: a name must have printable letters in it — e.g. \"Jo Mediator\"\n")


def test_list_is_empty_then_says_how_to_add(kidsmed):
    assert kidsmed.json("venues", "list") == []
    assert kidsmed("venues", "list").stdout == "No venues yet: add one with 'kidsmed venues add NAME'.\n"


def test_list_as_csv_and_markup_shown_literally(kidsmed):
    kidsmed("venues", "add", "[red]Room[/red]", "--address", "=1+1")
    [row] = list(csv.DictReader(io.StringIO(kidsmed("venues", "list", "--format", "csv").stdout)))
    assert row == {"name": "[red]Room[/red]", "address": "'=1+1", "retired_on": ""}
    assert "[red]Room[/red]" in kidsmed("venues", "list").stdout


def test_retire_keeps_the_entry_and_audits_it(kidsmed, db_path):
    kidsmed("mediators", "add", "Jo Mediator")
    result = kidsmed("mediators", "retire", "jo mediator")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Retired mediator Jo Mediator: kept on past sessions, never booked again.\n")
    assert kidsmed.json("mediators", "list")[0]["retired_on"] == "2026-11-26"
    assert rows(db_path, "SELECT action FROM events") == [("mediator-added",), ("mediator-retired",)]
    again = kidsmed("mediators", "retire", "Jo Mediator")
    assert (again.exit_code, again.stderr) == (
        1, "Error: Jo Mediator retired on Thu 26 Nov 2026 already — nothing to do\n")


def test_unknown_names_are_not_found_with_close_matches(kidsmed):
    add_people(kidsmed)
    result = kidsmed("mediators", "retire", "Jo Mediatr")
    assert (result.exit_code, result.stderr) == (
        3, "Error: there is no mediator called 'Jo Mediatr' — did you mean Jo Mediator or Kim Mediator? "
           "(see 'kidsmed mediators list')\n")
    result = kidsmed("venues", "retire", "room")
    assert result.exit_code == 3
    assert result.stderr == ("Error: there is no venue called 'room' — did you mean Elm Room or Oak Room? "
                             "(see 'kidsmed venues list')\n")
    result = kidsmed("venues", "retire", "Zebra")
    assert result.stderr == ("Error: there is no venue called 'Zebra' — add them with 'kidsmed venues add NAME' "
                             "(see 'kidsmed venues list')\n")


def test_a_retired_mediator_or_venue_cannot_be_booked_but_stays_on_past_sessions(kidsmed, db_path):
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path)
    kidsmed("schedule", "book", ref, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator", "--venue", "Oak Room")
    retired = kidsmed("mediators", "retire", "Jo Mediator")
    assert retired.stderr == ("Warning: Jo Mediator still has 1 booked session to come — move or cancel it "
                              "with 'kidsmed schedule move' or 'cancel'\n")
    assert kidsmed.json("show", ref)["sessions"][0]["mediator"] == "Jo Mediator"
    other = make_bookable(kidsmed, db_path)
    result = kidsmed("schedule", "book", other, "--at", "4/12/2026 10:00", "--mediator", "Jo Mediator",
                     "--venue", "Elm Room")
    assert (result.exit_code, result.stderr) == (
        1, "Error: Jo Mediator retired on Thu 26 Nov 2026 and cannot be booked — "
           "choose another mediator (see 'kidsmed mediators list')\n")
    kidsmed("venues", "retire", "Elm Room")
    result = kidsmed("schedule", "book", other, "--at", "4/12/2026 10:00", "--mediator", "Kim Mediator",
                     "--venue", "elm room")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Elm Room retired on Thu 26 Nov 2026 and cannot be booked")
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(1,)]
