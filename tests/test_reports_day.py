"""report day: the day's cases at a fixed date (Thu 26 Nov 2026), in JSON and on screen."""


import pytest
from report_fixtures import CaseBookRows

EMPTY_LINES = [
    "Sessions: none on Thu 26 Nov 2026.",
    "Statutory clocks: none due or overdue.",
    "Chases: none due.",
    "Referrals: none received on Thu 26 Nov 2026.",
    "Waiting more than 5 working days: none.",
    "Past sessions with no outcome: none.",
    "Open cases with no owner: none.",
    "Waiting cases nobody is chasing: none.",
]

# Each test runs on both engines (issue 18).
pytestmark = pytest.mark.usefixtures("engine")


def _log(kidsmed, received: str, *options: str) -> str:
    return kidsmed.intake("--received", received, "--decision-date", "", *options)["ref"]


@pytest.fixture
def today(kidsmed, db_path):
    """A case book with something in every section of Thu 26 Nov 2026. Returns refs by name."""
    ref = {
        "booked": _log(kidsmed, "2/11/2026 10:00", "--la", "Southvale"),
        "answered": _log(kidsmed, "2/11/2026 11:00"),
        "consented": _log(kidsmed, "2/11/2026 12:00", "--referrer-role", "school"),
        "six_days": _log(kidsmed, "18/11/2026 15:00", "--referrer-role", "school"),
        "five_days": _log(kidsmed, "19/11/2026 15:00", "--referrer-role", "school"),
        "yesterday": _log(kidsmed, "25/11/2026 10:00"),
        "this_morning": _log(kidsmed, "26/11/2026 09:15", "--referrer-role", "health", "--la", "Westmere"),
    }
    book = CaseBookRows(db_path)
    booked = ref["booked"]
    book.status(booked, "booked")
    book.session(booked, "2026-11-26 10:00", venue="Riverside Centre", mediator="Jo Mediator")
    book.session(booked, "2026-11-26 14:00", hours=2, remote="video", mediator="Sam Mediator")
    book.session(booked, "2026-11-26 09:00", "cancelled", cancelled_at="2026-11-20T10:00:00+00:00")
    book.session(booked, "2026-11-25 10:00", mediator="Jo Mediator")                 # no outcome yet
    book.session(booked, "2026-11-19 10:00", mediator="Sam Mediator")                # no outcome yet
    book.session(booked, "2026-11-20 10:00", "held", "adjourned")                    # has its outcome
    book.session(booked, "2026-11-27 10:00")                                          # tomorrow
    book.clock(booked, "certificate-after-decline", "2026-11-23", "2026-11-26")      # due today
    book.clock(booked, "mediation-within-30-days", "2026-10-21", "2026-11-20")       # 6 days over
    # The family's deadlines are stored apart from the service's running clocks (issue 14).
    book.clock(booked, "appeal-deadline", "2026-10-01", "2026-11-01", "family")      # the family's: left out
    book.clock(ref["answered"], "appeal-deadline", "2026-10-26", "2026-11-26", "family")  # due today
    book.clock(ref["answered"], "health-notice", "2026-11-02", "2026-11-05", "met", "2026-11-04")
    book.clock(ref["answered"], "agreement-actions", "2026-11-13", "2026-11-27")     # due tomorrow
    book.agreement(ref["answered"], "la", "yes", "2026-11-24")                       # moved 2 days ago
    book.consent(ref["consented"], "given", "2026-11-10")                            # waiting since then
    return ref


def test_each_section_at_a_fixed_date(kidsmed, today):
    report = kidsmed.json("report", "day")
    assert report["date"] == "2026-11-26" and report["mediator"] is None
    assert [(s["ref"], s["start"], s["end"], s["mediator"], s["venue"], s["remote"], s["local_authority"])
            for s in report["sessions"]] == [
        (today["booked"], "2026-11-26T10:00:00+00:00", "2026-11-26T13:00:00+00:00", "Jo Mediator",
         "Riverside Centre", None, "Southvale"),
        (today["booked"], "2026-11-26T14:00:00+00:00", "2026-11-26T16:00:00+00:00", "Sam Mediator",
         None, "video", "Southvale")]
    assert [(c["ref"], c["rule"], c["due_on"], c["days_over"]) for c in report["clocks"]] == [
        (today["booked"], "mediation-within-30-days", "2026-11-20", 6),
        # Issue 14: no session held in the 30 days owes a deemed certificate from Sat 21 Nov.
        (today["booked"], "certificate-deemed", "2026-11-25", 1),
        (today["booked"], "certificate-after-decline", "2026-11-26", 0),
        (today["answered"], "appeal-deadline", "2026-11-26", 0)]
    assert [(r["ref"], r["received_at"], r["referrer_role"], r["local_authority"], r["status"])
            for r in report["referrals"]] == [
        (today["this_morning"], "2026-11-26T09:15:00+00:00", "health", "Westmere", "awaiting-consent")]
    assert [(w["ref"], w["waiting_on"], w["since"], w["working_days"]) for w in report["waiting"]] == [
        (today["consented"], "agreement", "2026-11-10", 12),
        (today["six_days"], "consent", "2026-11-18", 6)]
    assert [(s["ref"], s["start"], s["mediator"]) for s in report["sessions_without_outcome"]] == [
        (today["booked"], "2026-11-19T10:00:00+00:00", "Sam Mediator"),
        (today["booked"], "2026-11-25T10:00:00+00:00", "Jo Mediator")]
    assert report["totals"] == {"sessions": 2, "clocks": 4, "chases": 5, "referrals": 1, "waiting": 2,
                                "sessions_without_outcome": 2, "unowned": 0, "forgotten": 0,
                                "sessions_on_days_off": 0}


def test_a_mediator_sees_their_own_sessions(kidsmed, today):
    report = kidsmed.json("report", "day", "--mediator", "jo mediator")
    assert report["mediator"] == "Jo Mediator"
    assert [s["start"] for s in report["sessions"]] == ["2026-11-26T10:00:00+00:00"]
    assert [s["start"] for s in report["sessions_without_outcome"]] == ["2026-11-25T10:00:00+00:00"]
    assert len(report["clocks"]) == 4 and len(report["waiting"]) == 2


def test_another_day_can_be_shown(kidsmed, today):
    report = kidsmed.json("report", "day", "tomorrow")
    assert report["date"] == "2026-11-27"
    assert [s["start"] for s in report["sessions"]] == ["2026-11-27T10:00:00+00:00"]
    assert [c["rule"] for c in report["clocks"]] == [
        "mediation-within-30-days", "certificate-deemed", "certificate-after-decline", "agreement-actions"]
    assert [c["days_over"] for c in report["clocks"]] == [7, 2, 1, 0]
    assert report["referrals"] == []
    assert [w["ref"] for w in report["waiting"]] == [today["consented"], today["six_days"], today["five_days"]]


def test_the_screen_shows_every_section(kidsmed, today):
    out = kidsmed("report", "day").stdout
    assert "Thu 26 Nov 2026 — the day's cases" in out
    assert ("2 sessions · 4 clocks due or overdue · 5 chases due · 1 referral · 2 waiting · 2 past sessions "
            "without an outcome · 0 with no owner · 0 nobody is chasing") \
        in " ".join(line.strip("│ ") for line in out.splitlines())
    for words in ("10:00–13:00", "14:00–16:00", "Riverside", "Video", "mediation-within-30-days",
                  "certificate-after-decline", "6 days over", "due today",
                  "09:15", today["this_morning"], "Tue 10 Nov 2026", "Wed 25 Nov 2026 10:00–13:00"):
        assert words in out, words
    # The sections of what fell through the gaps are tested in test_my_day.py.
    assert [line for line in EMPTY_LINES if line in out] == EMPTY_LINES[-2:]


def test_sessions_are_numbered_within_their_case(kidsmed, today):
    """Issue 16 item 6: 'KM-2026-0001 #2', the case's second session, never a number across the book."""
    report = kidsmed.json("report", "day")
    assert [s["number"] for s in report["sessions"]] == [1, 2]
    assert [s["number"] for s in report["sessions_without_outcome"]] == [5, 4]
    out = kidsmed("report", "day").stdout
    for when, number in (("10:00–13:00", 1), ("14:00–16:00", 2), ("Thu 19 Nov 2026 10:00–13:00", 5),
                         ("Wed 25 Nov 2026 10:00–13:00", 4)):
        [row] = [line for line in out.splitlines() if line.startswith(when)]
        assert f"  {today['booked']} #{number}  " in row, row


def test_empty_sections_say_so_in_one_line(kidsmed):
    lines = kidsmed("report", "day").stdout.splitlines()
    assert lines[-len(EMPTY_LINES):] == EMPTY_LINES
    assert kidsmed.json("report", "day")["sessions"] == []


def test_a_long_section_lists_the_first_rows_and_counts_the_rest(kidsmed, today):
    report = kidsmed.json("report", "day", "--limit", "1")
    assert len(report["waiting"]) == 1 and report["totals"]["waiting"] == 2
    assert "… and 1 more" in kidsmed("report", "day", "--limit", "1").stdout


@pytest.mark.parametrize("args, code, error", [
    (("--mediator", "Nobody"), 3,
     "Error: there is no mediator 'Nobody' — check the name with 'kidsmed mediators list'\n"),
    (("--limit", "0"), 2, "Error: --limit must be from 1 to 100,000 — e.g. --limit 100\n"),
    (("-f", "csv"), 2, "Error: 'csv' is not an output format here — use one of: table, json\n"),
    (("31/2/2026",), 2, None),
])
def test_bad_day_options(kidsmed, args, code, error):
    result = kidsmed("report", "day", *args)
    assert result.exit_code == code
    if error:
        assert result.stderr == error
    else:
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
