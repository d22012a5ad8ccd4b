"""The register of local authorities, and an LA as the DfE's returns name it."""

from __future__ import annotations

from kidsmed.render.core import CODE, Column, date_words, listing, say, table, write_csv, write_json

LA_COLUMNS = ("name", "dfe_la_code", "gss_code", "region", "retired")


def la_words(row: dict) -> str:
    """An LA with its DfE code beside it, as the DfE's returns know it: 'Barnsley (370)'."""
    code = row.get("dfe_la_code")
    return f"{row['local_authority']} ({code})" if code else row["local_authority"]


def _la_row(entry: dict) -> dict:
    return {**{c: entry[c] for c in LA_COLUMNS[:-1]}, "retired": bool(entry["retired_on"]),
            "retired_on": entry["retired_on"]}


def la_list(rows: list[dict], fmt: str) -> None:
    """The register of local authorities: `las list --json` rows are DESIGN §4's."""
    retired = any(r["retired_on"] for r in rows)  # a column of blanks would squeeze the regions
    listing([_la_row(r) for r in rows], fmt, (*LA_COLUMNS, "retired_on"), lambda rows: table(
        f"{len(rows)} local authorit{'ies' if len(rows) != 1 else 'y'}",
        [Column("Name"), Column("DfE code", CODE), Column("Region"), *([Column("Retired", CODE)] if retired else [])],
        ([r["name"], r["dfe_la_code"], r["region"], *([date_words(r["retired_on"])] if retired else [])]
         for r in rows),
        "No local authority matches: see them all with 'kidsmed las list'."))


def la_entry(entry: dict, fmt: str, lines: list[str]) -> None:
    """What a register write prints: the lines for people, or the entry for scripts."""
    if fmt == "json":
        write_json(_la_row(entry))
    elif fmt == "csv":
        write_csv((*LA_COLUMNS, "retired_on"), [_la_row(entry)])
    else:
        for line in lines:
            say(line)
