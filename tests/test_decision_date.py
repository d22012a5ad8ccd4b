"""Issue 14 items 4 and 6: what the decision date means, and every typed date read back.

'Now' is Thu 26 Nov 2026 10:00. The decision date is the date written notice of the LA's
decision was sent (SEND Regulations 2014 reg 33; HESC Rules r.20 count from it).
"""

import pytest
from bookable import add_people, make_bookable
from conftest import case_count, rows

INTAKE = ("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "Sam Example",
          "--child", "Alex Example", "--la", "Northshire", "--new-la", "--issue", "refusal-to-assess")
TOO_OLD = ("Error: the LA's decision notice was sent on {}, more than 2 years before the call — "
           "check the year in --decision-date, or add --force if it is right\n")


# --- item 4: the label ---------------------------------------------------------

@pytest.mark.parametrize("command", [("intake",), ("edit", "KM-2026-0001")])
def test_help_says_the_decision_date_is_when_written_notice_was_sent(kidsmed, command):
    help_text = " ".join(kidsmed(*command, "--help").stdout.split())
    assert "The date written notice of the LA's decision was sent" in help_text


def test_show_and_the_letter_label_the_date_the_notice_was_sent(kidsmed, env_now):
    kidsmed.intake()
    shown = kidsmed("show", "KM-2026-0001").stdout
    assert "LA decision sent  Mon 2 Nov 2026" in shown
    assert kidsmed("agree", "KM-2026-0001", "--party", "family", "--no").exit_code == 0
    assert kidsmed("certificate", "issue", "KM-2026-0001").exit_code == 0
    letter = kidsmed("certificate", "print", "KM-2026-0001").stdout
    assert "Date the local authority sent written notice of its decision: Mon 2 Nov 2026" in letter


def test_the_interactive_intake_asks_for_the_date_the_notice_was_sent(kidsmed, monkeypatch):
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)
    # Enter skips the optional questions before and after it; the review shows the day understood.
    result = kidsmed(*INTAKE, input="\n" * 7 + "3/11/2026\n" + "\n" * 2 + "s\n")
    assert result.exit_code == 0, result.output
    assert "Date written notice of the LA's decision was sent (optional): " in result.stderr
    assert "Date written notice of the LA's decision was sent  Tue 3 Nov 2026" in result.stderr


# --- item 6: dates read back, and a decision notice from years ago --------------

def test_edit_reads_back_a_two_digit_year(kidsmed):
    kidsmed.intake()
    result = kidsmed("edit", "KM-2026-0001", "--dob", "3/4/15")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Updated KM-2026-0001.\n"
                             "Dates understood: 3/4/15 is Fri 3 Apr 2015.\n"
                             "Next: kidsmed agree KM-2026-0001 --party family --yes\n"
                             "      ask the family whether they will take part in mediation\n")


def test_intake_reads_back_each_date_it_was_given(kidsmed):
    result = kidsmed(*INTAKE, "--dob", "29/2/16", "--decision-date", "24 Dec 2025")  # a leap day
    assert result.exit_code == 0, result.output
    assert "Dates understood: 29/2/16 is Mon 29 Feb 2016; 24 Dec 2025 is Wed 24 Dec 2025.\n" in result.stdout


def test_json_output_stays_json(kidsmed):
    view = kidsmed.json("intake", *INTAKE[1:], "--dob", "3/4/15")
    assert view["child"]["date_of_birth"] == "2015-04-03"


@pytest.mark.parametrize("command", [
    ("consent", "KM-2026-0001", "--given", "--by", "Sam Example", "--method", "phone", "--on", "yesterday"),
    ("agree", "KM-2026-0002", "--party", "family", "--yes", "--on", "yesterday"),
    ("due", "done", "KM-2026-0002", "health-notice", "--on", "yesterday"),
    ("appeal", "KM-2026-0002", "--lodged-on", "yesterday"),
])
def test_every_write_command_says_the_full_date_it_understood(kidsmed, command):
    kidsmed.intake("--referrer-role", "school")
    kidsmed.intake("--issue", "health", "--received", "24/11/2026 09:00")
    if command[0] == "due":
        kidsmed("agree", "KM-2026-0002", "--party", "family", "--yes", "--on", "24/11/2026")
    result = kidsmed(*command)
    assert result.exit_code == 0, result.output
    assert result.stdout.split("Next:")[0].count("Wed 25 Nov 2026") == 1, result.stdout  # said once


def test_the_outcome_reads_back_its_on_date(kidsmed, db_path, env_now):
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path)
    kidsmed("schedule", "book", ref, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator", "--venue", "Oak Room")
    env_now("2026-12-07T10:00")
    result = kidsmed("schedule", "outcome", ref, "--result", "adjourned", "--on", "4/12/26")
    assert result.exit_code == 0, result.output
    assert "Dates understood: 4/12/26 is Fri 4 Dec 2026.\n" in result.stdout


def test_a_decision_notice_two_digit_year_is_refused_and_nothing_logged(kidsmed, db_path):
    kidsmed("cases")  # create the database
    result = kidsmed(*INTAKE, "--decision-date", "3/4/15")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", TOO_OLD.format("Fri 3 Apr 2015"))
    assert case_count(db_path) == 0
    confirmed = kidsmed(*INTAKE, "--decision-date", "3/4/15", "--force")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Dates understood: 3/4/15 is Fri 3 Apr 2015." in confirmed.stdout


@pytest.mark.parametrize(("now", "oldest", "refused"), [
    ("2026-11-26T10:00", "26/11/2024", "25/11/2024"),  # exactly 2 years before the call is allowed
    ("2028-02-29T10:00", "28/2/2026", "27/2/2026"),  # a leap-day call: 2 years back clamps to 28 Feb
    ("2026-12-24T10:00", "24/12/2024", "23/12/2024"),  # Christmas Eve
])
def test_the_two_year_limit_counts_from_the_call(kidsmed, env_now, now, oldest, refused):
    env_now(now)
    assert kidsmed(*INTAKE, "--decision-date", oldest).exit_code == 0
    result = kidsmed(*INTAKE, "--decision-date", refused)
    assert result.exit_code == 2 and result.stderr.startswith("Error: the LA's decision notice was sent on ")


def test_edit_refuses_an_old_decision_date_unless_forced(kidsmed, db_path):
    kidsmed.intake()
    result = kidsmed("edit", "KM-2026-0001", "--decision-date", "1/8/2024")  # August, over 2 years back
    assert (result.exit_code, result.stderr) == (2, TOO_OLD.format("Thu 1 Aug 2024"))
    assert rows(db_path, "SELECT decision_date FROM cases") == [("2026-11-02",)]
    assert kidsmed("edit", "KM-2026-0001", "--decision-date", "1/8/2024", "--force").exit_code == 0
    assert rows(db_path, "SELECT decision_date FROM cases") == [("2024-08-01",)]
    # A case that already holds an old date can still have other details corrected.
    assert kidsmed("edit", "KM-2026-0001", "--phone", "07700 900123").exit_code == 0


def test_the_case_list_reads_back_its_received_dates(kidsmed):
    kidsmed.intake()
    listed = kidsmed("cases", "--from", "1/11/26", "--to", "30/11/26")
    assert listed.stdout.endswith("Dates understood: 1/11/26 is Sun 1 Nov 2026; 30/11/26 is Mon 30 Nov 2026.\n")
    assert kidsmed.json("cases", "--from", "1/11/26")[0]["ref"] == "KM-2026-0001"
