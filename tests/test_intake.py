"""kidsmed intake: logging a referral on the phone."""

import json

import pytest
from conftest import case_count, rows


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
    assert case["referrer"] == {"role": "sendiass", "name": None, "organisation": "Northshire SENDIASS", "phone": None}
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
    result = kidsmed("intake", "--kind", "mediation", "--la", "Barnsley")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the referral cannot be logged: missing --referrer-role, --family, --child, --issue — "
        "give or correct each of them (see 'kidsmed intake --help')\n"
    )
    assert case_count(db_path) == 0


def test_disagreement_resolution_needs_the_other_party(kidsmed):
    result = kidsmed("intake", "--kind", "disagreement-resolution", "--referrer-role", "parent",
                     "--family", "Sam Example", "--child", "Alex Example", "--la", "Northshire", "--new-la",
                     "--issue", "sen-provision", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == ("Error: the referral cannot be logged: missing --other-party — give or correct each "
                             "of them (see 'kidsmed intake --help')\n")
    case = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting")
    assert case["required_parties"] == ["family", "setting"]


def test_unknown_choice_names_the_allowed_ones(kidsmed):
    result = kidsmed("intake", "--referrer-role", "plumber", "--no-input")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the referral cannot be logged: missing --kind, --family, --child, "
                                    "--la, --issue; --referrer-role: 'plumber' is not a known referrer role "
                                    "(use one of: parent, ")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--dob", "31/02/2015", "that is not a date — check --dob"),
    ("--dob", "27/11/2026", "the date of birth is after the call — check --dob"),
    ("--dob", "26/11/2001", "the child or young person is 25 or over on the day of the call, and the "
                            "service covers birth to 25 — check --dob"),
    ("--decision-date", "tomorrow", "the date the LA's decision notice was sent is after the call — "
                                    "check --decision-date"),
    ("--decision-date", "31/2/2026", "'31/2/2026' is not a date — February 2026 has no day 31"),
])
def test_impossible_dates_are_refused(kidsmed, db_path, option, value, message):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                     "--child", "C", "--la", "L", "--new-la", "--issue", "other", option, value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"  # one wrong detail alone: its own message
    assert case_count(db_path) == 0


def test_every_missing_or_wrong_detail_is_named_at_once_with_its_option(kidsmed, db_path):
    result = kidsmed("intake", "--no-input", "--kind", "medx", "--dob", "1/1/2030", "--decision-date", "31/2/2026",
                     "--la", "Barnsly", "--email", "sam.example.org", "--preferred-contact", "fax")
    assert (result.exit_code, result.stderr) == (2, (
        "Error: the referral cannot be logged: missing --referrer-role, --family, --child, --issue; "
        "--kind: 'medx' is not a known kind of case (use one of: mediation, disagreement-resolution); "
        "--email: that email address has no @ in it; "
        "--preferred-contact: 'fax' is not a known way to contact the family (use one of: phone, email, letter); "
        "--dob: the date of birth is after the call; "
        "--la: 'Barnsly' is not a registered local authority (did you mean Barnsley? (see 'kidsmed las list', "
        "or give --new-la to add it to the register)); "
        "--decision-date: '31/2/2026' is not a date (February 2026 has no day 31) — give or correct each of them "
        "(see 'kidsmed intake --help')\n"))
    assert case_count(db_path) == 0


def test_just_under_25_is_logged_and_an_old_decision_warned_about(kidsmed):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "young-person", "--family", "Jo Sample",
                     "--child", "Jo Sample", "--la", "Northshire", "--new-la", "--issue", "cease",
                     "--decision-date", "25/9/2026", "--dob", "27/11/2001")
    assert result.exit_code == 0
    assert "Warning: the LA's decision notice was sent more than 2 months before the call" in result.stderr


def test_no_warning_on_the_last_day_of_the_two_months(kidsmed):
    result = kidsmed("intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                     "--child", "C", "--la", "L", "--new-la", "--issue", "other", "--decision-date", "26/9/2026")
    assert result.exit_code == 0 and result.stderr == ""


def test_intake_is_audited_without_personal_details(kidsmed, db_path):
    kidsmed.intake("--phone", "07700 900123", "--notes", "Mum is worried about transport", "--la", "barnsley")
    [(action, user, detail)] = rows(db_path, "SELECT action, user, detail FROM events")
    assert (action, user) == ("intake", "tester")
    assert json.loads(detail) == {"status": "awaiting-agreement", "kind": "mediation",
                                  "referrer_role": "parent", "local_authority": "Barnsley",
                                  "issues": ["refusal-to-assess"]}
    assert rows(db_path, "SELECT text FROM notes") == [("Mum is worried about transport",)]
