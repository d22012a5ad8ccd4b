"""kidsmed cases and kidsmed show: finding a case and reading it whole."""

import csv
import io


def _log_three(kidsmed, env_now):
    env_now("2026-11-02T09:15:00")
    kidsmed.intake("--family", "Sam Example", "--la", "Northshire")
    env_now("2026-11-10T11:00:00")
    kidsmed.intake("--family", "Robin Sample", "--la", "Southvale", "--referrer-role", "school",
                   "--referrer-org", "Oak Tree Primary")
    env_now("2026-11-20T14:30:00")
    kidsmed.intake("--family", "Ash Specimen", "--la", "Northshire", "--kind", "disagreement-resolution",
                   "--other-party", "setting")


def test_cases_are_newest_first_and_filter(kidsmed, env_now):
    _log_three(kidsmed, env_now)
    assert [c["ref"] for c in kidsmed.json("cases")] == ["KM-2026-0003", "KM-2026-0002", "KM-2026-0001"]
    assert [c["ref"] for c in kidsmed.json("cases", "--la", "northshire")] == ["KM-2026-0003", "KM-2026-0001"]
    assert [c["ref"] for c in kidsmed.json("cases", "--status", "awaiting-consent")] == ["KM-2026-0002"]
    assert [c["ref"] for c in kidsmed.json("cases", "--kind", "disagreement-resolution")] == ["KM-2026-0003"]
    assert [c["ref"] for c in kidsmed.json("cases", "--from", "3/11/2026", "--to", "20/11/2026")] == [
        "KM-2026-0003", "KM-2026-0002"]
    assert [c["ref"] for c in kidsmed.json("cases", "--search", "oak tree")] == ["KM-2026-0002"]
    assert [c["ref"] for c in kidsmed.json("cases", "--search", "Specimen")] == ["KM-2026-0003"]
    assert [c["ref"] for c in kidsmed.json("cases", "--search", "2026-0001")] == ["KM-2026-0001"]


def test_empty_list_is_an_empty_json_list_and_one_line_in_a_table(kidsmed):
    assert kidsmed.json("cases") == []
    assert kidsmed("cases").stdout == "No cases match.\n"


def test_unknown_status_is_bad_input(kidsmed):
    result = kidsmed("cases", "--status", "open")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'open' is not a known status — use one of: awaiting-consent, ")


def test_csv_cells_never_run_as_formulas(kidsmed):
    kidsmed.intake("--family", "=HYPERLINK(\"http://x\")", "--child", "+1", "--la", "@LA")
    result = kidsmed("cases", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["family"] == "'=HYPERLINK(\"http://x\")"
    assert row["child"] == "'+1"
    assert row["local_authority"] == "'@LA"


def test_markup_and_control_characters_are_shown_literally(kidsmed):
    kidsmed.intake("--family", "[red]Sam[/red]", "--child", "Alex\x1b[2J")
    out = kidsmed("show", "KM-2026-0001").stdout
    assert "[red]Sam[/red]" in out
    assert "\x1b" not in out and "Alex?[2J" in out


def test_show_prints_the_whole_case(kidsmed):
    kidsmed.intake("--referrer-role", "school", "--referrer-org", "Oak Tree Primary", "--setting", "Oak Tree Primary")
    kidsmed("note", "KM-2026-0001", "Head teacher called")
    out = kidsmed("show", "KM-2026-0001").stdout
    for expected in ("KM-2026-0001", "Awaiting consent", "record the parent's or young person's consent",
                     "Northshire", "Refusal to assess", "Agreements: none recorded yet.",
                     "Sessions: none booked.", "Certificates: none issued.", "Intake", "Head teacher called"):
        assert expected in out


def test_show_unknown_case(kidsmed):
    result = kidsmed("show", "KM-2025-0001")
    assert (result.exit_code, result.stderr) == (
        3, "Error: there is no case KM-2025-0001 — check the reference with 'kidsmed cases --search'\n")


def test_unknown_format_is_bad_input(kidsmed):
    result = kidsmed("cases", "--format", "xml")
    assert (result.exit_code, result.stderr) == (
        2, "Error: 'xml' is not an output format here — use one of: table, json, csv\n")


def test_the_list_is_limited_to_the_newest_and_says_so(kidsmed, env_now):
    _log_three(kidsmed, env_now)
    assert [c["ref"] for c in kidsmed.json("cases", "--limit", "2")] == ["KM-2026-0003", "KM-2026-0002"]
    assert len(kidsmed.json("cases", "--limit", "2", "--all")) == 3
    assert kidsmed("cases", "--limit", "2").stdout.startswith(
        "3 cases, newest 2 shown (--limit N or --all for more)")
    result = kidsmed("cases", "--limit", "0")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --limit must be from 1 to 100,000 — or use --all to list every case\n")
