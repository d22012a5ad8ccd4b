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
