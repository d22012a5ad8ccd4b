"""consent, agree, close: every transition, every refusal, and the clocks the answers start."""

import json

import pytest
from conftest import rows, snapshot

# The default 'now' is Thu 26 Nov 2026 10:00; intake defaults to a parent's mediation referral.


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def third_party(kidsmed, *extra) -> str:
    """A school's referral, waiting for the parent's consent."""
    return kidsmed.intake("--referrer-role", "school", *extra)["ref"]


def consented(kidsmed, *extra) -> str:
    ref = third_party(kidsmed, *extra)
    ok(kidsmed("consent", ref, "--given", "--by", "Sam Example", "--method", "phone"))
    return ref


def assert_refused(kidsmed, db_path, args, code, line):
    """The command fails with exactly `line` on stderr and leaves every row as it was."""
    before = snapshot(db_path)
    result = kidsmed(*args)
    assert (result.exit_code, result.stderr) == (code, f"Error: {line}\n")
    assert result.stdout == ""
    assert snapshot(db_path) == before


def clocks(case) -> list[tuple]:
    return [(c["rule"], c["started_on"], c["due_on"], c["state"]) for c in case["clocks"]]


def actions(case) -> list[str]:
    return [e["action"] for e in case["timeline"]]


# --- consent ---------------------------------------------------------------------------


def test_consent_given_opens_the_agreement_gate(kidsmed, db_path):
    ref = third_party(kidsmed)
    result = ok(kidsmed("consent", ref, "--given", "--by", "Sam Example", "--relationship", "mother",
                        "--method", "in person", "--on", "25/11/2026", "--note", "Signed form"))
    assert result.stdout.splitlines() == [
        "Recorded consent given on Wed 25 Nov 2026 for KM-2026-0001.",
        "KM-2026-0001 is now awaiting-agreement.",
        "Next: kidsmed agree KM-2026-0001 --party family --yes",
        "      ask the family whether they will take part in mediation",
    ]
    case = kidsmed.json("show", ref)
    assert case["status"] == "awaiting-agreement"
    assert case["consent"] == {"status": "given", "by": "Sam Example", "relationship": "mother",
                               "method": "in-person", "on": "2026-11-25", "recorded_by": "tester",
                               "note": "Signed form"}
    assert actions(case) == ["intake", "consent", "status"]
    consent_event, status_event = case["timeline"][1:]
    assert consent_event["detail"] == {"answer": "given", "method": "in-person", "on": "2026-11-25"}
    assert status_event["detail"] == {"status": {"old": "awaiting-consent", "new": "awaiting-agreement"}}
    assert rows(db_path, "SELECT recorded_by, recorded_at FROM consents") == [
        ("tester", "2026-11-26T10:00:00+00:00")]


def test_consent_json_prints_the_case(kidsmed):
    ref = third_party(kidsmed)
    case = kidsmed.json("consent", ref, "--given", "--by", "Sam Example", "--method", "email")
    assert (case["ref"], case["status"], case["consent"]["status"]) == (ref, "awaiting-agreement", "given")


@pytest.mark.parametrize(("answer", "reason"), [("--refused", "consent-refused"),
                                                 ("--withdrawn", "consent-withdrawn")])
def test_refused_or_withdrawn_consent_closes_and_erases(kidsmed, db_path, answer, reason):
    ref = consented(kidsmed) if answer == "--withdrawn" else third_party(kidsmed)
    result = ok(kidsmed("consent", ref, answer, "--by", "Sam Example", "--method", "phone"))
    word = answer[2:]
    assert result.stdout.splitlines() == [
        f"Recorded consent {word} on Thu 26 Nov 2026 for KM-2026-0001.",
        f"Closed KM-2026-0001 ({reason}) on Thu 26 Nov 2026.",
        "Erased the family's and child's personal details.",
        f"Next: none — the case is closed ({reason})",
    ]
    case = kidsmed.json("show", ref)
    assert (case["status"], case["closed"], case["erased"]) == (
        "closed", {"on": "2026-11-26", "reason": reason}, True)
    assert case["consent"]["status"] == word and case["consent"]["by"] is None
    assert case["family"] == {"name": None, "relationship": None, "phone": None, "email": None,
                              "address": None, "preferred_contact": None}
    assert case["child"] == {"name": None, "date_of_birth": None}
    assert actions(case)[-2:] == ["closed", "erased"]
    assert rows(db_path, "SELECT count(*) FROM case_personal") == [(0,)]


def test_a_consent_withdrawn_after_the_family_agreed_stops_the_clocks(kidsmed):
    ref = consented(kidsmed)
    ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    result = ok(kidsmed("consent", ref, "--withdrawn", "--by", "Sam Example"))
    assert "Stopped 1 running clock." in result.stdout.splitlines()
    assert clocks(kidsmed.json("show", ref)) == [
        ("mediation-within-30-days", "2026-11-26", "2026-12-26", "stopped")]


def test_consent_refusals(kidsmed, db_path):
    self_referral = kidsmed.intake()["ref"]
    assert_refused(kidsmed, db_path, ("consent", self_referral, "--given", "--by", "X", "--method", "phone"), 1,
                   "KM-2026-0001 is awaiting-agreement and needs no consent: it was referred by a parent or "
                   "carer — next: ask the family whether they will take part in mediation, with "
                   "'kidsmed agree KM-2026-0001 --party family --yes'")
    awaiting = third_party(kidsmed)
    assert_refused(kidsmed, db_path, ("consent", awaiting, "--withdrawn"), 1,
                   "KM-2026-0002 is awaiting-consent: consent has not been given, so it cannot be withdrawn"
                   " — if the family says no, use --refused")
    ok(kidsmed("consent", awaiting, "--given", "--by", "Sam Example", "--method", "letter", "--on", "yesterday"))
    for answer in ("--given", "--refused"):
        assert_refused(kidsmed, db_path, ("consent", awaiting, answer, "--by", "X", "--method", "phone"), 1,
                       "KM-2026-0002 is awaiting-agreement: consent was already given on Wed 25 Nov 2026"
                       " — if the family has changed its mind, use --withdrawn")
    closed = third_party(kidsmed)
    ok(kidsmed("consent", closed, "--refused"))
    assert_refused(kidsmed, db_path, ("consent", closed, "--given", "--by", "X", "--method", "phone"), 1,
                   "KM-2026-0003 is closed (consent-refused) and takes no more answers — a closed case cannot"
                   " be reopened: log a new referral if the family comes back")


@pytest.mark.parametrize(("args", "line"), [
    (("--given", "--by", "Sam Example"),
     "consent given needs how it was given — give --method phone|email|letter|in-person"),
    ((), "give exactly one answer — use --given or --refused or --withdrawn"),
    (("--given", "--refused"), "give exactly one answer — use --given or --refused or --withdrawn"),
    (("--given", "--by", "X", "--method", "fax"),
     "'fax' is not a known way of giving consent — use one of: phone, email, letter, in-person"),
    (("--given", "--by", "X", "--method", "phone", "--on", "tomorrow"),
     "Fri 27 Nov 2026 is in the future — give the day the answer was given (--on; default today)"),
    (("--refused", "--on", "31/11/2026"), None),
])
def test_consent_bad_input(kidsmed, db_path, args, line):
    ref = third_party(kidsmed)
    before = snapshot(db_path)
    result = kidsmed("consent", ref, *args)
    assert result.exit_code == 2
    if line:
        assert result.stderr == f"Error: {line}\n"
    assert snapshot(db_path) == before


def test_an_unknown_case_is_not_found(kidsmed, db_path):
    third_party(kidsmed)
    for args in (("consent", "KM-2026-0042", "--refused"), ("agree", "KM-2026-0042", "--party", "la", "--yes"),
                 ("close", "KM-2026-0042", "--reason", "withdrawn")):
        assert_refused(kidsmed, db_path, args, 3,
                       "there is no case KM-2026-0042 — check the reference with 'kidsmed cases --search'")


# --- agree -----------------------------------------------------------------------------


def test_every_party_saying_yes_makes_a_case_ready_to_book(kidsmed, env_now):
    env_now("2026-12-01T10:00")
    ref = consented(kidsmed)
    result = ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    assert result.stdout.splitlines() == [
        "Recorded: the family said yes on Tue 1 Dec 2026 (KM-2026-0001).",
        "Started mediation-within-30-days: due Thu 31 Dec 2026.",
        "Next: kidsmed agree KM-2026-0001 --party la --yes",
        "      ask the local authority whether it will take part — family agreed on Tue 1 Dec 2026",
    ]
    env_now("2026-12-02T10:00")
    result = ok(kidsmed("agree", ref, "--party", "LA", "--yes", "--contact", "Pat Officer", "--note", "by email"))
    assert result.stdout.splitlines() == [
        "Recorded: the local authority said yes on Wed 2 Dec 2026 (KM-2026-0001).",
        "KM-2026-0001 is now ready-to-book.",
        "Next: kidsmed schedule book KM-2026-0001 --at DATETIME --mediator NAME",
        "      book a session — every party has agreed (family agreed on Tue 1 Dec 2026, "
        "LA agreed on Wed 2 Dec 2026)",
    ]
    case = kidsmed.json("show", ref)
    assert case["status"] == "ready-to-book"
    assert case["agreements"] == [
        {"party": "family", "answer": "yes", "on": "2026-12-01", "contact": None, "note": None},
        {"party": "la", "answer": "yes", "on": "2026-12-02", "contact": "Pat Officer", "note": "by email"},
    ]
    assert clocks(case) == [("mediation-within-30-days", "2026-12-01", "2026-12-31", "running")]
    assert case["timeline"][-2]["detail"] == {"party": "la", "answer": "yes", "old_answer": None,
                                              "on": "2026-12-02"}


def test_a_health_issue_needs_the_icb_and_starts_the_health_notice(kidsmed, env_now):
    env_now("2026-12-24T10:00")  # Thu 24 Dec 2026: Christmas and the substitute Boxing Day follow
    ref = kidsmed.intake("--issue", "health")["ref"]
    assert kidsmed.json("show", ref)["required_parties"] == ["family", "la", "health"]
    ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    ok(kidsmed("agree", ref, "--party", "la", "--yes"))
    case = kidsmed.json("show", ref)
    assert case["status"] == "awaiting-agreement"
    assert case["next_step"] == ("ask the integrated care board (health) whether it will take part — "
                                 "family agreed on Thu 24 Dec 2026, LA agreed on Thu 24 Dec 2026")
    assert clocks(case) == [("mediation-within-30-days", "2026-12-24", "2027-01-23", "running"),
                            ("health-notice", "2026-12-24", "2026-12-31", "running")]
    assert kidsmed.json("agree", ref, "--party", "health", "--yes")["status"] == "ready-to-book"


def test_the_icb_saying_no_keeps_a_mediation_case_open_until_it_says_yes(kidsmed):
    ref = kidsmed.intake("--issue", "health")["ref"]
    for party in ("family", "la", "health"):
        ok(kidsmed("agree", ref, "--party", party, "--yes"))
    result = ok(kidsmed("agree", ref, "--party", "health", "--no"))
    assert result.stdout.splitlines()[1:] == [
        "KM-2026-0001 is now awaiting-agreement.",
        "Next: kidsmed agree KM-2026-0001 --party health --yes",
        "      ask the integrated care board (health) again whether it will take part — family agreed on "
        "Thu 26 Nov 2026, LA agreed on Thu 26 Nov 2026, ICB said no on Thu 26 Nov 2026",
    ]
    case = kidsmed.json("show", ref)
    assert case["timeline"][-2]["detail"] == {"party": "health", "answer": "no", "old_answer": "yes",
                                              "on": "2026-11-26"}
    assert [c[3] for c in clocks(case)] == ["running", "running"]
    assert kidsmed.json("agree", ref, "--party", "health", "--yes")["status"] == "ready-to-book"


def test_family_declines_on_wed_23_dec_2026_certificate_due_wed_30_dec(kidsmed, env_now):
    env_now("2026-12-23T10:00")
    ref = kidsmed.intake()["ref"]
    result = ok(kidsmed("agree", ref, "--party", "family", "--no"))
    assert result.stdout.splitlines() == [
        "Recorded: the family said no on Wed 23 Dec 2026 (KM-2026-0001).",
        "Closed KM-2026-0001 (family-declined) on Wed 23 Dec 2026.",
        "Started certificate-after-decline: due Wed 30 Dec 2026.",
        "Next: kidsmed certificate issue KM-2026-0001",
        "      issue the mediation certificate by Wed 30 Dec 2026 (family declined on Wed 23 Dec 2026)",
    ]
    case = kidsmed.json("show", ref)
    assert case["closed"] == {"on": "2026-12-23", "reason": "family-declined"}
    assert clocks(case) == [("certificate-after-decline", "2026-12-23", "2026-12-30", "running")]


@pytest.mark.parametrize(("now", "on", "due"), [
    ("2027-03-29T10:00", "25/3/2027", "2027-04-01"),  # across Good Friday and Easter Monday 2027
    ("2026-11-30T10:00", "28/11/2026", "2026-12-02"),  # answered on a Saturday: Monday is day 1
])
def test_decline_certificate_due_dates_on_awkward_days(kidsmed, env_now, now, on, due):
    env_now(now)
    ref = kidsmed.intake("--received", f"{on} 9:00")["ref"]
    case = kidsmed.json("agree", ref, "--party", "family", "--no", "--on", on)
    assert clocks(case)[0][2] == due


def test_a_family_that_changes_its_mind_stops_mediation_and_starts_the_decline_clock(kidsmed, env_now):
    env_now("2026-12-01T10:00")
    ref = kidsmed.intake("--issue", "health")["ref"]
    ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    env_now("2026-12-23T10:00")
    result = ok(kidsmed("agree", ref, "--party", "family", "--no"))
    assert result.stdout.splitlines()[1:3] == [
        "Stopped 2 running clocks. Already overdue, so recorded as breached: health-notice (due Fri 4 Dec 2026).",
        "Closed KM-2026-0001 (family-declined) on Wed 23 Dec 2026."]
    case = kidsmed.json("show", ref)
    # The 30 days had not run out: moot, so stopped. The LA never told the ICB by 4 Dec: that
    # deadline was missed before the family changed its mind, and stays breached.
    assert clocks(case) == [
        ("mediation-within-30-days", "2026-12-01", "2026-12-31", "stopped"),
        ("health-notice", "2026-12-01", "2026-12-04", "breached"),
        ("certificate-after-decline", "2026-12-23", "2026-12-30", "running"),
    ]
    assert case["timeline"][-5]["detail"]["old_answer"] == "yes"


def test_the_la_declining_a_mediation_deems_the_certificate(kidsmed, env_now):
    env_now("2027-12-24T10:00")  # Fri 24 Dec 2027: 27 and 28 Dec are substitute holidays
    ref = kidsmed.intake()["ref"]
    ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    result = ok(kidsmed("agree", ref, "--party", "la", "--no"))
    assert result.stdout.splitlines() == [
        "Recorded: the local authority said no on Fri 24 Dec 2027 (KM-2027-0001).",
        "Stopped 1 running clock.",
        "Closed KM-2027-0001 (other-party-declined) on Fri 24 Dec 2027.",
        "Started certificate-deemed: due Fri 31 Dec 2027.",
        "Next: kidsmed certificate issue KM-2027-0001",
        "      issue the mediation certificate by Fri 31 Dec 2027 (LA declined on Fri 24 Dec 2027)",
    ]
    assert clocks(kidsmed.json("show", ref)) == [
        ("mediation-within-30-days", "2027-12-24", "2028-01-23", "stopped"),
        ("certificate-deemed", "2027-12-24", "2027-12-31", "running"),
    ]


@pytest.mark.parametrize("other", ["la", "setting"])
def test_the_other_party_declining_disagreement_resolution_closes_without_a_certificate(kidsmed, other):
    ref = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", other)["ref"]
    case = kidsmed.json("agree", ref, "--party", "family", "--yes")
    assert case["clocks"] == []  # no statutory clocks on the wider service
    case = kidsmed.json("agree", ref, "--party", other, "--no")
    assert (case["status"], case["closed"]["reason"], case["clocks"]) == ("closed", "other-party-declined", [])
    assert case["next_step"] == "none — the case is closed (other-party-declined)"


def test_a_family_declining_disagreement_resolution_owes_no_certificate(kidsmed):
    ref = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting")["ref"]
    case = kidsmed.json("agree", ref, "--party", "family", "--no")
    assert (case["closed"]["reason"], case["clocks"]) == ("family-declined", [])


def test_agree_refusals(kidsmed, db_path):
    awaiting = third_party(kidsmed)
    assert_refused(kidsmed, db_path, ("agree", awaiting, "--party", "family", "--yes"), 1,
                   "KM-2026-0001 is awaiting-consent, so no party can be asked to agree until the parent or "
                   "young person consents — next: record the parent's or young person's consent — "
                   "referred by school staff, with 'kidsmed consent KM-2026-0001 --given'")
    ref = kidsmed.intake("--received", "yesterday 9:00")["ref"]
    assert_refused(kidsmed, db_path, ("agree", ref, "--party", "setting", "--yes"), 1,
                   "KM-2026-0002 is awaiting-agreement, and the school or setting is not a party to it — "
                   "the parties who must agree are: family, la")
    assert_refused(kidsmed, db_path, ("agree", ref, "--party", "health", "--no"), 1,
                   "KM-2026-0002 is awaiting-agreement, and the integrated care board (health) is not a party "
                   "to it — the parties who must agree are: family, la")
    ok(kidsmed("agree", ref, "--party", "la", "--yes", "--on", "yesterday"))
    assert_refused(kidsmed, db_path, ("agree", ref, "--party", "la", "--yes"), 1,
                   "KM-2026-0002 is awaiting-agreement, and the local authority already said yes on "
                   "Wed 25 Nov 2026 — nothing was changed; to record another call, use 'kidsmed note'")
    ok(kidsmed("agree", ref, "--party", "family", "--no"))
    assert_refused(kidsmed, db_path, ("agree", ref, "--party", "family", "--yes"), 1,
                   "KM-2026-0002 is closed (family-declined) and takes no more answers — next: issue the "
                   "mediation certificate by Tue 1 Dec 2026 (family declined on Thu 26 Nov 2026), with "
                   "'kidsmed certificate issue KM-2026-0002'")
    dr = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting")["ref"]
    ok(kidsmed("agree", dr, "--party", "setting", "--no"))
    assert_refused(kidsmed, db_path, ("agree", dr, "--party", "setting", "--yes"), 1,
                   "KM-2026-0003 is closed (other-party-declined) and takes no more answers — a closed case "
                   "cannot be reopened: log a new referral if the family comes back")


@pytest.mark.parametrize(("args", "line"), [
    (("--party", "la"), "give exactly one answer — use --yes or --no or --cannot-arrange"),
    (("--party", "la", "--yes", "--no"), "give exactly one answer — use --yes or --no or --cannot-arrange"),
    (("--party", "council", "--yes"),
     "'council' is not a known party — use one of: family, la, setting, health, other"),
    (("--party", "la", "--yes", "--on", "tomorrow"),
     "Fri 27 Nov 2026 is in the future — give the day the answer was given (--on; default today)"),
    (("--party", "la", "--yes", "--on", "20/11/2026"),
     "Fri 20 Nov 2026 is before consent was given (Tue 24 Nov 2026) — check --on"),
])
def test_agree_bad_input(kidsmed, db_path, args, line):
    ref = third_party(kidsmed)
    ok(kidsmed("consent", ref, "--given", "--by", "X", "--method", "phone", "--on", "24/11/2026"))
    assert_refused(kidsmed, db_path, ("agree", ref, *args), 2, line)


def test_an_answer_cannot_predate_the_referral(kidsmed, db_path):
    ref = kidsmed.intake("--received", "today 9:00")["ref"]
    assert_refused(kidsmed, db_path, ("agree", ref, "--party", "family", "--yes", "--on", "yesterday"), 2,
                   "Wed 25 Nov 2026 is before the referral was received (Thu 26 Nov 2026) — check --on")


# --- close -----------------------------------------------------------------------------


def test_close_stops_the_running_clocks_and_keeps_the_note(kidsmed):
    ref = kidsmed.intake("--issue", "health")["ref"]
    ok(kidsmed("agree", ref, "--party", "family", "--yes"))
    result = ok(kidsmed("close", ref, "--reason", "withdrawn", "--note", "Family moved away"))
    assert result.stdout.splitlines() == [
        "Stopped 2 running clocks.",
        "Closed KM-2026-0001 (withdrawn) on Thu 26 Nov 2026.",
        "Next: none — the case is closed (withdrawn)",
    ]
    case = kidsmed.json("show", ref)
    assert {c["state"] for c in case["clocks"]} == {"stopped"}
    assert case["closed"] == {"on": "2026-11-26", "reason": "withdrawn"}
    assert case["timeline"][-1]["note"] == "Family moved away"
    assert case["timeline"][-2]["detail"] == {"status": {"old": "awaiting-agreement", "new": "closed"},
                                              "closed_on": "2026-11-26", "closed_reason": "withdrawn"}


@pytest.mark.parametrize("status", ["awaiting-consent", "awaiting-agreement", "ready-to-book"])
def test_any_open_case_can_be_resolved_without_mediation(kidsmed, status):
    ref = third_party(kidsmed) if status == "awaiting-consent" else kidsmed.intake()["ref"]
    if status == "ready-to-book":
        for party in ("family", "la"):
            ok(kidsmed("agree", ref, "--party", party, "--yes"))
    assert kidsmed.json("show", ref)["status"] == status
    case = kidsmed.json("close", ref, "--reason", "resolved without mediation")
    assert case["closed"]["reason"] == "resolved-without-mediation"
    assert not case["erased"]


def test_close_refusals(kidsmed, db_path):
    ref = kidsmed.intake()["ref"]
    assert_refused(kidsmed, db_path, ("close", ref, "--reason", "family-declined"), 2,
                   "'family-declined' is not a known reason for closing — use one of: withdrawn, "
                   "resolved-without-mediation")
    ok(kidsmed("close", ref, "--reason", "withdrawn"))
    assert_refused(kidsmed, db_path, ("close", ref, "--reason", "withdrawn"), 1,
                   "KM-2026-0001 is closed (withdrawn), so it cannot be closed again — a closed case cannot "
                   "be reopened: log a new referral if the family comes back")


# --- a booked case (sessions are booked by the scheduling commands; set up here directly) ---


def _booked(kidsmed, db_path, *extra) -> str:
    import sqlite3

    ref = kidsmed.intake(*extra)["ref"]
    parties = kidsmed.json("show", ref)["required_parties"]
    for party in parties:
        ok(kidsmed("agree", ref, "--party", party, "--yes"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("INSERT INTO mediators (id, name) VALUES (1, 'Mo Mediator')")
        conn.execute(
            "INSERT INTO sessions (case_id, start, end, start_utc, end_utc, mediator_id, status, booked_at,"
            " booked_by) VALUES (1, '2026-12-03T10:00:00+00:00', '2026-12-03T13:00:00+00:00',"
            " '2026-12-03T10:00:00+00:00', '2026-12-03T13:00:00+00:00', 1, 'booked',"
            " '2026-11-26T10:00:00+00:00', 'tester')")
        conn.execute("UPDATE cases SET status = 'booked'")
    conn.close()
    return ref


def test_a_booked_case_whose_la_says_no_closes_and_cancels_its_session(kidsmed, db_path):
    ref = _booked(kidsmed, db_path)
    result = ok(kidsmed("agree", ref, "--party", "la", "--no"))
    assert result.stdout.splitlines()[1:4] == [
        "Stopped 1 running clock.",
        "Cancelled session 1 on Thu 3 Dec 2026 10:00–13:00: case closed (other-party-declined).",
        "Closed KM-2026-0001 (other-party-declined) on Thu 26 Nov 2026.",
    ]
    assert rows(db_path, "SELECT status, cancel_reason, cancelled_at FROM sessions") == [
        ("cancelled", "case closed (other-party-declined)", "2026-11-26T10:00:00+00:00")]
    # The same audit as every other cancellation: which session, when it was, and why.
    [(detail,)] = rows(db_path, "SELECT detail FROM events WHERE action = 'session-cancelled'")
    assert json.loads(detail) == {"session": 1, "start": "2026-12-03T10:00:00+00:00",
                                  "reason": "case closed (other-party-declined)"}


def test_a_booked_case_whose_icb_says_no_waits_again_without_its_session(kidsmed, db_path):
    ref = _booked(kidsmed, db_path, "--issue", "health")
    case = kidsmed.json("agree", ref, "--party", "health", "--no")
    assert case["status"] == "awaiting-agreement"
    assert [s["status"] for s in case["sessions"]] == ["cancelled"]
    assert actions(case)[-3:] == ["agreement", "session-cancelled", "status"]


def test_consent_is_given_by_the_family_member_on_the_case_unless_told_otherwise(kidsmed):
    ref = kidsmed.intake("--referrer-role", "school", "--relationship", "mother")["ref"]
    consent = kidsmed.json("consent", ref, "--given", "--method", "phone")["consent"]
    assert (consent["by"], consent["relationship"]) == ("Sam Example", "mother")
    other = kidsmed.intake("--referrer-role", "school")["ref"]
    consent = kidsmed.json("consent", other, "--given", "--method", "phone", "--by", "Jo Example",
                           "--relationship", "father")["consent"]
    assert (consent["by"], consent["relationship"]) == ("Jo Example", "father")
