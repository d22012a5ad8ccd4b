"""kidsmed demo: a realistic, fictional case book whose every case follows the rules.
'Now' is Thu 26 Nov 2026 10:00."""

import json
import sqlite3
from datetime import date

import pytest
from conftest import rows

from kidsmed.domain import workflow
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.checks import RUN_AFTER_CLOSING
from kidsmed.domain.clocks import appeal_deadline, due_date
from kidsmed.domain.demo import years_spread

TODAY = "2026-11-26"
# Every table the demo writes, and the order that makes a dump of it comparable.
WRITTEN = {"cases": "id", "case_personal": "case_id", "consents": "id", "agreements": "id", "clocks": "id",
           "sessions": "id", "certificates": "id", "events": "id", "mediators": "id", "venues": "id"}


def made_demo(tmp_path_factory, cases: int, seed: int):
    """A demo case book made once for a module's tests that only read it."""
    from typer.testing import CliRunner

    from kidsmed.cli.app import app
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--cases", str(cases), "--seed", str(seed)],
                                env={"KIDSMED_NOW": "2026-11-26T10:00", "KIDSMED_USER": "demo"})
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return made_demo(tmp_path_factory, 1500, 3)


def _dump(path) -> dict:
    conn = sqlite3.connect(path)
    dump = {table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in WRITTEN.items()}
    conn.close()
    return dump


def test_demo_fills_an_empty_database_reproducibly(kidsmed, db_path, tmp_path):
    result = kidsmed("demo", "--cases", "300", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert f"Added 300 fictional cases to {db_path}." in result.stdout
    [(count, first, last)] = rows(db_path, "SELECT count(*), min(received_on), max(received_on) FROM cases")
    assert count == 300
    assert first >= "2025-11-26" and last <= TODAY
    assert {r for (r,) in rows(db_path, "SELECT DISTINCT referrer_role FROM cases")} == {
        "parent", "young-person", "la-officer", "sendiass", "school", "health", "voluntary", "other"}
    assert len(rows(db_path, "SELECT DISTINCT local_authority FROM cases")) >= 4
    again, other = tmp_path / "again.db", tmp_path / "other.db"
    kidsmed("--db", str(again), "demo", "--cases", "300", "--seed", "4")
    kidsmed("--db", str(other), "demo", "--cases", "300", "--seed", "5")
    assert _dump(db_path) == _dump(again)
    assert _dump(db_path)["cases"] != _dump(other)["cases"]


def test_demo_references_are_sequential_per_year(kidsmed, db_path):
    kidsmed("demo", "--cases", "200")
    for (year,) in rows(db_path, "SELECT DISTINCT year FROM cases"):
        seqs = [s for (s,) in rows(db_path, "SELECT seq FROM cases WHERE year = ? ORDER BY received_at, id", (year,))]
        assert seqs == list(range(1, len(seqs) + 1))


def test_demo_data_is_obviously_fictional(kidsmed, db_path):
    kidsmed("demo", "--cases", "100")
    for phone, email in rows(db_path, "SELECT phone, email FROM case_personal UNION ALL "
                                      "SELECT phone, email FROM mediators"):
        assert phone.startswith("07700 900") and email.endswith("@example.org")


def test_demo_refuses_a_database_that_holds_cases(kidsmed, db_path):
    kidsmed.intake()
    result = kidsmed("demo", "--cases", "10")
    assert result.exit_code == 1
    assert result.stderr == ("Error: this database already holds cases — "
                             "use demo only on a new file, e.g. --db /tmp/demo.db\n")
    assert rows(db_path, "SELECT count(*) FROM cases") == [(1,)]
    assert rows(db_path, "SELECT (SELECT count(*) FROM mediators) + (SELECT count(*) FROM venues)") == [(0,)]


def test_demo_cases_reach_every_status_and_reason(book):
    found = set(rows(book, "SELECT status, coalesce(closed_reason, '') FROM cases"))
    assert found == {("awaiting-consent", ""), ("awaiting-agreement", ""), ("ready-to-book", ""),
                     ("booked", ""), *(("closed", reason) for reason in (
                         "consent-refused", "consent-withdrawn", "family-declined", "other-party-declined",
                         "withdrawn", "resolved-without-mediation", "mediation-concluded"))}


def _cases(db_path) -> dict[int, dict]:
    """Every demo case with its rows, shaped as the workflow rules read them."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    cases = {r["id"]: {**dict(r), "issues": json.loads(r["issues"])} for r in conn.execute("SELECT * FROM cases")}
    for table in ("consents", "agreements", "clocks", "sessions", "certificates"):
        for case in cases.values():
            case[table] = []
        for r in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            cases[r["case_id"]][table].append(dict(r))
    conn.close()
    return cases


def test_demo_cases_follow_the_rules(book):
    personal = {case_id for (case_id,) in rows(book, "SELECT case_id FROM case_personal")}
    for case in _cases(book).values():
        erased = case["closed_reason"] in ("consent-refused", "consent-withdrawn")
        assert (case["erased_at"] is not None) == erased == (case["id"] not in personal)
        if erased:
            assert case["referrer_org"] is None
            assert all(row["given_by"] is None for row in case["consents"])
            assert all(row["contact"] is None for row in case["agreements"])
        needs = workflow.needs_consent(case["referrer_role"])
        assert (case["consent_status"] == "not-needed") == (not needs)
        if case["consent_status"] == "awaiting":  # waiting, unless the referrer withdrew it first
            assert case["status"] == "awaiting-consent" or case["closed_reason"] in (
                "withdrawn", "resolved-without-mediation")
        else:
            assert case["status"] != "awaiting-consent"
        assert [c["answer"] for c in case["consents"]] == {
            "not-needed": [], "awaiting": [], "given": ["given"], "refused": ["refused"],
            "withdrawn": ["given", "withdrawn"]}[case["consent_status"]]
        if case["agreements"]:
            assert case["consent_status"] in ("not-needed", "given", "withdrawn")
            assert min(a["on_date"] for a in case["agreements"]) >= case["received_on"]
        missing = workflow.missing_parties(case, case["agreements"])
        assert (case["status"] in ("ready-to-book", "booked")) == (not missing and case["status"] != "closed")
        assert not case["sessions"] or not missing  # a session only once every party has said yes


def test_demo_clocks_are_consistent_with_their_cases(book):
    cal = Calendar()
    for case in _cases(book).values():
        for clock in case["clocks"]:
            started = date.fromisoformat(clock["started_on"])
            decision = date.fromisoformat(case["decision_date"]) if case["decision_date"] else None
            assert clock["due_on"] == due_date(clock["rule"], started, cal, decision).isoformat()
            assert case["kind"] == "mediation" or clock["rule"] == "agreement-actions"
            # met_on is the day a clock ended: met, or stopped when its case closed.
            assert (clock["met_on"] is not None) == (clock["state"] in ("met", "stopped"))
            assert clock["state"] != "stopped" or clock["met_on"] == case["closed_on"]
            assert clock["started_on"] <= (clock["met_on"] or clock["started_on"]) <= TODAY
            if case["status"] == "closed":
                assert clock["state"] != "running" or clock["rule"] in RUN_AFTER_CLOSING
                assert (clock["met_on"] or "") <= case["closed_on"] or clock["rule"] in RUN_AFTER_CLOSING
            if clock["rule"].startswith("certificate-"):
                assert clock["started_on"] == case["closed_on"]
        rules = [clock["rule"] for clock in case["clocks"]]
        if case["kind"] == "mediation":
            family = workflow.latest_answers(case["agreements"]).get("family")
            assert rules.count("mediation-within-30-days") == (family is not None and family["answer"] == "yes")
            assert ("certificate-after-decline" in rules) == (case["closed_reason"] == "family-declined")
            assert ("certificate-deemed" in rules) == (case["closed_reason"] == "other-party-declined")
            assert ("certificate-after-mediation" in rules) == (case["closed_reason"] == "mediation-concluded")


def test_certificates_are_issued_as_the_command_issues_them(book):
    cal = Calendar()
    by_type = {"certificate-after-decline": "declined", "certificate-deemed": "deemed",
               "certificate-after-mediation": "after-mediation"}
    owed = late = 0
    for case in _cases(book).values():
        clocks = [c for c in case["clocks"] if c["rule"] in by_type]
        issued = case["certificates"]
        assert len(issued) <= len(clocks) <= 1
        if not clocks:
            continue
        [clock] = clocks
        if not issued:
            assert clock["state"] == "running"
            owed += 1
            continue
        [certificate] = issued
        decision = date.fromisoformat(case["decision_date"]) if case["decision_date"] else None
        deadline, why = appeal_deadline(decision, date.fromisoformat(certificate["issued_on"]), cal)
        assert certificate == {
            **certificate, "number": f"{case['ref']}-C1", "type": by_type[clock["rule"]],
            "due_on": clock["due_on"], "issued_by": "demo", "on_time": certificate["issued_on"] <= clock["due_on"],
            "appeal_deadline": deadline.isoformat(), "appeal_rule": why, "reissue_of": None}
        assert (clock["state"], clock["met_on"]) == ("met", certificate["issued_on"])
        late += not certificate["on_time"]
    # Most are issued, a few late, and the few still owed are the latest ones.
    assert 0 < owed < 20
    assert late > 0
    assert rows(book, "SELECT min(started_on) FROM clocks WHERE state = 'running' AND rule LIKE 'certificate-%'"
                ) >= [("2026-11-12",)]


def test_appeals_follow_concluded_mediations(book):
    appealed = rows(book, "SELECT c.kind, c.closed_reason, c.appeal_lodged_on, ce.issued_on, ce.appeal_deadline"
                          " FROM cases c LEFT JOIN certificates ce ON ce.case_id = c.id"
                          " WHERE c.appeal_lodged_on IS NOT NULL")
    assert len(appealed) > 10
    for kind, reason, lodged, issued, deadline in appealed:
        assert (kind, reason) == ("mediation", "mediation-concluded")
        assert issued < lodged <= min(deadline, TODAY)


def test_check_finds_nothing_wrong_with_a_demo(kidsmed, db_path):
    assert kidsmed("demo", "--cases", "3000").exit_code == 0
    result = kidsmed("check", "--json")
    assert (result.exit_code, json.loads(result.stdout)["problems"]) == (0, [])
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'clock-started'") == rows(
        db_path, "SELECT count(*) FROM clocks")


def test_every_monthly_count_of_the_default_demo_is_there(kidsmed, db_path):
    assert kidsmed("demo").exit_code == 0
    assert rows(db_path, "SELECT count(*), min(received_on) >= '2025-11-26' FROM cases") == [(1000, 1)]
    report = kidsmed.json("report", "month")
    assert report["period"] == "2026-10"
    zero = [f"{name}.{key}" if key else name for name, value in report["metrics"].items()
            for key, count in (value.items() if isinstance(value, dict) else [(None, value)])
            if not count and not name.startswith("referrals_by")]
    assert zero == []


def test_the_days_report_of_a_demo_has_a_little_of_everything(kidsmed):
    assert kidsmed("demo").exit_code == 0
    day = kidsmed.json("report", "day")
    totals = day["totals"]
    assert totals["sessions"] >= 3 and totals["referrals"] >= 2 and totals["sessions_without_outcome"] >= 1
    # Staff in a real service keep on top of things: a handful of clocks due or overdue, none
    # of them long forgotten, and a short list of cases waiting.
    assert 1 <= totals["clocks"] <= 20 and max(c["days_over"] for c in day["clocks"]) <= 60
    assert 1 <= totals["waiting"] <= 20


def test_a_case_book_bigger_than_a_years_referrals_is_spread_over_whole_years():
    assert [years_spread(n) for n in (1, 1000, 5000, 5001, 10_000, 100_000, 1_000_000)] == [
        1, 1, 1, 2, 2, 20, 200]


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    return made_demo(tmp_path_factory, 10_000, 1)


def test_ten_thousand_cases_are_two_years_of_a_real_services_days(years):
    [(first, last)] = rows(years, "SELECT min(received_on), max(received_on) FROM cases")
    assert "2024-11-26" < first < "2024-12-10" and last == TODAY
    # A day's referrals, the diary and the cases still open are a real service's, not ten times them.
    assert max(n for (n,) in rows(years, "SELECT count(*) FROM cases GROUP BY received_on")) <= 50
    assert rows(years, "SELECT count(*) FROM mediators") == [(25,)]
    assert rows(years, "SELECT count(*) FROM cases WHERE status != 'closed' AND received_on < '2025-11-26'") == [(0,)]
    # The family's appeal deadline is never overdue: once passed it is theirs, not the service's.
    [(overdue,)] = rows(years, "SELECT count(*) FROM clocks WHERE state = 'running' AND due_on < ?"
                               " AND rule <> 'appeal-deadline'", (TODAY,))
    assert 1 <= overdue <= 50


def test_check_finds_nothing_wrong_with_years_of_cases(years):
    from typer.testing import CliRunner

    from kidsmed.cli.app import app
    result = CliRunner().invoke(app, ["--db", str(years), "check", "--json"],
                                env={"KIDSMED_NOW": "2026-11-26T10:00", "KIDSMED_USER": "demo"})
    problems = [p for p in json.loads(result.stdout)["problems"] if p["check"] != "file-permissions"]
    assert problems == []
