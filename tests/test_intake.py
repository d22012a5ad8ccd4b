"""kidsmed intake: logging a referral on the phone."""

import json

import pytest
from conftest import case_count, rows

# Each test runs on both engines (issue 18).
pytestmark = pytest.mark.usefixtures("engine")


def test_self_referral_needs_no_consent(kidsmed):
    case = kidsmed.intake()
    assert case["ref"] == "KM-2026-0001"
    assert case["status"] == "awaiting-agreement"
    assert case["consent"]["status"] == "not-needed"
    assert case["next_step"] == "ask the family whether they will take part in mediation"
    assert case["received_at"] == "2026-11-26T10:00:00+00:00"
    assert case["family"]["name"] == "Sam Example"
    assert case["child"] == {"name": "Alex Example", "date_of_birth": None}
    assert case["issues"] == ["refusal-to-assess"]
    assert case["decision_date"] == "2026-11-02"
    assert case["agreements"] == [] and case["clocks"] == [] and case["sessions"] == []
    assert case["certificates"] == [] and case["closed"] is None


def test_third_party_referral_waits_for_consent(kidsmed):
    case = kidsmed.intake("--referrer-role", "parent-partnership", "--referrer-org", "Northshire SENDIASS")
    assert case["referrer"] == {"role": "sendiass", "name": None, "organisation": "Northshire SENDIASS"}
    assert case["status"] == "awaiting-consent"
    assert case["consent"]["status"] == "awaiting"
    assert case["next_step"] == "record the parent's or young person's consent — referred by SENDIASS"


def test_table_output_says_reference_status_and_next_step(kidsmed):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "school", "--family", "Sam Example",
                     "--child", "Alex Example", "--la", "Northshire", "--new-la", "--issue", "placement")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Logged KM-2026-0001 (mediation) — status awaiting-consent.",
        "Next: kidsmed consent KM-2026-0001 --given",
        "      record the parent's or young person's consent — referred by school staff",
    ]


def test_references_are_sequential_within_the_year_and_restart_in_a_new_year(kidsmed, env_now):
    assert [kidsmed.intake()["ref"] for _ in range(3)] == ["KM-2026-0001", "KM-2026-0002", "KM-2026-0003"]
    env_now("2027-01-04T09:30:00")
    assert kidsmed.intake()["ref"] == "KM-2027-0001"
    assert kidsmed.intake("--received", "31/12/2026 16:00")["ref"] == "KM-2026-0004"


def test_missing_required_details_fail_without_a_terminal(kidsmed, db_path):
    result = kidsmed("intake", "--kind", "mediation", "--la", "Northshire")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the referral is missing referrer role, family, child, issues — "
        "give --referrer-role --family --child --issues\n"
    )
    assert case_count(db_path) == 0


def test_disagreement_resolution_needs_the_other_party(kidsmed):
    result = kidsmed("intake", "--kind", "disagreement-resolution", "--referrer-role", "parent",
                     "--family", "Sam Example", "--child", "Alex Example", "--la", "Northshire", "--new-la",
                     "--issue", "sen-provision", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == "Error: the referral is missing other party — give --other-party\n"
    case = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting")
    assert case["required_parties"] == ["family", "setting"]


def test_unknown_choice_names_the_allowed_ones(kidsmed):
    result = kidsmed("intake", "--referrer-role", "plumber", "--no-input")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'plumber' is not a known referrer role — use one of: parent, ")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--dob", "31/02/2015", "Error: '31/02/2015' is not a date — February 2015 has no day 31\n"),
    ("--dob", "27/11/2026", "Error: the date of birth is after the call — check --dob\n"),
    ("--decision-date", "tomorrow",
     "Error: the date the LA's decision notice was sent is after the call — check --decision-date\n"),
])
def test_impossible_dates_are_refused(kidsmed, db_path, option, value, message):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                     "--child", "C", "--la", "L", "--new-la", "--issue", "other", option, value)
    assert result.exit_code == 2
    assert result.stderr == message
    assert case_count(db_path) == 0


def test_warns_about_an_old_decision_and_an_adult_but_still_logs(kidsmed):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "young-person", "--family", "Jo Sample",
                     "--child", "Jo Sample", "--la", "Northshire", "--new-la", "--issue", "cease",
                     "--decision-date", "25/9/2026", "--dob", "26/11/2001")
    assert result.exit_code == 0
    assert "Warning: the LA's decision notice was sent more than 2 months before the call" in result.stderr
    assert "Warning: the child or young person is 25 or over" in result.stderr


def test_no_warning_on_the_last_day_of_the_two_months(kidsmed):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                     "--child", "C", "--la", "L", "--new-la", "--issue", "other", "--decision-date", "26/9/2026")
    assert result.exit_code == 0 and result.stderr == ""


def test_asks_for_missing_details_at_a_terminal(kidsmed, monkeypatch):
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)
    answers = "\n".join(["mediaton", "mediation", "school", "Sam Example", "Alex Example",
                         "Barnsley", "placement, helth", "placement, health", "31/2/2026",
                         "3/11/2026"]) + "\n"
    result = kidsmed("intake", "--json", input=answers)
    assert result.exit_code == 0, result.output
    assert "Kind of case (mediation, disagreement-resolution)" in result.stderr
    assert "'mediaton' is not a known kind of case" in result.stderr
    assert "'helth' is not a known issue" in result.stderr
    assert "'31/2/2026' is not a date — February 2026 has no day 31" in result.stderr
    case = json.loads(result.stdout[result.stdout.index("{\n"):])  # the runner echoes typed input
    assert (case["kind"], case["referrer"]["role"], case["issues"], case["decision_date"]) == (
        "mediation", "school", ["placement", "health"], "2026-11-03")
    assert case["required_parties"] == ["family", "la", "health"]


def test_intake_is_audited_without_personal_details(kidsmed, db_path):
    kidsmed.intake("--phone", "07700 900123", "--notes", "Mum is worried about transport", "--la", "barnsley")
    [(action, user, detail)] = rows(db_path, "SELECT action, user, detail FROM events")
    assert (action, user) == ("intake", "tester")
    assert json.loads(detail) == {"status": "awaiting-agreement", "kind": "mediation",
                                  "referrer_role": "parent", "local_authority": "Barnsley",
                                  "issues": ["refusal-to-assess"]}
    assert rows(db_path, "SELECT text FROM notes") == [("Mum is worried about transport",)]
