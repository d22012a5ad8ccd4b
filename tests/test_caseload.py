"""My caseload: case owners (`intake --owner`, `assign`) and chase dates (`chase`)."""

import sqlite3

import pytest
from conftest import rows

# Thu 26 Nov 2026 (conftest's NOW). Fri 4 Dec is a working day; 25-28 Dec are not.


def test_the_person_taking_the_call_owns_the_case(kidsmed):
    case = kidsmed.intake()
    assert case["owner"] == "tester"


def test_intake_owner_gives_the_case_to_someone_else(kidsmed):
    assert kidsmed.intake("--owner", "Priya Shah")["owner"] == "Priya Shah"
    # A name already used keeps its spelling, whatever case it is typed in.
    assert kidsmed.intake("--owner", "priya SHAH")["owner"] == "Priya Shah"


def test_intake_refuses_an_owner_that_looks_like_a_typo(kidsmed, db_path):
    kidsmed.intake("--owner", "Priya Shah")
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                     "--child", "C", "--la", "Northshire", "--issue", "placement", "--owner", "Priya Shaw")
    assert (result.exit_code, result.stderr) == (
        2, "Error: nobody called 'Priya Shaw' has a case yet — did you mean 'Priya Shah'? "
           "Use that name, or add --new if they are someone new\n")
    assert rows(db_path, "SELECT count(*) FROM cases") == [(1,)]


def test_assign_changes_the_owner_and_keeps_the_old_one_in_the_timeline(kidsmed):
    ref = kidsmed.intake()["ref"]
    case = kidsmed.json("assign", ref, "Priya Shah", "--new")
    assert case["owner"] == "Priya Shah"
    event = case["timeline"][-1]
    assert (event["action"], event["user"], event["detail"]) == (
        "assigned", "tester", {"owner": {"old": "tester", "new": "Priya Shah"}})
    result = kidsmed("assign", ref, "tester")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{ref} is now handled by tester."


def test_assign_did_you_mean_and_new(kidsmed, db_path):
    ref = kidsmed.intake("--owner", "Jo Fairweather")["ref"]
    other = kidsmed.intake()["ref"]
    result = kidsmed("assign", other, "Jo Fairwether")
    assert (result.exit_code, result.stderr) == (
        2, "Error: nobody called 'Jo Fairwether' has a case yet — did you mean 'Jo Fairweather'? "
           "Use that name, or add --new if they are someone new\n")
    assert rows(db_path, "SELECT owner FROM cases WHERE ref = ?", (other,)) == [("tester",)]
    assert kidsmed.json("assign", other, "jo fairweather")["owner"] == "Jo Fairweather"
    assert kidsmed.json("assign", ref, "Jo Fairwether", "--new")["owner"] == "Jo Fairwether"


@pytest.mark.parametrize("name, code, line", [
    ("", 2, "Error: the owner's name is empty — give the name they use with --user\n"),
    ("a\x1b[31mb", 2, "Error: the owner's name holds control characters — give the name they use "
                      "with --user\n"),
    ("x" * 101, 2, "Error: the owner's name is 101 characters long; the most it may be is 100 — shorten it\n"),
])
def test_assign_refuses_a_name_that_is_not_one(kidsmed, name, code, line):
    ref = kidsmed.intake()["ref"]
    result = kidsmed("assign", ref, name)
    assert (result.exit_code, result.stderr) == (code, line)


def test_assign_refuses_a_closed_case_and_an_unknown_one(kidsmed):
    ref = kidsmed.intake()["ref"]
    kidsmed("close", ref, "--reason", "withdrawn")
    result = kidsmed("assign", ref, "tester")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {ref} is closed — only an open case can be given to someone\n")
    assert kidsmed("assign", "KM-2026-0999", "tester").exit_code == 3


def test_cases_mine_and_owner(kidsmed):
    mine = kidsmed.intake()["ref"]
    theirs = kidsmed.intake("--owner", "Priya Shah")["ref"]
    assert [c["ref"] for c in kidsmed.json("cases", "--mine")] == [mine]
    assert [c["ref"] for c in kidsmed.json("cases", "--owner", "priya shah")] == [theirs]
    assert kidsmed.json("cases", "--mine")[0]["owner"] == "tester"
    result = kidsmed("cases", "--owner", "Priya Shaw")
    assert (result.exit_code, result.stderr) == (
        3, "Error: nobody called 'Priya Shaw' owns a case or mediates — did you mean 'Priya Shah'?\n")
    result = kidsmed("cases", "--mine", "--owner", "Priya Shah")
    assert result.exit_code == 2


def test_cases_csv_carries_the_owner_and_the_chase(kidsmed):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    lines = kidsmed("cases", "--format", "csv").stdout.splitlines()
    assert lines[0].endswith(",owner,chase_on,chase_what,chase_party")
    assert lines[1].startswith(f"{ref},") and lines[1].endswith(
        ",tester,2026-12-03,ask the family for their consent,family")


# --- chases ---------------------------------------------------------------------------------


def test_waiting_for_consent_sets_a_default_chase_5_working_days_on(kidsmed):
    case = kidsmed.intake("--referrer-role", "school")
    assert case["chase"] == {"on": "2026-12-03", "what": "ask the family for their consent",
                             "party": "family", "default": True}


def test_the_default_chase_follows_the_last_contact(kidsmed, env_now):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    env_now("2026-11-30T11:00")
    case = kidsmed.json("consent", ref, "--given", "--by", "Sam Example", "--method", "phone")
    # Mon 30 Nov + 5 working days = Mon 7 Dec; now the family and the LA must agree.
    assert case["chase"] == {"on": "2026-12-07", "party": "family", "default": True,
                             "what": "ask the family whether they will take part"}
    case = kidsmed.json("agree", ref, "--party", "family", "--yes")
    assert case["chase"] == {"on": "2026-12-07", "party": "la", "default": True,
                             "what": "ask the local authority whether it will take part"}
    case = kidsmed.json("agree", ref, "--party", "la", "--yes")
    assert case["status"] == "ready-to-book" and case["chase"] is None


def test_the_default_chase_skips_christmas_and_a_closure_day(kidsmed, env_now):
    kidsmed("holidays", "add", "4/1/2027", "Training day", "--closure")
    env_now("2026-12-23T10:00")
    case = kidsmed.intake("--referrer-role", "school")
    # Wed 23 Dec + 5 working days: 24, 29, 30, 31 Dec, Mon 4 Jan (25, 28 Dec and 1 Jan are bank
    # holidays) — a training day, so the next open day.
    assert case["chase"]["on"] == "2027-01-05"


def test_a_chase_staff_set_is_never_moved_by_the_default(kidsmed, env_now):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    kidsmed("chase", ref, "--on", "4/12/2026", "--what", "ring about consent", "--party", "family")
    case = kidsmed.json("consent", ref, "--given", "--by", "Sam Example", "--method", "phone")
    assert case["chase"] == {"on": "2026-12-04", "what": "ring about consent", "party": "family",
                             "default": False}


def test_chase_sets_the_next_contact_audited_without_its_text(kidsmed, db_path):
    ref = kidsmed.intake()["ref"]
    result = kidsmed("chase", ref, "--on", "friday", "--what", "ring Mrs Example about dates", "--party", "la")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Chase {ref} on Fri 27 Nov 2026: ring Mrs Example about dates."
    case = kidsmed.json("show", ref)
    assert case["chase"] == {"on": "2026-11-27", "what": "ring Mrs Example about dates", "party": "la",
                             "default": False}
    assert case["timeline"][-1]["action"] == "chase"
    assert case["timeline"][-1]["detail"] == {"on": "2026-11-27", "party": "la"}
    # Free text may name someone: it never enters the audit trail.
    assert rows(db_path, "SELECT count(*) FROM events WHERE detail LIKE '%Example%'") == [(0,)]


@pytest.mark.parametrize("day, code, line", [
    ("5/12/2026", 1, "Error: Sat 5 Dec 2026 is at the weekend — the nearest working day is Fri 4 Dec 2026"),
    ("6/12/2026", 1, "Error: Sun 6 Dec 2026 is at the weekend — the nearest working day is Mon 7 Dec 2026"),
    ("25/12/2026", 1, "Error: Fri 25 Dec 2026 is a bank holiday (Christmas Day) — the nearest working day "
                      "is Thu 24 Dec 2026"),
    ("yesterday", 2, "Error: Wed 25 Nov 2026 is in the past — give today or a later day with --on"),
])
def test_a_chase_falls_on_a_day_the_office_is_open(kidsmed, db_path, day, code, line):
    ref = kidsmed.intake()["ref"]
    result = kidsmed("chase", ref, "--on", day, "--what", "LA answer")
    assert (result.exit_code, result.stderr) == (code, line + "\n")
    assert rows(db_path, "SELECT chase_on FROM cases") == [("2026-12-03",)]


def test_a_chase_on_a_closure_day_suggests_the_nearest_open_day(kidsmed):
    kidsmed("holidays", "add", "3/12/2026", "Training day", "--closure")
    ref = kidsmed.intake()["ref"]
    result = kidsmed("chase", ref, "--on", "3/12/2026", "--what", "LA answer")
    assert (result.exit_code, result.stderr) == (
        1, "Error: Thu 3 Dec 2026 is a day the office is closed (Training day) — the nearest working "
           "day is Wed 2 Dec 2026\n")


def test_chase_done_records_it_and_asks_for_the_next(kidsmed, env_now):
    ref = kidsmed.intake()["ref"]
    kidsmed("chase", ref, "--on", "27/11/2026", "--what", "LA answer", "--party", "la")
    env_now("2026-11-27T15:00")
    result = kidsmed("chase", ref, "--done")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Recorded the chase made today on {ref}.",
        f"Next: set the next chase: kidsmed chase {ref} --on DATE --what TEXT"]
    case = kidsmed.json("show", ref)
    assert case["chase"] is None and case["last_contact_on"] == "2026-11-27"
    event = case["timeline"][-1]
    assert (event["action"], event["detail"]) == (
        "chase-done", {"planned": "2026-11-27", "party": "la", "on": "2026-11-27"})
    assert event["changes"] == [{"field": "chase_what", "old": "LA answer", "new": None}]
    again = kidsmed("chase", ref, "--done")
    assert (again.exit_code, again.stderr) == (
        1, f"Error: {ref} has no chase set — set one with 'kidsmed chase REF --on DATE --what TEXT'\n")


def test_chase_needs_a_day_and_what_or_done_alone(kidsmed):
    ref = kidsmed.intake()["ref"]
    assert kidsmed("chase", ref, "--on", "friday").exit_code == 2
    assert kidsmed("chase", ref, "--done", "--on", "friday").exit_code == 2
    assert kidsmed("chase", ref, "--on", "friday", "--what", "x", "--party", "nobody").exit_code == 2


def test_closing_a_case_clears_its_chase(kidsmed, db_path):
    ref = kidsmed.intake()["ref"]
    kidsmed("chase", ref, "--on", "friday", "--what", "LA answer")
    kidsmed("close", ref, "--reason", "withdrawn")
    assert rows(db_path, "SELECT chase_on, chase_party, chase_auto FROM cases") == [(None, None, None)]
    assert rows(db_path, "SELECT chase_what FROM case_personal") == [(None,)]
    result = kidsmed("chase", ref, "--on", "friday", "--what", "x")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {ref} is closed — a closed case has nobody left to chase\n")


def test_erasure_clears_what_the_chase_said(kidsmed, db_path):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    kidsmed("chase", ref, "--on", "friday", "--what", "ring Mrs Example")
    kidsmed("consent", ref, "--refused")
    for table in ("case_personal", "personal_history"):
        assert rows(db_path, f"SELECT count(*) FROM {table}") == [(0,)]


def test_a_book_from_before_owners_gains_the_columns_and_no_owner(tmp_path, kidsmed, monkeypatch):
    from test_migrations import FIXTURES, load

    old = tmp_path / "old.db"
    load(FIXTURES[0], old)
    monkeypatch.setenv("KIDSMED_DB", str(old))
    case = kidsmed.json("show", "KM-2026-0001")
    assert case["owner"] is None and case["chase"] is None
    conn = sqlite3.connect(old)
    received, contact = conn.execute("SELECT received_on, last_contact_on FROM cases WHERE ref = 'KM-2026-0001'"
                                     ).fetchone()
    conn.close()
    assert contact is not None and contact >= received


def test_chase_done_at_a_terminal_asks_for_the_next_one(kidsmed, monkeypatch):
    ref = kidsmed.intake()["ref"]
    kidsmed("chase", ref, "--on", "today", "--what", "LA answer", "--party", "la")
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)
    # A Saturday is asked again, with the nearest open day; then what for, and whom.
    result = kidsmed("chase", ref, "--done", input="5/12/2026\n4/12/2026\nLA answer again\nla\n")
    assert result.exit_code == 0, result.output
    assert "Sat 5 Dec 2026 is at the weekend — the nearest working day is Fri 4 Dec 2026" in result.output
    assert f"Chase {ref} on Fri 4 Dec 2026: LA answer again." in result.output
    assert kidsmed.json("show", ref)["chase"] == {"on": "2026-12-04", "what": "LA answer again", "party": "la",
                                                  "default": False}


def test_chase_done_at_a_terminal_may_leave_the_next_one_for_later(kidsmed, monkeypatch):
    ref = kidsmed.intake()["ref"]
    kidsmed("chase", ref, "--on", "today", "--what", "LA answer")
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)
    result = kidsmed("chase", ref, "--done", input="\n")
    assert result.exit_code == 0, result.output
    assert kidsmed.json("show", ref)["chase"] is None
