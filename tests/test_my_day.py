"""My day: `report day --mine|--owner`, chases due, what falls through the gaps, and the same
filter on `cases`, `due` and `schedule list` (Thu 26 Nov 2026, conftest's NOW)."""

import json
import sqlite3
from datetime import date

import pytest
from conftest import rows
from report_fixtures import CaseBookRows
from test_demo import made_demo


def _log(kidsmed, received: str, *options: str) -> str:
    return kidsmed.intake("--received", received, "--decision-date", "", *options)["ref"]


@pytest.fixture
def staff(kidsmed, db_path, env_now):
    """Cases of two members of staff, tester (who runs the commands) and Priya Shah."""
    ref = {
        "mine_waiting_la": _log(kidsmed, "13/11/2026 10:00", "--la", "Southvale"),
        "mine_chased": _log(kidsmed, "24/11/2026 10:00"),
        "theirs_waiting": _log(kidsmed, "16/11/2026 10:00", "--owner", "Priya Shah", "--referrer-role", "school"),
        "theirs_booked": _log(kidsmed, "2/11/2026 10:00", "--owner", "Priya Shah"),
    }
    # The family agreed on Mon 23 Nov: the case now waits on the LA.
    env_now("2026-11-23T12:00")
    kidsmed("agree", ref["mine_waiting_la"], "--party", "family", "--yes", "--on", "16/11/2026")
    kidsmed("chase", ref["mine_chased"], "--on", "25/11/2026", "--what", "ring the LA", "--party", "la")
    env_now("2026-11-26T10:00:00")
    book = CaseBookRows(db_path)
    book.status(ref["theirs_booked"], "booked")
    book.session(ref["theirs_booked"], "2026-11-26 10:00", mediator="Jo Mediator")
    book.session(ref["theirs_booked"], "2026-11-26 14:00", hours=2, mediator="tester")  # tester mediates
    book.clock(ref["theirs_booked"], "certificate-after-decline", "2026-11-23", "2026-11-26")
    book.clock(ref["mine_waiting_la"], "mediation-within-30-days", "2026-11-16", "2026-11-20")
    return ref


def test_report_day_mine_is_my_cases_and_the_sessions_i_mediate(kidsmed, staff):
    day = kidsmed.json("report", "day", "--mine")
    assert day["owner"] == "tester"
    assert [(s["ref"], s["start"], s["mediator"]) for s in day["sessions"]] == [
        (staff["theirs_booked"], "2026-11-26T14:00:00+00:00", "tester")]
    # The 30 days ran out with no session held: the deemed certificate they owe is listed too (issue 14).
    assert [(c["ref"], c["rule"]) for c in day["clocks"]] == [
        (staff["mine_waiting_la"], "mediation-within-30-days"), (staff["mine_waiting_la"], "certificate-deemed")]
    assert [(c["ref"], c["chase"], c["days_over"]) for c in day["chases"]] == [
        (staff["mine_waiting_la"], {"on": "2026-11-23", "what": "ask the local authority whether it will take part",
                                    "party": "la", "default": True}, 3),
        (staff["mine_chased"], {"on": "2026-11-25", "what": "ring the LA", "party": "la", "default": False}, 1)]
    assert [(w["ref"], w["party"], w["since"], w["working_days"]) for w in day["waiting"]] == [
        (staff["mine_waiting_la"], "la", "2026-11-16", 8)]
    assert "unowned" not in day and "unowned" not in day["totals"]


def test_report_day_owner_is_someone_elses_day(kidsmed, staff):
    day = kidsmed.json("report", "day", "--owner", "priya shah")
    assert day["owner"] == "Priya Shah"
    assert [s["start"] for s in day["sessions"]] == ["2026-11-26T10:00:00+00:00", "2026-11-26T14:00:00+00:00"]
    assert [c["ref"] for c in day["clocks"]] == [staff["theirs_booked"]]
    assert [(w["ref"], w["party"]) for w in day["waiting"]] == [(staff["theirs_waiting"], "family")]
    assert {row["owner"] for key in ("sessions", "clocks", "chases", "waiting") for row in day[key]} == {"Priya Shah"}


def test_the_waiting_row_names_the_party_holding_things_up(kidsmed, staff):
    out = kidsmed("report", "day", "--mine").stdout
    assert "Thu 26 Nov 2026 — the day of tester" in out
    row = next(line for line in out.splitlines() if staff["mine_waiting_la"] in line and "Mon 16 Nov" in line)
    assert "LA (Southvale)" in row and "8" in row
    assert max(len(line) for line in out.splitlines()) <= 80


def test_the_whole_service_day_has_owners_and_chases_and_fits_80_columns(kidsmed, staff):
    day = kidsmed.json("report", "day")
    assert day["owner"] is None
    # Oldest first; the booked case keeps the default chase of its intake (the fixture books it by hand).
    assert [(c["ref"], c["owner"], c["chase"]["on"]) for c in day["chases"]] == [
        (staff["theirs_booked"], "Priya Shah", "2026-11-09"), (staff["mine_waiting_la"], "tester", "2026-11-23"),
        (staff["theirs_waiting"], "Priya Shah", "2026-11-23"), (staff["mine_chased"], "tester", "2026-11-25")]
    out = kidsmed("report", "day").stdout
    assert "Chases due" in out and "Owner" in out and "ring the LA" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_report_day_lists_open_cases_with_no_owner(kidsmed, db_path, staff):
    book = CaseBookRows(db_path)
    book.case("KM-2025-0007", "2025-06-02", "Northshire", status="ready-to-book")  # from before owners
    book.case("KM-2025-0008", "2025-06-03", "Northshire", status="closed")
    day = kidsmed.json("report", "day")
    assert [(c["ref"], c["status"]) for c in day["unowned"]] == [("KM-2025-0007", "ready-to-book")]
    assert day["totals"]["unowned"] == 1
    assert "Open cases with no owner (kidsmed assign REF NAME)" in kidsmed("report", "day").stdout
    kidsmed("assign", "KM-2025-0007", "tester")
    assert kidsmed.json("report", "day")["unowned"] == []


def test_report_day_lists_waiting_cases_nobody_is_chasing(kidsmed, env_now):
    # Chased on Thu 12 Nov and no next chase set: 10 working days by Thu 26 Nov.
    old = _log(kidsmed, "9/11/2026 10:00", "--referrer-role", "school")
    recent = _log(kidsmed, "10/11/2026 10:00", "--referrer-role", "school")
    for ref, day in ((old, "2026-11-12"), (recent, "2026-11-13")):
        env_now(f"{day}T10:00")
        kidsmed("chase", ref, "--done")
    env_now("2026-11-26T10:00")
    day = kidsmed.json("report", "day")
    assert [(c["ref"], c["last_contact_on"], c["working_days"]) for c in day["forgotten"]] == [
        (old, "2026-11-12", 10)]
    assert kidsmed.json("report", "day", "--mine")["forgotten"][0]["ref"] == old
    assert kidsmed.json("report", "day", "--owner", "tester")["totals"]["forgotten"] == 1
    # A note is a contact: the case is no longer forgotten.
    kidsmed("note", old, "Rang: no answer")
    assert kidsmed.json("report", "day")["forgotten"] == []


def test_mine_for_someone_who_owns_nothing_is_an_empty_day(kidsmed, staff):
    day = kidsmed.json("report", "day", "--mine", env={"KIDSMED_USER": "New Starter"})
    assert day["owner"] == "New Starter" and day["clocks"] == [] and day["sessions"] == []


def test_owner_must_be_someone_known(kidsmed, staff):
    result = kidsmed("report", "day", "--owner", "Priya Shaw")
    assert (result.exit_code, result.stderr) == (
        3, "Error: nobody called 'Priya Shaw' owns a case or mediates — did you mean 'Priya Shah'?\n")
    result = kidsmed("report", "day", "--owner", "Nobody Atall")
    assert (result.exit_code, result.stderr) == (
        3, "Error: nobody called 'Nobody Atall' owns a case or mediates — give the name they use with --user\n")


def test_due_mine_and_owner(kidsmed, staff):
    # The clock the test added, the 30-day one the family's yes started, and the deemed certificate
    # the first one owes now that its 30 days ran out with no session held (issue 14).
    assert [(c["ref"], c["rule"]) for c in kidsmed.json("due", "--mine")] == [
        (staff["mine_waiting_la"], "mediation-within-30-days"), (staff["mine_waiting_la"], "certificate-deemed"),
        (staff["mine_waiting_la"], "mediation-within-30-days")]
    assert [(c["ref"], c["owner"]) for c in kidsmed.json("due", "--owner", "Priya Shah")] == [
        (staff["theirs_booked"], "Priya Shah")]


def test_schedule_list_mine_is_my_cases_and_the_sessions_i_mediate(kidsmed, staff):
    assert [(s["start"], s["mediator"]) for s in kidsmed.json("schedule", "list", "--mine")] == [
        ("2026-11-26T14:00:00+00:00", "tester")]
    assert len(kidsmed.json("schedule", "list", "--owner", "Priya Shah")) == 2
    assert [s["mediator"] for s in kidsmed.json("schedule", "list", "--owner", "Jo Mediator")] == ["Jo Mediator"]


def test_cases_mine_lists_only_mine(kidsmed, staff):
    assert {c["ref"] for c in kidsmed.json("cases", "--mine")} == {staff["mine_waiting_la"], staff["mine_chased"]}


# --- the demo -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return made_demo(tmp_path_factory, 1500, 3)


def test_the_demo_gives_cases_to_a_handful_of_staff(demo):
    owners = dict(rows(demo, "SELECT owner, count(*) FROM cases GROUP BY owner"))
    assert set(owners) - {None} == {"Priya Shah", "Tom Fielding", "Grace Okafor", "Ben Hartley", "demo"}
    assert 0 < owners.get(None, 0) < 0.05 * sum(owners.values())
    assert rows(demo, "SELECT count(*) FROM cases WHERE owner IS NULL AND status = 'closed'") == [(0,)]


def test_the_demo_sets_realistic_chase_dates(demo):
    from kidsmed.domain.calendar import Calendar

    cal = Calendar()
    chases = rows(demo, "SELECT c.status, c.chase_on, c.chase_party, c.chase_auto, p.chase_what, c.last_contact_on"
                        " FROM cases c JOIN case_personal p ON p.case_id = c.id WHERE c.chase_on IS NOT NULL")
    assert len(chases) > 20
    assert {status for status, *_ in chases} <= {"awaiting-consent", "awaiting-agreement", "ready-to-book", "booked"}
    for _status, on, party, _auto, what, contact in chases:
        assert cal.is_bookable(date.fromisoformat(on)) and what and party
        assert on > contact and on >= "2026-10-01"  # near now, not years back
    assert {auto for _s, _o, _p, auto, _w, _c in chases} == {1, None}


def test_the_demo_has_a_day_with_chases_due(tmp_path, monkeypatch, kidsmed, demo):
    monkeypatch.setenv("KIDSMED_DB", str(demo))
    day = kidsmed.json("report", "day")
    assert 1 <= day["totals"]["chases"] <= 40 and day["totals"]["unowned"] >= 1
    mine = kidsmed.json("report", "day", "--mine", env={"KIDSMED_USER": "demo"})
    assert mine["owner"] == "demo" and sum(mine["totals"].values()) > 0


def test_chase_in_case_json_and_csv_of_a_demo_case(kidsmed, monkeypatch, demo):
    monkeypatch.setenv("KIDSMED_DB", str(demo))
    conn = sqlite3.connect(demo)
    [ref] = conn.execute("SELECT ref FROM cases WHERE chase_on IS NOT NULL LIMIT 1").fetchone()
    conn.close()
    case = kidsmed.json("show", ref)
    assert set(case["chase"]) == {"on", "what", "party", "default"} and case["owner"]
    header, row = kidsmed("show", ref, "--format", "csv").stdout.splitlines()
    assert header.endswith(",owner,chase_on,chase_what,chase_party")
    assert json.dumps(case["chase"]["on"]).strip('"') in row
