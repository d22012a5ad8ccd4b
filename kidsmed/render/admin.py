"""What `check` and `retention` show."""

from __future__ import annotations

from collections.abc import Sequence

from kidsmed.domain.vocab import label
from kidsmed.render.core import CODE, TEXT, Column, date_words, say, show, table, write_csv, write_json

PROBLEM_COLUMNS = ("check", "ref", "problem")


def problems(found: list, checks: Sequence[str], fmt: str, book: str) -> None:
    """What `kidsmed check` found: a table, or "No problems found."; JSON says which checks ran.
    Both name the book, whose identity is in every calendar event it exports."""
    rows = [{"check": p.check, "ref": p.ref, "problem": p.problem} for p in found]
    if fmt == "json":
        write_json({"ok": not rows, "book": book, "checks": list(checks), "problems": rows})
        return
    if fmt == "csv":
        write_csv(PROBLEM_COLUMNS, rows)
        return
    if rows:
        show(table(f"{len(rows)} problem{'s' if len(rows) != 1 else ''} found",
                   (Column("Check", CODE), Column("Case", CODE), Column("Problem", TEXT)),
                   ([r["check"], r["ref"] or "—", r["problem"]] for r in rows), ""))
    else:
        say("No problems found.")
    say(f"Book identity: {book} (in the id of every calendar event).")


RETENTION_COLUMNS = ("ref", "kind", "closed_on", "closed_reason")


def retention(review, fmt: str, summary: str) -> None:
    """The closed cases past retention (anonymised or about to be), after a line that sums them up."""
    if fmt == "json":
        write_json({"cutoff": review.cutoff.isoformat(), "years": review.years,
                    "applied": review.applied, "cases": review.cases})
    elif fmt == "csv":
        write_csv(RETENTION_COLUMNS, review.cases)
    else:
        say(summary)
        if review.cases:
            show(table(None, (Column("Ref", CODE), Column("Kind", CODE), Column("Closed on", CODE),
                              Column("Reason", CODE)),
                       ([c["ref"], label(c["kind"]), date_words(c["closed_on"]), label(c["closed_reason"])]
                        for c in review.cases), ""))
