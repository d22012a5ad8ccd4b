"""`holidays import` and `holidays add` share one validation, and a hostile file ends in exit 2
(issue 12, item 15): deeply nested JSON ended in RecursionError, and a year-9999 holiday was imported
although `holidays add` refuses it."""

import json
from datetime import date

import pytest
from conftest import checksum

from kidsmed.domain import holidays
from kidsmed.domain.dates import parse_now
from kidsmed.errors import BadInput
from kidsmed.store.db import open_db

FIX = "give GOV.UK's bank-holidays.json (https://www.gov.uk/bank-holidays.json)"


def govuk(*events: dict) -> str:
    return json.dumps({"england-and-wales": {"division": "england-and-wales", "events": list(events)}})


@pytest.fixture
def book(kidsmed, db_path):
    kidsmed.intake()
    return db_path


@pytest.mark.parametrize(("content", "error"), [
    ("[" * 100_000 + "]" * 100_000, f"the file is nested too deeply to be a list of bank holidays — {FIX}"),
    ('{"england-and-wales": {"events": ' + "[" * 50_000 + "]" * 50_000 + "}}",
     f"the file is nested too deeply to be a list of bank holidays — {FIX}"),
    (govuk({"date": "9999-01-04", "title": "Far future"}),
     "the holiday on 9999-01-04 is outside the years kidsmed's calendar covers — give a year from 1900 to 2199"),
    (govuk({"date": "1066-10-14", "title": "Hastings"}),
     "the holiday on 1066-10-14 is outside the years kidsmed's calendar covers — give a year from 1900 to 2199"),
    (govuk({"date": "2029-06-04", "title": "x" * 101}),
     "the holiday name is 101 characters long; the most it may be is 100 — shorten it"),
    (govuk({"date": "2029-06-04", "title": "Bell\x07"}),
     "the holiday name is not plain text — type it again without control characters"),
])
def test_a_file_add_would_refuse_is_refused_whole(kidsmed, book, tmp_path, content, error):
    path = tmp_path / "bank-holidays.json"
    path.write_text(content)
    before = checksum(book)
    result = kidsmed("holidays", "import", str(path))
    assert (result.exit_code, result.stderr) == (2, f"Error: {error}\n")
    assert checksum(book) == before


def test_add_refuses_the_same_year_and_name(kidsmed, book):
    before = checksum(book)
    result = kidsmed("holidays", "add", "4/1/9999", "Far future")
    assert (result.exit_code, result.stderr) == (2, "Error: '4/1/9999' is not a date — give a year from 1900 to 2199\n")
    result = kidsmed("holidays", "add", "4/6/2029", "x" * 101)
    assert (result.exit_code, result.stderr) == (
        2, "Error: the holiday name is 101 characters long; the most it may be is 100 — shorten it\n")
    assert checksum(book) == before


def test_the_library_refuses_the_year_for_add_as_for_import(book):
    db = open_db(book)
    try:
        with pytest.raises(BadInput, match="outside the years kidsmed's calendar covers"):
            holidays.add(db, parse_now("2026-11-26T10:00"), "tester", date(9999, 1, 4), "Far future")
    finally:
        db.close()


def test_a_good_file_still_imports(kidsmed, book, tmp_path):
    path = tmp_path / "bank-holidays.json"
    path.write_text(govuk({"date": "2029-06-04", "title": "Extra bank holiday"}))
    result = kidsmed("holidays", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
