"""kidsmed due, due done and holidays: the clocks across all cases and the calendar they count on."""

import csv
import io
import json

import pytest
from conftest import rows, start_clock
from test_calendar import _govuk_file

from kidsmed.store import clocks as clock_store
from kidsmed.store.db import open_db


def _events(db_path, action):
    return rows(db_path, "SELECT case_id, detail FROM events WHERE action = ? ORDER BY id", (action,))


@pytest.fixture
def three_clocks(kidsmed, env_now, db_path):
    """On Wed 23 Dec 2026: one clock overdue, two due on Wed 30 Dec, and two that are not running."""
    env_now("2026-12-23T10:00")
    for la in ("Northshire", "Northshire", "Southvale", "Northshire"):
        kidsmed.intake("--la", la)
    start_clock(db_path, "KM-2026-0001", "certificate-after-decline", "2026-12-23", close_reason="family-declined")
    start_clock(db_path, "KM-2026-0002", "health-notice", "2026-12-11", "family wants mediation")
    start_clock(db_path, "KM-2026-0003", "agreement-actions", "2026-12-16", "mediation ended in agreement")
    start_clock(db_path, "KM-2026-0004", "mediation-within-30-days", "2026-12-01", "family wants mediation")
    start_clock(db_path, "KM-2026-0004", "health-notice", "2026-12-01", "family wants mediation")
    db = open_db(db_path)
    with db.transaction():
        db.execute("UPDATE clocks SET state = 'stopped' WHERE rule = 'mediation-within-30-days'")
        db.execute("UPDATE clocks SET state = 'met', met_on = '2026-12-02'"
                   " WHERE case_id = 4 AND rule = 'health-notice'")
    db.close()


def _refs(listed):
    return [(c["ref"], c["rule"]) for c in listed]


def test_due_lists_running_clocks_soonest_first(kidsmed, three_clocks):
    listed = kidsmed.json("due")
    assert _refs(listed) == [("KM-2026-0002", "health-notice"), ("KM-2026-0001", "certificate-after-decline"),
                             ("KM-2026-0003", "agreement-actions")]
    first, second = listed[0], listed[1]
    assert first["state"] == "breached" and first["days_over"] == 7 and first["due_on"] == "2026-12-16"
    assert second == {
        "ref": "KM-2026-0001", "rule": "certificate-after-decline", "local_authority": "Northshire", "owner": "tester",
        "start_event": "family declined", "started_on": "2026-12-23", "due_on": "2026-12-30",
        "due": "Wed 30 Dec 2026", "state": "running", "days_over": 0,
        "description": "day 0 of 3 working days · due Wed 30 Dec 2026 "
                       "(certificate-after-decline, from 'family declined' on Wed 23 Dec 2026)",
    }


def test_due_filters(kidsmed, three_clocks):
    assert _refs(kidsmed.json("due", "--overdue")) == [("KM-2026-0002", "health-notice")]
    assert len(kidsmed.json("due", "--within", "7")) == 3
    assert _refs(kidsmed.json("due", "--within", "6")) == [("KM-2026-0002", "health-notice")]
    assert _refs(kidsmed.json("due", "--within", "0")) == [("KM-2026-0002", "health-notice")]
    assert _refs(kidsmed.json("due", "--la", "southvale")) == [("KM-2026-0003", "agreement-actions")]
    refused = kidsmed("due", "--la", "Southvail")
    assert (refused.exit_code, refused.stderr) == (2, "Error: 'Southvail' is not a registered local authority — "
                                                      "did you mean Southvale? (see 'kidsmed las list')\n")


def test_due_table_and_csv(kidsmed, three_clocks):
    out = kidsmed("due", env={"COLUMNS": "160"}).stdout
    assert "3 running clocks, 1 overdue" in out
    assert "KM-2026-0002  Wed 16 Dec 2026  7 days over  health-notice" in out
    table = list(csv.DictReader(io.StringIO(kidsmed("due", "--format", "csv").stdout)))
    assert [r["ref"] for r in table] == ["KM-2026-0002", "KM-2026-0001", "KM-2026-0003"]
    assert table[0]["days_over"] == "7"


def test_overdue_rows_are_highlighted(kidsmed, three_clocks):
    out = kidsmed("due", env={"COLUMNS": "160", "FORCE_COLOR": "1"}).stdout
    line = {ref: next(x for x in out.splitlines() if ref in x) for ref in ("KM-2026-0001", "KM-2026-0002",
                                                                           "KM-2026-0003")}
    assert line["KM-2026-0002"].startswith("\x1b[1;31mKM-2026-0002\x1b[0m")
    assert "\x1b[1;31mWed 16 Dec 2026\x1b[0m" in line["KM-2026-0002"]
    assert "\x1b[" not in line["KM-2026-0001"] + line["KM-2026-0003"]
    plain = kidsmed("due", env={"COLUMNS": "160"}).stdout
    assert "\x1b[" not in plain  # not a terminal: no styles, whatever is overdue


def test_due_shows_the_soonest_and_counts_them_all(kidsmed, three_clocks):
    assert [c["ref"] for c in kidsmed.json("due", "--limit", "2")] == [c["ref"] for c in kidsmed.json("due")][:2]
    assert len(kidsmed.json("due", "--limit", "2", "--all")) == 3
    assert "3 running clocks, 1 overdue, soonest 2 shown (--limit N or --all for more)" in kidsmed(
        "due", "--limit", "2").stdout
    result = kidsmed("due", "--limit", "0")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --limit must be from 1 to 100,000 — or use --all to list every clock\n")


def test_empty_due_list(kidsmed):
    assert kidsmed.json("due") == []
    assert kidsmed("due").stdout == "No running clocks match.\n"


def test_negative_within_is_bad_input(kidsmed):
    result = kidsmed("due", "--within", "-1")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --within must be from 0 to 366 — the number of days ahead, e.g. --within 7\n")


def test_the_due_queries_read_the_state_and_due_index(three_clocks, db_path):
    db = open_db(db_path)
    try:
        for sql, params in ((clock_store._RUNNING_WITH_CASE + " ORDER BY k.due_on, k.id", ()),
                            (clock_store._RUNNING_WITH_CASE + " AND k.due_on >= ? AND k.started_on < ?"
                             " ORDER BY k.due_on, k.id", ("2026-12-01", "2026-12-02"))):
            plan = " / ".join(r[3] for r in db.query("EXPLAIN QUERY PLAN " + sql, params))
            assert "USING INDEX clocks_state_due" in plan and "TEMP B-TREE" not in plan, plan
    finally:
        db.close()


# --- due done ---------------------------------------------------------------

def test_due_done_meets_a_health_notice(kidsmed, three_clocks, db_path):
    result = kidsmed("due", "done", "KM-2026-0002", "health-notice", "--on", "yesterday")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Marked health-notice done on Tue 22 Dec 2026 for KM-2026-0002 — late: it was due Wed 16 Dec 2026.")
    shown = kidsmed.json("show", "KM-2026-0002")
    assert [(c["rule"], c["state"], c["met_on"]) for c in shown["clocks"]] == [
        ("health-notice", "met-late", "2026-12-22")]
    assert [json.loads(d)["late"] for _, d in _events(db_path, "clock-met")] == [True]
    assert _refs(kidsmed.json("due", "--overdue")) == []


def test_due_done_on_time(kidsmed, three_clocks):
    result = kidsmed("due", "done", "KM-2026-0003", "agreement-actions")
    assert result.stdout.splitlines()[0] == (
        "Marked agreement-actions done on Wed 23 Dec 2026 for KM-2026-0003 — on time: due Wed 30 Dec 2026.")


@pytest.mark.parametrize(("ref", "rule", "code", "message"), [
    ("KM-2026-0001", "certificate-after-decline", 1,
     "certificate-after-decline is met when the certificate is issued, not marked done — "
     "issue the certificate with 'kidsmed certificate issue KM-2026-0001'"),
    ("KM-2026-0001", "mediation-within-30-days", 1,
     "mediation-within-30-days is met when the first mediation session is held, not marked done — "
     "record the first session with 'kidsmed schedule outcome KM-2026-0001'"),
    ("KM-2026-0001", "health-notice", 1,
     "KM-2026-0001 has no running health-notice clock — see its clocks with 'kidsmed show KM-2026-0001'"),
    ("KM-2026-0001", "notice", 2, "'notice' is not a clock — use one of: certificate-after-decline, "
     "mediation-within-30-days, health-notice, certificate-deemed, certificate-after-mediation, "
     "agreement-actions, appeal-deadline"),
    ("KM-2026-0009", "health-notice", 3,
     "there is no case KM-2026-0009 — check the reference with 'kidsmed cases --search'"),
])
def test_due_done_refusals_change_nothing(kidsmed, three_clocks, db_path, ref, rule, code, message):
    before = rows(db_path, "SELECT * FROM clocks"), rows(db_path, "SELECT count(*) FROM events")
    result = kidsmed("due", "done", ref, rule)
    assert (result.exit_code, result.stderr) == (code, f"Error: {message}\n")
    assert (rows(db_path, "SELECT * FROM clocks"), rows(db_path, "SELECT count(*) FROM events")) == before


def test_due_done_cannot_be_in_the_future(kidsmed, three_clocks):
    result = kidsmed("due", "done", "KM-2026-0002", "health-notice", "--on", "tomorrow")
    assert (result.exit_code, result.stderr) == (
        2, "Error: Thu 24 Dec 2026 is in the future — give the day it was done with --on\n")


# --- holidays -----------------------------------------------------------------

def test_holidays_list_a_year_with_sources_and_notes(kidsmed):
    listed = kidsmed.json("holidays", "--year", "2027")
    assert {"date": "2027-12-27", "name": "Christmas Day", "kind": "bank-holiday", "source": "rule",
            "note": "Substitute day"} in listed
    assert [h["date"] for h in listed] == sorted(h["date"] for h in listed)
    assert {h["source"] for h in kidsmed.json("holidays", "--year", "2022")} == {"rule", "data file"}
    this_year = kidsmed.json("holidays")  # KIDSMED_NOW is in 2026
    assert this_year[0]["date"] == "2026-01-01"
    out = kidsmed("holidays", "--year", "2026").stdout
    assert "Bank holidays and closure days in 2026" in out and "Mon 28 Dec 2026" in out


def test_holidays_list_is_the_listing_and_bare_holidays_its_alias(kidsmed):
    """Issue 14: staff type `holidays list`; the bare group name stays the same listing."""
    listed = kidsmed("holidays", "list", "--year", "2027")
    assert (listed.exit_code, listed.stderr) == (0, "")
    assert listed.stdout == kidsmed("holidays", "--year", "2027").stdout
    assert "Mon 27 Dec 2027" in listed.stdout  # Christmas Day's substitute
    assert kidsmed.json("holidays", "list", "--year", "2024") == kidsmed.json("holidays", "--year", "2024")
    easter = [h["date"] for h in kidsmed.json("holidays", "list", "--year", "2024") if "Easter" in h["name"]]
    assert easter == ["2024-04-01"]  # Easter Monday; Good Friday is 29 Mar
    help_text = kidsmed("holidays", "--help").stdout
    assert "list" in help_text and "same as 'holidays list'" in help_text


def test_holidays_csv(kidsmed):
    table = list(csv.DictReader(io.StringIO(kidsmed("holidays", "--year", "2026", "--format", "csv").stdout)))
    assert table[-1] == {"date": "2026-12-28", "name": "Boxing Day", "kind": "bank-holiday", "source": "rule",
                         "note": "Substitute day"}


def test_add_a_bank_holiday_and_a_closure(kidsmed, db_path):
    result = kidsmed("holidays", "add", "4/6/2029", "Extra bank holiday")
    assert result.stdout == ("Added bank holiday Mon 4 Jun 2029: Extra bank holiday.\n"
                             "Next: nothing — no running clock counts across the days added.\n")
    closed = kidsmed("holidays", "add", "24/12/2026", "Office closed", "--closure", "--json")
    assert json.loads(closed.stdout) == {
        "added": [{"date": "2026-12-24", "name": "Office closed", "kind": "closure"}],
        "already_known": 0, "moved": [], "warnings": [], "to_move": []}
    assert rows(db_path, "SELECT date, name, kind, added_by FROM holidays ORDER BY date") == [
        ("2026-12-24", "Office closed", "closure", "tester"),
        ("2029-06-04", "Extra bank holiday", "bank-holiday", "tester")]
    assert [json.loads(d)["date"] for _, d in _events(db_path, "holiday-added")] == ["2029-06-04", "2026-12-24"]
    assert {"date": "2029-06-04", "name": "Extra bank holiday", "kind": "bank-holiday", "source": "added",
            "note": ""} in kidsmed.json("holidays", "--year", "2029")


@pytest.mark.parametrize(("args", "code", "message"), [
    (("25/12/2026", "Christmas"), 1,
     "Fri 25 Dec 2026 is already a bank holiday (Christmas Day) — nothing to add"),
    (("25/12/2026", "Shut", "--closure"), 1,
     "Fri 25 Dec 2026 is already a bank holiday (Christmas Day) — the office is shut that day anyway"),
    (("26/12/2026", "Shut", "--closure"), 1,
     "Sat 26 Dec 2026 is a weekend day, never a working day — add the weekday announced instead"),
    (("31/02/2027", "Nope"), 2, None),
    (("4/6/2029", "  "), 2, 'the holiday needs a name — e.g. kidsmed holidays add 4/6/2029 "Extra bank holiday"'),
])
def test_adding_a_day_that_changes_nothing_is_refused(kidsmed, db_path, args, code, message):
    kidsmed("holidays")  # create the database
    result = kidsmed("holidays", "add", *args)
    assert result.exit_code == code
    if message:
        assert result.stderr == f"Error: {message}\n"
    assert rows(db_path, "SELECT count(*) FROM holidays") == [(0,)]


def test_a_closure_twice_is_refused(kidsmed, db_path):
    kidsmed("holidays", "add", "24/12/2026", "Office closed", "--closure")
    result = kidsmed("holidays", "add", "24/12/2026", "Training", "--closure")
    assert (result.exit_code, result.stderr) == (
        1, "Error: Thu 24 Dec 2026 is already a closure day (Office closed) — nothing to add\n")


def _started_on_monday(kidsmed, env_now, db_path):
    """A certificate clock from Mon 7 Dec 2026 (due Thu 10 Dec) and a 30-day clock beside it."""
    env_now("2026-12-07T10:00")
    kidsmed.intake()
    kidsmed.intake()
    assert start_clock(db_path, "KM-2026-0001", "certificate-after-decline", "2026-12-07") == "2026-12-10"
    assert start_clock(db_path, "KM-2026-0002", "mediation-within-30-days", "2026-12-07",
                       "family wants mediation") == "2027-01-06"


def test_a_new_bank_holiday_moves_a_running_working_day_clock(kidsmed, env_now, db_path):
    _started_on_monday(kidsmed, env_now, db_path)
    result = kidsmed("holidays", "add", "9/12/2026", "Extra bank holiday")
    assert result.stdout == ("Added bank holiday Wed 9 Dec 2026: Extra bank holiday.\n"
                             "Moved KM-2026-0001 certificate-after-decline: due Thu 10 Dec 2026 → Fri 11 Dec 2026.\n"
                             "Next: kidsmed due (check the moved deadlines)\n")
    assert [c["due_on"] for c in kidsmed.json("due")] == ["2026-12-11", "2027-01-06"]
    [(case_id, detail)] = _events(db_path, "clock-due-moved")
    assert case_id == 1
    assert json.loads(detail) == {"rule": "certificate-after-decline",
                                  "due_on": {"old": "2026-12-10", "new": "2026-12-11"},
                                  "bank_holidays_added": ["2026-12-09"]}
    timeline = kidsmed.json("show", "KM-2026-0001")["timeline"]
    assert timeline[-1]["action"] == "clock-due-moved"
    assert "due_on: 2026-12-10 → 2026-12-11" in kidsmed("show", "KM-2026-0001", env={"COLUMNS": "200"}).stdout


def test_a_closure_in_the_window_moves_no_clock(kidsmed, env_now, db_path):
    _started_on_monday(kidsmed, env_now, db_path)
    result = kidsmed("holidays", "add", "8/12/2026", "Office closed", "--closure")
    assert "Moved" not in result.stdout
    assert [c["due_on"] for c in kidsmed.json("due")] == ["2026-12-10", "2027-01-06"]
    assert _events(db_path, "clock-due-moved") == []


def test_a_bank_holiday_outside_the_window_moves_nothing(kidsmed, env_now, db_path):
    _started_on_monday(kidsmed, env_now, db_path)
    kidsmed("holidays", "add", "11/12/2026", "Extra bank holiday")
    assert [c["due_on"] for c in kidsmed.json("due")] == ["2026-12-10", "2027-01-06"]


def test_import_the_govuk_file_adds_nothing_already_known(kidsmed, db_path):
    path = _govuk_file()
    if not path.is_file():
        pytest.skip(f"GOV.UK bank-holidays.json not found at {path}")
    count = len(json.loads(path.read_text(encoding="utf-8"))["england-and-wales"]["events"])
    assert kidsmed.json("holidays", "import", str(path)) == {
        "added": [], "already_known": count, "moved": [], "warnings": [], "to_move": []}
    assert rows(db_path, "SELECT count(*) FROM holidays") == [(0,)]


def _govuk(tmp_path, events, division="england-and-wales"):
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps({division: {"division": division, "events": events}}), encoding="utf-8")
    return str(path)


def test_import_adds_what_is_new_and_moves_clocks(kidsmed, env_now, db_path, tmp_path):
    _started_on_monday(kidsmed, env_now, db_path)
    path = _govuk(tmp_path, [
        {"title": "Christmas Day", "date": "2026-12-25", "notes": "", "bunting": True},
        {"title": "Extra bank holiday", "date": "2026-12-08", "notes": "", "bunting": True},
        {"title": "Announced day", "date": "2029-06-04", "notes": "Extra bank holiday", "bunting": True},
    ])
    result = kidsmed("holidays", "import", path)
    assert result.stdout == (
        "Added bank holiday Tue 8 Dec 2026: Extra bank holiday.\n"
        "Added bank holiday Mon 4 Jun 2029: Announced day.\n"
        "1 day already known.\n"
        "Moved KM-2026-0001 certificate-after-decline: due Thu 10 Dec 2026 → Fri 11 Dec 2026.\n"
        "Next: kidsmed due (check the moved deadlines)\n")
    assert rows(db_path, "SELECT date FROM holidays ORDER BY date") == [("2026-12-08",), ("2029-06-04",)]
    again = kidsmed.json("holidays", "import", path)
    assert again == {"added": [], "already_known": 3, "moved": [], "warnings": [], "to_move": []}


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "the file is not JSON"),
    (json.dumps({"scotland": {"events": []}}), "the file has no england-and-wales events with a date and a title"),
    (json.dumps({"england-and-wales": {"events": [{"title": "X", "date": "2026-13-01"}]}}),
     "the file has no england-and-wales events with a date and a title"),
    (json.dumps({"england-and-wales": {"events": [{"date": "2029-06-04"}]}}),
     "the file has no england-and-wales events with a date and a title"),
    (json.dumps([1, 2]), "the file has no england-and-wales events with a date and a title"),
])
def test_a_bad_file_is_bad_input_and_changes_nothing(kidsmed, db_path, tmp_path, content, message):
    kidsmed("holidays")
    path = tmp_path / "holidays.json"
    path.write_text(content, encoding="utf-8")
    result = kidsmed("holidays", "import", str(path))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {message} — give GOV.UK's bank-holidays.json (https://www.gov.uk/bank-holidays.json)\n")
    assert rows(db_path, "SELECT count(*) FROM holidays") == [(0,)]


def test_a_missing_or_binary_file_is_bad_input(kidsmed, tmp_path):
    result = kidsmed("holidays", "import", str(tmp_path / "nope.json"))
    assert (result.exit_code, result.stderr) == (
        2, "Error: cannot read nope.json as a text file — check the file's name and path\n")
    (tmp_path / "b.json").write_bytes(b"\xff\xfe\x00")
    assert kidsmed("holidays", "import", str(tmp_path / "b.json")).exit_code == 2


def test_import_warns_when_the_file_moves_a_regular_bank_holiday(kidsmed, tmp_path):
    path = _govuk(tmp_path, [{"title": "Spring bank holiday", "date": "2029-06-04", "notes": ""}])
    result = kidsmed("holidays", "import", path)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the file moves Spring bank holiday from Mon 28 May 2029 to Mon 4 Jun 2029, but kidsmed still "
        "counts Mon 28 May 2029 as a bank holiday — ask for a kidsmed update (moved days are kept in its data "
        "file)\n")
    assert "Added bank holiday Mon 4 Jun 2029: Spring bank holiday." in result.stdout
