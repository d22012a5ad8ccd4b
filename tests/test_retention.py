"""kidsmed retention: closed cases past the retention period are listed, and anonymised only with --apply."""

import json

import pytest
from conftest import NOW, checksum, rows, write

from kidsmed.domain import cases, gates
from kidsmed.domain.dates import parse_now
from kidsmed.errors import Refused
from kidsmed.store.db import open_db

# Thu 26 Nov 2026: six years back is Thu 26 Nov 2020.
PERSONAL = ("Quentin Erasable", "Zelda Erasable", "07700 900777", "quentin@example.org",
            "Worried about the bus", "Pat Contact", "07700 900888", "Rosa Referrer")


def closed_case(kidsmed, db_path, on: str) -> str:
    """A case with a personal value in every place one can be, closed on `on`."""
    ref = kidsmed.intake("--referrer-role", "school", "--referrer-name", "Rosa Referrer", "--family",
                         "Quentin Erasable", "--child", "Zelda Erasable", "--phone", "07700 900777",
                         "--email", "quentin@example.org", "--notes", "Worried about the bus")["ref"]
    kidsmed("edit", ref, "--phone", "07700 900888")
    case_id = int(ref[-4:])
    write(db_path, "INSERT INTO consents (case_id, answer, given_by, relationship, method, on_date, recorded_by,"
                   " recorded_at, note) VALUES (?, 'given', 'Quentin Erasable', 'father', 'phone', '2020-01-06', 't',"
                   " '2020-01-06T10:00:00+00:00', 'Quentin Erasable agreed')", (case_id,))
    write(db_path, "INSERT INTO agreements (case_id, party, answer, contact, on_date, recorded_by, recorded_at,"
                   " note) VALUES (?, 'la', 'no', 'Pat Contact', '2020-01-07', 't', '2020-01-07T10:00:00+00:00',"
                   " 'Pat Contact said no')", (case_id,))
    write(db_path, "UPDATE cases SET status = 'closed', closed_reason = 'other-party-declined', closed_on = ?"
                   " WHERE id = ?", (on, case_id))
    return ref


@pytest.fixture
def book(kidsmed, db_path):
    """Three closed cases — past retention, on its last day, recent — and an open one."""
    return {
        "old": closed_case(kidsmed, db_path, "2020-11-25"),
        "last-day": closed_case(kidsmed, db_path, "2020-11-26"),
        "recent": closed_case(kidsmed, db_path, "2025-03-01"),
        "open": kidsmed.intake()["ref"],
    }


def test_without_apply_it_lists_and_changes_nothing(kidsmed, db_path, book):
    before = checksum(db_path)
    report = kidsmed.json("retention")
    assert report == {"cutoff": "2020-11-26", "years": 6, "applied": False, "cases": [
        {"ref": book["old"], "kind": "mediation", "closed_on": "2020-11-25", "closed_reason": "other-party-declined"}]}
    result = kidsmed("retention")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 closed case past retention (closed before Thu 26 Nov 2020) — nothing "
                                    "changed yet.\n")
    assert book["old"] in result.stdout and book["last-day"] not in result.stdout
    assert result.stdout.endswith("Next: kidsmed retention --apply to anonymise them\n")
    assert checksum(db_path) == before


@pytest.mark.parametrize(("options", "expected"), [
    (("--older-than", "5"), ["old", "last-day"]),
    (("--older-than", "1"), ["old", "last-day", "recent"]),
    (("--closed-before", "1/3/2025"), ["old", "last-day"]),
    (("--closed-before", "2/3/2025"), ["old", "last-day", "recent"]),
])
def test_the_period_can_be_given_for_one_run(kidsmed, book, options, expected):
    assert [c["ref"] for c in kidsmed.json("retention", *options)["cases"]] == [book[k] for k in expected]


def test_the_service_sets_its_own_period(kidsmed, db_path, book):
    assert kidsmed("settings", "set", "retention.years", "1").exit_code == 0
    assert kidsmed.json("retention")["years"] == 1
    assert len(kidsmed.json("retention")["cases"]) == 3



@pytest.mark.parametrize("typed", ["six", "0", "101", "²", "7 years", "6.5"])
def test_a_period_that_is_not_whole_years_is_refused_when_set(kidsmed, db_path, typed):
    assert kidsmed("settings", "set", "retention.years", "2").exit_code == 0
    before = checksum(db_path)
    result = kidsmed("settings", "set", "retention.years", typed)
    assert (result.exit_code, result.stderr) == (
        2, "Error: retention.years must be a whole number of years from 1 to 100 — "
           "e.g. kidsmed settings set retention.years 6\n")
    assert checksum(db_path) == before
    assert kidsmed.json("retention")["years"] == 2


def test_a_bad_period_stored_by_an_older_kidsmed_is_refused_when_read(kidsmed, db_path, book):
    write(db_path, "INSERT INTO settings (key, value) VALUES ('retention.years', 'six')")
    result = kidsmed("retention")
    assert (result.exit_code, result.stderr) == (
        1, "Error: the setting retention.years is not a number of years from 1 to 100 — set it again, e.g. to 6\n")


@pytest.mark.parametrize(("options", "message"), [
    (("--older-than", "3", "--closed-before", "1/1/2020"),
     "Error: give --closed-before or --older-than, not both — e.g. kidsmed retention --older-than 6\n"),
    (("--older-than", "0"), "Error: --older-than must be from 1 to 100 years — e.g. --older-than 6\n"),
    (("--older-than", "5000"), "Error: --older-than must be from 1 to 100 years — e.g. --older-than 6\n"),
    (("--closed-before", "tomorrow"), "Error: --closed-before cannot be after today — give a date in the past\n"),
])
def test_impossible_periods_are_refused(kidsmed, db_path, book, options, message):
    before = checksum(db_path)
    result = kidsmed("retention", *options, "--apply")
    assert (result.exit_code, result.stderr) == (2, message)
    assert checksum(db_path) == before


def test_apply_anonymises_and_keeps_what_the_counts_need(kidsmed, db_path, book):
    counted = "SELECT ref, kind, status, received_on, referrer_role, local_authority, issues, closed_on," \
              " closed_reason FROM cases ORDER BY id"
    counts_before = rows(db_path, counted)
    result = kidsmed("retention", "--older-than", "5", "--apply")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Anonymised 2 closed cases, closed before Fri 26 Nov 2021.\n")
    assert result.stdout.endswith("Next: make a fresh backup and let older backups expire: they still hold "
                                  "these details\n")
    assert rows(db_path, counted) == counts_before
    erased = (1, 2)
    assert rows(db_path, "SELECT id FROM cases WHERE erased_at = '2026-11-26T10:00:00+00:00'") == [(1,), (2,)]
    for table, columns in (("case_personal", "referrer_name, family_name, relationship, phone, email, child_name,"
                                             " child_dob, setting"),
                           ("notes", "text"), ("consents", "given_by, note"), ("agreements", "contact, note")):
        for case_id in erased:  # each row gone, or left with nothing personal in it
            assert all(set(row) == {None} for row in rows(db_path, f"SELECT {columns} FROM {table} WHERE case_id = ?",
                                                          (case_id,)))
    assert rows(db_path, "SELECT DISTINCT case_id FROM personal_history") == [(3,)]
    assert rows(db_path, "SELECT family_name FROM case_personal WHERE case_id = 3") == [("Quentin Erasable",)]
    [(detail,)] = rows(db_path, "SELECT detail FROM events WHERE action = 'erased' AND case_id = 1")
    assert json.loads(detail) == {"reason": "retention: closed on 2020-11-25, before 2021-11-26", "cleared": {
        "cases": 0, "case_personal": 1, "notes": 1, "consents": 1, "agreements": 1, "sessions": 0,
        "certificates": 0, "personal_history": 1}}
    for (detail,) in rows(db_path, "SELECT detail FROM events"):
        assert not any(value in detail for value in PERSONAL)
    shown = kidsmed.json("show", book["old"])
    assert shown["erased"] is True and shown["family"]["name"] is None and shown["timeline"][-1]["action"] == "erased"
    assert kidsmed.json("retention", "--older-than", "5", "--apply")["cases"] == []


def test_anonymised_details_leave_no_copy_in_the_files(kidsmed, db_path):
    """secure_delete overwrites what was cleared; the checkpoint empties the write-ahead log."""
    for _ in range(3):
        kidsmed.intake("--family", "Ulrika Keepme", "--notes", "Keep this note")
    write(db_path, "UPDATE case_personal SET family_name = 'Quentin Erasable', phone = '07700 900777'"
                   " WHERE case_id = 2")
    kidsmed("note", "KM-2026-0002", "Worried about the bus")
    write(db_path, "UPDATE cases SET status = 'closed', closed_on = '2019-05-01', closed_reason = 'withdrawn'"
                   " WHERE id = 2")
    assert kidsmed("retention", "--apply").exit_code == 0
    stored = b"".join(path.read_bytes() for path in db_path.parent.iterdir())
    for value in ("Quentin Erasable", "07700 900777", "Worried about the bus"):
        assert value.encode() not in stored, value
    assert b"Ulrika Keepme" in stored and b"Keep this note" in stored


def test_erasure_refuses_a_case_already_anonymised(kidsmed, db_path, book):
    db = open_db(db_path)
    now = parse_now(NOW)
    gates.erase(db, now, "tester", cases.get(db, book["recent"]), "test")
    with pytest.raises(Refused, match=f"{book['recent']} has already been anonymised"):
        gates.erase(db, now, "tester", cases.get(db, book["recent"]), "test")
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'erased'") == [(1,)]


def test_a_reader_keeping_a_copy_gets_the_same_warning_as_refused_consent(kidsmed, db_path, book, monkeypatch):
    """While another session reads, the write-ahead log cannot be emptied: both erasures say so alike."""
    import sqlite3

    monkeypatch.setattr("kidsmed.store.db.BUSY_TIMEOUT_MS", 100)  # give up waiting for the reader soon
    third_party = kidsmed.intake("--referrer-role", "school")["ref"]
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchall()  # a colleague's open read
    try:
        refused = kidsmed("consent", third_party, "--refused")
        applied = kidsmed("retention", "--apply")
    finally:
        reader.close()
    assert (refused.exit_code, applied.exit_code) == (0, 0)
    warning = f"Warning: {gates.COPY_WARNING}\n"
    assert (refused.stderr, applied.stderr) == (warning, warning)
