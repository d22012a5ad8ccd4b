"""Issue 14 item 2: the family's appeal deadline is a clock.

It starts when a certificate is issued (before that, `show` gives the decision + 2 months
window), is listed by `due` and `report day`, moves when a bank holiday is added or imported
and when the decision date is corrected, is never breached, and ends `passed` or `appealed`.
"""

import json

import pytest
from conftest import rows

REF = "KM-2026-0001"


def _issued(kidsmed, env_now, decision="2/11/2026", declined="2026-12-23", issued="2026-12-30"):
    """The family declines on `declined`; the certificate is issued on `issued`."""
    env_now(f"{declined}T10:00")
    ref = kidsmed.intake("--decision-date", decision)["ref"]
    assert kidsmed("agree", ref, "--party", "family", "--no").exit_code == 0
    env_now(f"{issued}T16:00")
    result = kidsmed("certificate", "issue", ref)
    assert result.exit_code == 0, result.output
    return ref


def _appeal_clock(kidsmed, ref=REF) -> dict:
    [clock] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == "appeal-deadline"]
    return clock


def test_issuing_a_certificate_starts_the_familys_deadline(kidsmed, env_now):
    _issued(kidsmed, env_now)
    clock = _appeal_clock(kidsmed)
    # Christmas: certificate Wed 30 Dec 2026 + 1 month = Sat 30 Jan 2027 → Mon 1 Feb 2027.
    assert (clock["started_on"], clock["due_on"], clock["state"]) == ("2026-12-30", "2027-02-01", "running")
    assert clock["description"] == ("day 0 of 33 days · due Mon 1 Feb 2027 "
                                    "(appeal-deadline, from 'certificate issued' on Wed 30 Dec 2026)")
    assert kidsmed.json("show", REF)["appeal_window"] is None  # the clock has taken over
    assert "appeal-deadline" in kidsmed("show", REF).stdout


def test_before_a_certificate_show_gives_the_decision_window(kidsmed, env_now):
    env_now("2027-06-17T10:00")
    ref = kidsmed.intake("--decision-date", "10/6/2027")["ref"]
    window = kidsmed.json("show", ref)["appeal_window"]
    # August: decision Thu 10 Jun 2027 + 2 months = Tue 10 Aug 2027 → Wed 1 Sep 2027.
    assert (window["started_on"], window["due_on"], window["state"]) == ("2027-06-10", "2027-09-01", "running")
    assert "from 'LA decision notice sent, no certificate yet' on Thu 10 Jun 2027" in window["description"]
    assert "Wed 1 Sep 2027" in kidsmed("show", ref).stdout
    assert kidsmed.json("due") == []  # shown on the case, never listed as a clock
    kidsmed.intake("--decision-date", "")  # a case with no decision date has no window
    assert kidsmed.json("show", "KM-2027-0002")["appeal_window"] is None


def test_due_and_the_day_list_the_deadline_until_it_passes(kidsmed, env_now):
    _issued(kidsmed, env_now)
    env_now("2027-01-20T10:00")
    [row] = kidsmed.json("due")
    assert (row["rule"], row["due_on"], row["state"]) == ("appeal-deadline", "2027-02-01", "running")
    env_now("2027-02-01T09:00")  # its day: on the day's list, and in due
    day = kidsmed.json("report", "day")
    assert [(c["ref"], c["rule"], c["due_on"]) for c in day["clocks"]] == [(REF, "appeal-deadline", "2027-02-01")]
    assert "appeal-deadline" in kidsmed("report", "day").stdout
    assert [r["rule"] for r in kidsmed.json("due")] == ["appeal-deadline"]
    env_now("2027-02-02T09:00")  # the family's deadline has passed: it is not the service's to chase
    assert kidsmed.json("due") == [] and kidsmed.json("due", "--overdue") == []
    assert kidsmed.json("report", "day")["clocks"] == []
    assert _appeal_clock(kidsmed)["state"] == "passed"  # never breached


def test_a_bank_holiday_added_moves_the_deadline_and_the_letter(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now)
    result = kidsmed("holidays", "add", "2027-02-01", "Extra bank holiday")
    assert result.exit_code == 0, result.output
    assert "Moved KM-2026-0001 appeal-deadline: due Mon 1 Feb 2027 → Tue 2 Feb 2027." in result.stdout
    assert _appeal_clock(kidsmed)["due_on"] == "2027-02-02"
    letter = kidsmed("certificate", "print", REF).stdout
    assert "Your appeal must reach the Tribunal by: Tue 2 Feb 2027" in letter
    assert rows(db_path, "SELECT appeal_deadline FROM certificates") == [("2027-02-02",)]
    [moved] = [e for e in kidsmed.json("show", REF)["timeline"] if e["action"] == "clock-due-moved"]
    assert moved["detail"] == {"rule": "appeal-deadline", "due_on": {"old": "2027-02-01", "new": "2027-02-02"},
                               "bank_holidays_added": ["2027-02-01"]}


def test_an_imported_bank_holiday_moves_it_too(kidsmed, env_now, tmp_path):
    _issued(kidsmed, env_now)
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps({"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Extra bank holiday", "date": "2027-02-01", "notes": "", "bunting": True}]}}))
    assert kidsmed.json("holidays", "import", str(path))["moved"] == [
        {"ref": REF, "rule": "appeal-deadline", "old_due_on": "2027-02-01", "new_due_on": "2027-02-02"}]


def test_correcting_the_decision_date_moves_it_says_so_and_offers_the_reissue(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now)
    env_now("2027-01-04T10:00")
    result = kidsmed("edit", REF, "--decision-date", "20/12/2026")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: the family's appeal deadline moved from Mon 1 Feb 2027 to Mon 22 Feb 2027 — the letter they "
        "have is wrong: reissue it with 'kidsmed certificate issue KM-2026-0001 --reissue --reason "
        "\"decision date corrected\"'\n")
    # Decision Sun 20 Dec 2026 + 2 months = Sat 20 Feb 2027 → Mon 22 Feb 2027, later than the certificate's.
    assert _appeal_clock(kidsmed)["due_on"] == "2027-02-22"
    assert rows(db_path, "SELECT appeal_deadline FROM certificates") == [("2027-02-22",)]
    reissued = kidsmed("certificate", "issue", REF, "--reissue", "--reason", "decision date corrected")
    assert reissued.exit_code == 0 and "Appeal deadline Mon 22 Feb 2027" in reissued.stdout


def test_correcting_a_decision_date_that_moves_nothing_says_nothing(kidsmed, env_now):
    _issued(kidsmed, env_now)
    result = kidsmed("edit", REF, "--decision-date", "3/11/2026")  # + 2 months is still before + 1 month
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize(("lodged", "warning"), [
    ("2027-01-29", ""),
    ("2027-02-03", "Warning: the appeal was lodged on Wed 3 Feb 2027, after the family's deadline of Mon 1 Feb "
                   "2027: recorded, but the Tribunal decides whether to accept a late appeal\n"),
])
def test_an_appeal_ends_the_deadline_appealed_even_late(kidsmed, env_now, lodged, warning):
    _issued(kidsmed, env_now)
    env_now("2027-02-05T10:00")
    result = kidsmed("appeal", REF, "--lodged-on", lodged)
    assert (result.exit_code, result.stderr) == (0, warning)
    clock = _appeal_clock(kidsmed)
    assert (clock["state"], clock["met_on"]) == ("appealed", lodged)
    assert kidsmed.json("due") == []


def test_the_deadline_runs_on_a_closed_case_and_a_leap_year(kidsmed, env_now):
    # Decision Sat 31 Dec 2027 + 2 months = Tue 29 Feb 2028 (leap year), later than the certificate's month.
    ref = _issued(kidsmed, env_now, decision="31/12/2027", declined="2028-01-19", issued="2028-01-21")
    assert kidsmed.json("show", ref)["closed"]["reason"] == "family-declined"
    assert _appeal_clock(kidsmed, ref)["due_on"] == "2028-02-29"


def test_the_deadline_is_not_marked_done(kidsmed, env_now):
    _issued(kidsmed, env_now)
    result = kidsmed("due", "done", REF, "appeal-deadline")
    assert (result.exit_code, result.stderr) == (1, (
        "Error: appeal-deadline is met when the family lodges its appeal with the Tribunal (`kidsmed appeal`), "
        "not marked done — it is the family's own deadline: record their appeal with "
        "'kidsmed appeal KM-2026-0001 --lodged-on DATE'\n"))
