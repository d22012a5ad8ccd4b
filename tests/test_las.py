"""The register of local authorities: one spelling per LA, checked wherever an LA is typed."""

import csv
import io
import json

import pytest
from conftest import case_count, rows, snapshot, write
from test_migrations import FIXTURES, load

SELF = ("--kind", "mediation", "--referrer-role", "parent", "--family", "Sam Example", "--child", "Alex Example",
        "--issue", "placement")


def log(kidsmed, la: str, *extra: str):
    return kidsmed("intake", *SELF, "--la", la, *extra, "--json")


def test_a_new_book_starts_with_the_english_local_authorities(kidsmed):
    listed = kidsmed.json("las", "list")
    assert len(listed) == 154
    assert listed[0] == {"name": "Barking and Dagenham", "dfe_la_code": "301", "gss_code": "E09000002",
                         "region": "London", "retired": False, "retired_on": None}
    assert [r["name"] for r in kidsmed.json("las", "list", "york")] == [
        "East Riding of Yorkshire", "North Yorkshire", "York"]


@pytest.mark.parametrize("typed", ["Barnsley", "barnsley", "  BARNSLEY ", "370", "E08000016",
                                   "Barnsley Metropolitan Borough Council", "barnsley district", "Barns"])
def test_intake_takes_a_name_code_other_spelling_or_unique_start(kidsmed, typed):
    result = log(kidsmed, typed)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["local_authority"] == "Barnsley"


def test_other_spellings_with_an_ampersand_find_the_same_la(kidsmed):
    assert json.loads(log(kidsmed, "Barking & Dagenham").stdout)["local_authority"] == "Barking and Dagenham"


@pytest.mark.parametrize("typed, error", [
    ("Barnsly", "'Barnsly' is not a registered local authority — did you mean Barnsley? "
                "(see 'kidsmed las list', or give --new-la to add it to the register)"),
    ("Northshire", "'Northshire' is not a registered local authority — did you mean North Yorkshire, "
                   "Nottinghamshire or North Lincolnshire? (see 'kidsmed las list', or give --new-la to add it "
                   "to the register)"),
    ("Zzz", "'Zzz' is not a registered local authority — see 'kidsmed las list', or give --new-la to add it "
            "to the register"),
    ("North", "'North' could be North East Lincolnshire, North Lincolnshire, North Northamptonshire, "
              "North Somerset… — type more of the name, or its DfE code (see 'kidsmed las list')"),
])
def test_an_unregistered_la_is_refused_with_the_likely_ones_and_nothing_saved(kidsmed, db_path, typed, error):
    result = log(kidsmed, typed)
    assert (result.exit_code, result.stderr) == (2, f"Error: {error}\n")
    assert case_count(db_path) == 0


def test_new_la_adds_it_once_and_the_intake_event_says_so(kidsmed, db_path):
    first = json.loads(log(kidsmed, "Northshire", "--new-la").stdout)
    assert first["local_authority"] == "Northshire"
    again = json.loads(log(kidsmed, "northshir").stdout)  # registered now: its start finds it
    assert again["local_authority"] == "Northshire"
    assert [json.loads(d).get("la_added_to_register") for (d,) in rows(
        db_path, "SELECT detail FROM events WHERE action = 'intake' ORDER BY id")] == [True, None]
    assert len(kidsmed.json("las", "list")) == 155


def test_edit_checks_the_la_too(kidsmed):
    kidsmed.intake("--la", "York")
    result = kidsmed("edit", "KM-2026-0001", "--la", "Yrok")
    assert (result.exit_code, result.stderr) == (2, "Error: 'Yrok' is not a registered local authority — did you "
                                                    "mean York? (see 'kidsmed las list', or give --new-la to add "
                                                    "it to the register)\n")
    assert kidsmed.json("edit", "KM-2026-0001", "--la", "816")["local_authority"] == "York"
    assert kidsmed.json("edit", "KM-2026-0001", "--la", "Northshire", "--new-la")["local_authority"] == "Northshire"


@pytest.mark.parametrize("command", [["cases"], ["due"], ["schedule", "list"], ["report", "month"],
                                     ["report", "year", "2026"]])
def test_every_la_filter_refuses_an_unknown_la_instead_of_answering_nothing(kidsmed, db_path, command):
    kidsmed.intake("--la", "Westmere")
    result = kidsmed(*command, "--la", "Westmer")
    assert result.exit_code == 0, result.stderr  # a unique start of a registered name
    result = kidsmed(*command, "--la", "Westmre")
    assert (result.exit_code, result.stderr) == (
        2, "Error: 'Westmre' is not a registered local authority — did you mean Westmere? (see 'kidsmed las list')\n")


def test_add_rename_and_retire_are_audited(kidsmed, db_path):
    assert kidsmed.json("las", "add", "Northshire", "--code", "999", "--region", "North East") == {
        "name": "Northshire", "dfe_la_code": "999", "gss_code": None, "region": "North East", "retired": False,
        "retired_on": None}
    taken = kidsmed("las", "add", "northshire")
    assert (taken.exit_code, taken.stderr) == (
        1, "Error: Northshire is already registered under that name or code — see 'kidsmed las list'\n")
    assert kidsmed("las", "add", "Oddshire", "--code", "12").exit_code == 2
    kidsmed.intake("--la", "Northshire")
    renamed = kidsmed("las", "rename", "Northshire", "Northshire Council")
    assert renamed.stdout == ("Renamed it Northshire Council; 1 case now name it so.\n"
                              "Next: see the register with kidsmed las list\n")
    assert kidsmed.json("show", "KM-2026-0001")["local_authority"] == "Northshire Council"
    assert kidsmed.json("cases", "--la", "Northshire")[0]["ref"] == "KM-2026-0001"  # the old name still finds it
    assert kidsmed("las", "retire", "999").stdout.startswith("Retired Northshire Council:")
    refused = log(kidsmed, "Northshire Council")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: Northshire Council has retired from the register")
    assert kidsmed.json("cases", "--la", "Northshire Council")[0]["ref"] == "KM-2026-0001"  # still counted
    assert [(a, json.loads(d).get("name") or json.loads(d).get("new")) for a, d in rows(
        db_path, "SELECT action, detail FROM events WHERE action LIKE 'la-%' ORDER BY id")] == [
        ("la-added", "Northshire"), ("la-renamed", "Northshire Council"), ("la-retired", "Northshire Council")]


def test_an_older_book_gets_the_register_with_its_own_las_by_migration(kidsmed, tmp_path, monkeypatch):
    old = tmp_path / "old.db"
    load(FIXTURES[0], old)
    monkeypatch.setenv("KIDSMED_DB", str(old))
    names = [r["name"] for r in kidsmed.json("las", "list")]
    assert len(names) == 157 and {"Northshire", "Southvale", "Eastborough"} <= set(names)


def test_merge_repairs_a_split_that_an_older_book_has(kidsmed, db_path):
    for _ in range(3):
        kidsmed.intake("--la", "Northshire")
    # As an older kidsmed let them be typed: three spellings of one LA.
    write(db_path, "UPDATE cases SET local_authority = 'Northshir' WHERE id = 2")
    write(db_path, "UPDATE cases SET local_authority = 'northshire' WHERE id = 3")
    split = kidsmed.json("report", "month", "2026-11", "--by-la")
    assert [p["local_authority"] for p in split["by_local_authority"]] == ["Northshir", "Northshire", "northshire"]

    unknown = kidsmed("las", "merge", "Nowhere", "Northshire")
    assert (unknown.exit_code, unknown.stderr) == (3, "Error: no case and no register entry names 'Nowhere' — give "
                                                      "the name exactly as the cases or the register spell it (see "
                                                      "'kidsmed las list')\n")
    assert kidsmed("las", "merge", "Northshir", "Northshire").stdout.startswith(
        "Merged into Northshire: 1 case moved;")
    assert kidsmed("las", "merge", "northshire", "Northshire").stdout.startswith(
        "Merged into Northshire: 1 case moved;")
    joined = kidsmed.json("report", "month", "2026-11", "--by-la")
    assert [(p["local_authority"], p["metrics"]["referrals_received"]) for p in joined["by_local_authority"]] == [
        ("Northshire", 3)]
    timeline = kidsmed.json("show", "KM-2026-0002")["timeline"]
    assert timeline[-1]["detail"]["changes"] == {"local_authority": {"old": "Northshir", "new": "Northshire"}}
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'la-merged'") == [(2,)]


def test_merge_of_two_registered_las_keeps_one_and_the_old_name_finds_it(kidsmed):
    kidsmed("las", "add", "Northshire")
    kidsmed("las", "add", "North Shire")
    kidsmed.intake("--la", "North Shire")
    assert kidsmed.json("las", "merge", "North Shire", "Northshire")["name"] == "Northshire"
    assert "North Shire" not in [r["name"] for r in kidsmed.json("las", "list")]
    assert json.loads(log(kidsmed, "north shire").stdout)["local_authority"] == "Northshire"


def test_a_refused_register_change_changes_nothing(kidsmed, db_path):
    kidsmed.intake("--la", "York")
    before = snapshot(db_path)
    assert kidsmed("las", "rename", "Nowhere", "Somewhere").exit_code == 3
    assert kidsmed("las", "rename", "York", "Barnsley").exit_code == 1
    assert kidsmed("las", "merge", "York", "Nowherexyz").exit_code == 2
    assert snapshot(db_path) == before


@pytest.mark.parametrize("command", [("cases",), ("due",), ("schedule", "list")])
def test_csv_lists_carry_the_dfe_code_beside_the_la_and_json_keeps_the_name(kidsmed, db_path, command):
    """Issue 15 item 5: a spreadsheet of cases, clocks or sessions names each LA as the DfE's returns
    do; an LA registered without a code (a fictional one here) has an empty cell."""
    from bookable import add_people, make_bookable

    add_people(kidsmed)
    for la, at in (("Barnsley", "3/12/2026 10:00"), ("Northshire", "4/12/2026 10:00")):
        ref = make_bookable(kidsmed, db_path, "--la", la)
        assert kidsmed("schedule", "book", ref, "--at", at, "--mediator", "Jo Mediator",
                       "--venue", "Oak Room").exit_code == 0
    header, *lines = csv.reader(io.StringIO(kidsmed(*command, "--format", "csv").stdout))
    at = header.index("local_authority")
    assert header[at + 1] == "dfe_la_code"
    assert sorted(line[at:at + 2] for line in lines) == [["Barnsley", "370"], ["Northshire", ""]]
    listed = kidsmed.json(*command)
    assert sorted(r["local_authority"] for r in listed) == ["Barnsley", "Northshire"]
    assert not any("dfe_la_code" in r for r in listed)
