"""kidsmed demo: a realistic, fictional case book."""

from conftest import rows


def test_demo_fills_an_empty_database_reproducibly(kidsmed, db_path, tmp_path):
    result = kidsmed("demo", "--cases", "300", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert f"Added 300 fictional cases to {db_path}." in result.stdout
    [(count, first, last)] = rows(db_path, "SELECT count(*), min(received_on), max(received_on) FROM cases")
    assert count == 300
    assert first >= "2025-11-26" and last <= "2026-11-26"
    assert {r for (r,) in rows(db_path, "SELECT DISTINCT referrer_role FROM cases")} == {
        "parent", "young-person", "la-officer", "sendiass", "school", "health", "voluntary", "other"}
    assert len(rows(db_path, "SELECT DISTINCT local_authority FROM cases")) >= 4
    again = tmp_path / "again.db"
    kidsmed("--db", str(again), "demo", "--cases", "300", "--seed", "4")
    sql = "SELECT c.ref, c.status, p.family_name FROM cases c JOIN case_personal p ON p.case_id = c.id ORDER BY c.ref"
    assert rows(db_path, sql) == rows(again, sql)


def test_demo_references_are_sequential_per_year(kidsmed, db_path):
    kidsmed("demo", "--cases", "200")
    for (year,) in rows(db_path, "SELECT DISTINCT year FROM cases"):
        seqs = [s for (s,) in rows(db_path, "SELECT seq FROM cases WHERE year = ? ORDER BY received_at, id", (year,))]
        assert seqs == list(range(1, len(seqs) + 1))


def test_demo_data_is_obviously_fictional(kidsmed, db_path):
    kidsmed("demo", "--cases", "100")
    for phone, email in rows(db_path, "SELECT phone, email FROM case_personal"):
        assert phone.startswith("07700 900") and email.endswith("@example.org")


def test_demo_refuses_a_database_that_holds_cases(kidsmed, db_path):
    kidsmed.intake()
    result = kidsmed("demo", "--cases", "10")
    assert result.exit_code == 1
    assert result.stderr == ("Error: this database already holds cases — "
                             "use demo only on a new file, e.g. --db /tmp/demo.db\n")
    assert rows(db_path, "SELECT count(*) FROM cases") == [(1,)]


def test_demo_cases_reach_every_status_the_gates_introduce(kidsmed, db_path):
    kidsmed("demo", "--cases", "400", "--seed", "3")
    found = set(rows(db_path, "SELECT status, coalesce(closed_reason, '') FROM cases"))
    assert found >= {("awaiting-consent", ""), ("awaiting-agreement", ""), ("ready-to-book", ""),
                     ("closed", "consent-refused"), ("closed", "family-declined"),
                     ("closed", "other-party-declined"), ("closed", "withdrawn")}


def _case_rows(db_path):
    """Every demo case with its answers and clocks, shaped as the workflow rules read them."""
    import json
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    cases = {r["id"]: {**dict(r), "issues": json.loads(r["issues"]), "agreements": [], "clocks": [],
                       "consents": []} for r in conn.execute("SELECT * FROM cases")}
    for table, columns in (("agreements", "party, answer, on_date"),
                           ("clocks", "rule, started_on, due_on, state"),
                           ("consents", "answer, on_date, given_by")):
        for r in conn.execute(f"SELECT case_id, {columns} FROM {table} ORDER BY id"):
            row = dict(r)
            cases[row.pop("case_id")][table].append(row if table == "agreements" else tuple(row.values()))
    conn.close()
    return cases


def test_demo_cases_follow_the_rules(kidsmed, db_path):
    from datetime import date

    from kidsmed.domain import workflow
    from kidsmed.domain.calendar import Calendar
    from kidsmed.domain.clocks import due_date

    kidsmed("demo", "--cases", "400", "--seed", "3")
    personal = {case_id for (case_id,) in rows(db_path, "SELECT case_id FROM case_personal")}
    for case in _case_rows(db_path).values():
        erased = case["closed_reason"] in ("consent-refused", "consent-withdrawn")
        assert (case["erased_at"] is not None) == erased == (case["id"] not in personal)
        assert all(given_by is None for *_, given_by in case["consents"]) or not erased
        needs = workflow.needs_consent(case["referrer_role"])
        assert (case["consent_status"] == "not-needed") == (not needs)
        assert (case["status"] == "awaiting-consent") == (case["consent_status"] == "awaiting")
        assert bool(case["consents"]) == (case["consent_status"] not in ("not-needed", "awaiting"))
        if case["agreements"]:
            assert case["consent_status"] in ("not-needed", "given", "withdrawn")
            assert min(a["on_date"] for a in case["agreements"]) >= case["received_on"]
        missing = workflow.missing_parties(case, case["agreements"])
        assert (case["status"] == "ready-to-book") == (not missing and case["status"] != "closed")
        for rule, started, due, state in case["clocks"]:
            assert due == due_date(rule, date.fromisoformat(started), Calendar()).isoformat()
            assert case["kind"] == "mediation"
            if rule.startswith("certificate-"):
                assert state == "running" and started == case["closed_on"]
            elif case["status"] == "closed" and state != "met":
                assert state == "stopped"
        rules = {rule for rule, *_ in case["clocks"]}
        if case["kind"] == "mediation":
            family = workflow.latest_answers(case["agreements"]).get("family")
            assert ("mediation-within-30-days" in rules) == (family is not None and family["answer"] == "yes")
            assert ("certificate-after-decline" in rules) == (case["closed_reason"] == "family-declined")
            assert ("certificate-deemed" in rules) == (case["closed_reason"] == "other-party-declined")
