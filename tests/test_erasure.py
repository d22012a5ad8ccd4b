"""Refused or withdrawn consent erases the family's and child's details: no copy on disk."""

import json
from datetime import datetime

import pytest
from conftest import rows

from kidsmed.domain import cases, gates
from kidsmed.domain.dates import LONDON
from kidsmed.errors import Refused
from kidsmed.store.db import open_db

# Distinctive fictional values, so a byte search cannot match anything else in the file.
PERSONAL = {
    "--family": "Zebedee Quenelle", "--child": "Ottoline Quenelle", "--phone": "07700 900417",
    "--email": "zebedee.q@example.org", "--dob": "3/4/2015", "--setting": "Larkspur Fictional Academy",
    "--referrer-name": "Wilhelmina Referrer", "--relationship": "stepfather",
    # A school's referral names the child's school: it goes too.
    "--referrer-org": "Quillwort Fictional Primary",
}
SECRETS = ["Zebedee", "Quenelle", "Ottoline", "900417", "zebedee.q@", "Larkspur", "Wilhelmina",
           "Ottie", "Zeb Q", "hospital appointment", "rang back", "prefers mornings", "Quillwort"]


def disk_bytes(db_path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def found(db_path) -> list[str]:
    data = disk_bytes(db_path)
    return [s for s in SECRETS if s.encode() in data]


def a_case_full_of_details(kidsmed) -> str:
    ref = kidsmed.intake("--referrer-role", "school", *(x for pair in PERSONAL.items() for x in pair),
                         "--notes", "Dad rang back about the hospital appointment")["ref"]
    assert kidsmed("edit", ref, "--child", "Ottie Quenelle").exit_code == 0  # old → new kept aside
    assert kidsmed("edit", ref, "--referrer-org", "Quillwort Junior").exit_code == 0  # so is this one
    assert kidsmed("note", ref, "Dad prefers mornings").exit_code == 0
    return ref


@pytest.mark.parametrize("answer", ["--refused", "--withdrawn"])
def test_erased_details_are_nowhere_in_the_database_files(kidsmed, db_path, answer):
    ref = a_case_full_of_details(kidsmed)
    if answer == "--withdrawn":
        assert kidsmed("consent", ref, "--given", "--by", "Zebedee Quenelle", "--method", "phone",
                       "--note", "Zeb Q agreed on the phone").exit_code == 0
        for args in (("--party", "family", "--yes", "--contact", "Zebedee Quenelle", "--note", "Zeb Q keen"),
                     ("--party", "la", "--yes", "--contact", "Pat Officer", "--note", "Zeb Q known to LA")):
            assert kidsmed("agree", ref, *args).exit_code == 0
    # The search can see them before erasure ("Zeb Q" comes only in answers' notes).
    assert set(found(db_path)) == set(SECRETS) - ({"Zeb Q"} if answer == "--refused" else set())

    result = kidsmed("consent", ref, answer, "--by", "Zebedee Quenelle", "--note", "Zeb Q said no")
    assert result.exit_code == 0, result.output
    assert found(db_path) == []
    # Kept: what the counts need. Contacts go too: one erasure serves consent refusal and retention.
    assert rows(db_path, "SELECT kind, referrer_role, local_authority, issues, received_on, closed_reason"
                         " FROM cases") == [("mediation", "school", "Northshire", '["refusal-to-assess"]',
                                             "2026-11-26", f"consent-{answer[2:]}")]
    assert rows(db_path, "SELECT party, contact, note FROM agreements ORDER BY id") == (
        [("family", None, None), ("la", None, None)] if answer == "--withdrawn" else [])


def test_the_audit_keeps_the_fact_of_the_erasure_and_no_value(kidsmed, db_path):
    ref = a_case_full_of_details(kidsmed)
    kidsmed("consent", ref, "--refused", "--by", "Zebedee Quenelle")
    case = kidsmed.json("show", ref)
    erased = case["timeline"][-1]
    assert (erased["action"], erased["user"], erased["at"]) == ("erased", "tester", "2026-11-26T10:00:00+00:00")
    assert erased["detail"] == {"reason": "consent-refused", "cleared": {
        "cases": 1, "case_personal": 1, "personal_history": 2, "notes": 2, "consents": 1, "agreements": 0,
        "sessions": 0, "certificates": 0}}
    assert [e["action"] for e in case["timeline"]] == [
        "intake", "edit", "edit", "note", "consent", "closed", "erased"]
    assert all(e["note"] is None and e["changes"] == [] for e in case["timeline"])
    assert rows(db_path, "SELECT erased_at FROM cases") == [("2026-11-26T10:00:00+00:00",)]
    assert "Zebedee" not in json.dumps(case)
    assert kidsmed("cases", "--search", "Quenelle", "--json").stdout.strip() == "[]"


def test_an_erased_case_cannot_be_edited_or_noted(kidsmed):
    ref = a_case_full_of_details(kidsmed)
    kidsmed("consent", ref, "--refused")
    result = kidsmed("edit", ref, "--family", "Zebedee Quenelle")
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 has been anonymised — its details can no longer be changed\n")


NOW = datetime(2026, 11, 27, 10, tzinfo=LONDON)


def test_erase_can_be_called_on_its_own_and_only_once(kidsmed, db_path):
    """Retention calls gates.erase directly, outside any command."""
    ref = a_case_full_of_details(kidsmed)
    kidsmed("close", ref, "--reason", "withdrawn")
    db = open_db(db_path)
    case = cases.get(db, ref)
    gates.erase(db, NOW, "retention", case, "retention-period-ended")
    assert found(db_path) == []
    with pytest.raises(Refused, match="KM-2026-0001 has already been anonymised"):
        gates.erase(db, NOW, "retention", cases.get(db, ref), "again")
    db.close()
    [(detail,)] = rows(db_path, "SELECT detail FROM events WHERE action = 'erased'")
    assert json.loads(detail)["reason"] == "retention-period-ended"


def test_erase_inside_a_callers_transaction_leaves_the_checkpoint_to_the_caller(kidsmed, db_path):
    refs = [a_case_full_of_details(kidsmed) for _ in range(2)]
    db = open_db(db_path)
    with db.transaction():
        for ref in refs:
            gates.erase(db, NOW, "retention", cases.get(db, ref), "retention-period-ended")
    assert gates.forget_copies(db) is True
    assert found(db_path) == []
    db.close()


# --- the booking gate that scheduling calls ------------------------------------------------


def booking_refusal(db_path, ref) -> str | None:
    """What `check_can_book` says about the case: its refusal, or None when it may be booked."""
    db = open_db(db_path)
    try:
        gates.check_can_book(db, cases.get(db, ref))
    except Refused as refused:
        return str(refused)
    finally:
        db.close()
    return None


def test_check_can_book_refuses_until_every_gate_is_open(kidsmed, db_path):
    ref = kidsmed.intake("--referrer-role", "sendiass")["ref"]
    assert booking_refusal(db_path, ref) == (
        "KM-2026-0001 is awaiting-consent, so nothing can be booked until the parent or young person "
        "consents — next: record the parent's or young person's consent — referred by SENDIASS, "
        "with 'kidsmed consent KM-2026-0001 --given'")
    kidsmed("consent", ref, "--given", "--by", "Sam Example", "--method", "phone")
    kidsmed("agree", ref, "--party", "family", "--yes")
    assert booking_refusal(db_path, ref) == (
        "KM-2026-0001 is awaiting-agreement, so nothing can be booked until every party has agreed — "
        "next: ask the local authority whether it will take part — family agreed on Thu 26 Nov 2026, "
        "with 'kidsmed agree KM-2026-0001 --party la --yes'")
    kidsmed("agree", ref, "--party", "la", "--yes")
    assert booking_refusal(db_path, ref) is None
    kidsmed("agree", ref, "--party", "la", "--no")
    assert booking_refusal(db_path, ref) == (
        "KM-2026-0001 is closed (other-party-declined) and cannot be booked — next: issue the mediation "
        "certificate by Tue 1 Dec 2026 (LA declined on Thu 26 Nov 2026), with "
        "'kidsmed certificate issue KM-2026-0001'")


def test_check_can_book_fails_closed_when_the_status_and_the_answers_disagree(kidsmed, db_path):
    ref = kidsmed.intake()["ref"]
    import sqlite3

    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE cases SET status = 'ready-to-book'")
    conn.close()
    assert booking_refusal(db_path, ref) == (
        "KM-2026-0001 is ready-to-book, and not every party has agreed — "
        "next: ask the family whether they will take part in mediation, with "
        "'kidsmed agree KM-2026-0001 --party family --yes'")


def test_no_name_given_to_any_command_survives_erasure(kidsmed, db_path):
    """Every command that takes a name or free text about a case, then erasure: not a byte is left."""
    ref = a_case_full_of_details(kidsmed)
    said = {"Perpetua Officerton": ("schedule", "book", ref, "--at", "7/12/2026 10:00", "--mediator", "Jo Mediator",
                                    "--remote", "video", "--la-officer", "Perpetua Officerton"),
            "Zeb Q asked to move": ("schedule", "move", ref, "--to", "8/12/2026 10:00",
                                    "--reason", "Zeb Q asked to move"),
            "Zeb Q is unwell": ("schedule", "cancel", ref, "--reason", "Zeb Q is unwell"),
            "Tobias Officerling": ("schedule", "book", ref, "--at", "9/12/2026 10:00", "--mediator", "Jo Mediator",
                                   "--remote", "phone", "--la-officer", "Tobias Officerling"),
            "ring Zeb Q": ("chase", ref, "--on", "friday", "--what", "ring Zeb Q about the venue")}
    assert kidsmed("mediators", "add", "Jo Mediator").exit_code == 0
    for args in (("consent", ref, "--given", "--by", "Zebedee Quenelle", "--method", "phone", "--note", "Zeb Q ok"),
                 ("agree", ref, "--party", "family", "--yes", "--contact", "Zebedee Quenelle"),
                 ("agree", ref, "--party", "la", "--yes", "--contact", "Pat Officer", "--note", "Zeb Q known"),
                 *said.values()):
        result = kidsmed(*args)
        assert result.exit_code == 0, (args, result.output)
    secrets = [*SECRETS, *said]
    files = [db_path, *(db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm"))]
    everything = b"".join(f.read_bytes() for f in files if f.exists())
    assert [s for s in secrets if s.encode() not in everything] == []  # the search can see them

    assert kidsmed("consent", ref, "--withdrawn").exit_code == 0
    everything = b"".join(f.read_bytes() for f in files if f.exists())
    assert [s for s in secrets if s.encode() in everything] == []
    assert rows(db_path, "SELECT count(*) FROM events WHERE detail LIKE '%Officer%'") == [(0,)]
