"""Issue 14 item 3: a deemed certificate when the LA cannot arrange mediation within 30 days.

Either the LA says so (`kidsmed agree REF --party la --cannot-arrange`: its own event; the case
stays open), or the 30 days simply run out with no session held: `certificate-deemed` then runs
from the day after their due date, listed by `due` and `report day`, and `certificate issue` works.
"""

import pytest
from conftest import rows

REF = "KM-2026-0001"


def _family_wants_mediation(kidsmed, env_now, on):
    env_now(f"{on}T10:00")
    kidsmed.intake()
    for party in ("family", "la"):
        assert kidsmed("agree", REF, "--party", party, "--yes").exit_code == 0


def _clock(kidsmed, rule):
    return [c for c in kidsmed.json("show", REF)["clocks"] if c["rule"] == rule]


@pytest.mark.parametrize(("agreed", "thirty_due", "deemed_from", "deemed_due"), [
    # Issue 14's case: yes Mon 2 Nov 2026, due Wed 2 Dec; deemed from Thu 3 Dec, 3 working days → Tue 8 Dec.
    ("2026-11-02", "2026-12-02", "2026-12-03", "2026-12-08"),
    # Christmas: yes Tue 24 Nov, due Thu 24 Dec; from Fri 25 Dec (Christmas Day), working days skip
    # Christmas, the weekend and the substitute Boxing Day: Tue 29, Wed 30, Thu 31 Dec.
    ("2026-11-24", "2026-12-24", "2026-12-25", "2026-12-31"),
    # Easter: yes Thu 25 Feb 2027, due Sat 27 Mar; from Sun 28 Mar, Easter Monday 29 Mar does not count.
    ("2027-02-25", "2027-03-27", "2027-03-28", "2027-04-01"),
    # Leap year: yes Wed 26 Jan 2028 is due Fri 25 Feb; from Sat 26 Feb: Mon 28, Tue 29 Feb, Wed 1 Mar.
    ("2028-01-26", "2028-02-25", "2028-02-26", "2028-03-01"),
])
def test_the_30_days_running_out_owes_a_deemed_certificate(kidsmed, env_now, agreed, thirty_due,
                                                           deemed_from, deemed_due):
    env_now(f"{agreed}T10:00")
    ref = kidsmed.intake()["ref"]
    for party in ("family", "la"):
        assert kidsmed("agree", ref, "--party", party, "--yes").exit_code == 0
    env_now(f"{thirty_due}T10:00")  # its due day: nothing owed yet
    assert [c["rule"] for c in kidsmed.json("show", ref)["clocks"]] == ["mediation-within-30-days"]
    env_now(f"{deemed_due}T09:00")
    [owed] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == "certificate-deemed"]
    assert (owed["started_on"], owed["due_on"], owed["state"]) == (deemed_from, deemed_due, "running")
    assert owed["start_event"] == "no session held within 30 days"
    listed = [(r["ref"], r["rule"], r["due_on"]) for r in kidsmed.json("due")]
    assert (ref, "certificate-deemed", deemed_due) in listed
    day = kidsmed.json("report", "day")
    assert (ref, "certificate-deemed", deemed_due) in [(c["ref"], c["rule"], c["due_on"]) for c in day["clocks"]]
    assert day["totals"]["clocks"] == 2  # the breached 30 days, and the deemed certificate due today
    issued = kidsmed("certificate", "issue", ref)
    assert issued.exit_code == 0, issued.output
    assert issued.stdout.startswith(f"Issued {ref}-C1 (deemed) on ")
    [stored] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == "certificate-deemed"]
    assert (stored["started_on"], stored["due_on"], stored["state"]) == (deemed_from, deemed_due, "met")


def test_before_the_day_after_nothing_is_owed_and_issue_is_refused(kidsmed, env_now):
    _family_wants_mediation(kidsmed, env_now, "2026-11-02")
    env_now("2026-12-02T16:00")
    result = kidsmed("certificate", "issue", REF)
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {REF} is owed no certificate — ")


def test_a_session_held_in_time_owes_nothing(kidsmed, env_now, db_path):
    _family_wants_mediation(kidsmed, env_now, "2026-11-02")
    kidsmed("mediators", "add", "Jo Mediator")
    assert kidsmed("schedule", "book", REF, "--at", "30/11/2026 10:00", "--mediator", "Jo Mediator",
                   "--remote", "video").exit_code == 0
    env_now("2026-11-30T16:00")
    assert kidsmed("schedule", "outcome", REF, "--result", "adjourned").exit_code == 0
    env_now("2026-12-10T10:00")
    assert _clock(kidsmed, "certificate-deemed") == []
    assert kidsmed.json("due") == []


def test_the_owed_clock_is_stored_only_when_the_certificate_is_issued(kidsmed, env_now, db_path):
    _family_wants_mediation(kidsmed, env_now, "2026-11-02")
    env_now("2026-12-04T10:00")
    kidsmed("show", REF)
    kidsmed("due")
    kidsmed("report", "day")
    assert rows(db_path, "SELECT rule FROM clocks") == [("mediation-within-30-days",)]  # reading writes nothing


def test_the_la_cannot_arrange_mediation_within_30_days(kidsmed, env_now, db_path):
    _family_wants_mediation(kidsmed, env_now, "2026-11-02")
    env_now("2026-11-05T10:00")
    result = kidsmed("agree", REF, "--party", "la", "--cannot-arrange", "--contact", "Pat Officer",
                     "--on", "4/11/2026")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Recorded: the LA cannot arrange mediation within 30 days (KM-2026-0001, Wed 4 Nov 2026).\n"
        "Started certificate-deemed: due Mon 9 Nov 2026.\n"
        "KM-2026-0001 stays ready-to-book: the family may still mediate.\n"
        "Next: kidsmed schedule book KM-2026-0001 --at DATETIME --mediator NAME\n"
        "      book a session — every party has agreed (family agreed on Mon 2 Nov 2026, "
        "LA agreed on Mon 2 Nov 2026)\n")
    view = kidsmed.json("show", REF)
    assert view["status"] == "ready-to-book" and view["closed"] is None
    [event] = [e for e in view["timeline"] if e["action"] == "la-cannot-arrange"]
    assert event["detail"] == {"on": "2026-11-04"} and event["note"] == "Contact: Pat Officer"
    [deemed] = _clock(kidsmed, "certificate-deemed")
    assert (deemed["start_event"], deemed["started_on"], deemed["due_on"]) == (
        "LA cannot arrange mediation within 30 days", "2026-11-04", "2026-11-09")
    assert [c["rule"] for c in view["clocks"]].count("mediation-within-30-days") == 1  # still running
    assert kidsmed("certificate", "issue", REF).exit_code == 0
    again = kidsmed("agree", REF, "--party", "la", "--cannot-arrange")
    assert (again.exit_code, again.stderr) == (1, (
        "Error: KM-2026-0001 has had its deemed certificate (owed from Wed 4 Nov 2026) — nothing more to "
        "record; to issue it again use --reissue --reason TEXT\n"))
    env_now("2026-12-10T10:00")  # the 30 days ran out too: the certificate is not owed twice
    assert [c["rule"] for c in kidsmed.json("show", REF)["clocks"]].count("certificate-deemed") == 1


@pytest.mark.parametrize(("args", "code", "error"), [
    (("--party", "family", "--cannot-arrange"), 2, "Error: only the LA arranges the mediation — "
                                                   "use --cannot-arrange with --party la\n"),
    (("--party", "la", "--cannot-arrange", "--yes"), 2, "Error: give exactly one answer — "
                                                         "use --yes or --no or --cannot-arrange\n"),
])
def test_cannot_arrange_refusals(kidsmed, env_now, db_path, args, code, error):
    _family_wants_mediation(kidsmed, env_now, "2026-11-02")
    before = rows(db_path, "SELECT count(*) FROM events")
    result = kidsmed("agree", REF, *args)
    assert (result.exit_code, result.stderr) == (code, error)
    assert rows(db_path, "SELECT count(*) FROM events") == before


def test_cannot_arrange_needs_the_family_to_want_mediation(kidsmed, env_now):
    env_now("2026-11-02T10:00")
    kidsmed.intake()
    result = kidsmed("agree", REF, "--party", "la", "--cannot-arrange")
    assert result.exit_code == 1
    assert result.stderr == ("Error: KM-2026-0001 is awaiting-agreement: the family has not said it wants "
                             "mediation, so no 30 days are running — record the family's yes first with "
                             "'kidsmed agree KM-2026-0001 --party family --yes'\n")
