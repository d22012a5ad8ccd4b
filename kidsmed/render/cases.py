"""The screens of a case: the list of cases, and one whole case."""

from __future__ import annotations

from kidsmed.domain.dates import session_span
from kidsmed.domain.vocab import label
from kidsmed.domain.workflow import PARTY_SHORT
from kidsmed.render.core import (
    CODE,
    COUNT,
    TEXT,
    Column,
    date_words,
    panel,
    safe_text,
    show,
    table,
    when,
    write_csv,
    write_json,
)

CASE_LIST_COLUMNS = ("ref", "received_on", "kind", "status", "referrer_role",
                     "local_authority", "dfe_la_code", "family", "child", "issues", "owner",
                     "chase_on", "chase_what", "chase_party")


def case_list(rows: list[dict], total: int, fmt: str) -> None:
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(CASE_LIST_COLUMNS, ({**row, **chase_columns(row["chase"])} for row in rows))
    else:
        title = f"{total:,} case{'s' if total != 1 else ''}"
        if len(rows) < total:
            title += f", newest {len(rows):,} shown (--limit N or --all for more)"
        show(table(
            title,
            # Kind, referrer, issues, owner and chase are in --json and --format csv (`cases --mine`
            # or `--owner NAME` lists one person's); on a narrow terminal the child goes, then the LA.
            (Column("Ref", CODE), Column("Received", CODE), Column("Status", CODE), Column("Family"),
             Column("Child", drop=2), Column("LA", drop=1)),
            ([r["ref"], date_words(r["received_on"]), label(r["status"]), r["family"], r["child"],
              r["local_authority"]] for r in rows),
            "No cases match.",
        ))


CASE_CSV_COLUMNS = ("ref", "kind", "status", "next_step", "received_at", "local_authority",
                    "setting", "issues", "decision_date", "consent", "closed", "owner",
                    "chase_on", "chase_what", "chase_party")


def case(view: dict, fmt: str) -> None:
    """One whole case: `show REF` and every write command's echo."""
    if fmt == "json":
        write_json(view)
    elif fmt == "csv":
        flat = {**view, **chase_columns(view["chase"]), "consent": view["consent"]["status"],
                "closed": view["closed"]["reason"] if view["closed"] else ""}
        write_csv(CASE_CSV_COLUMNS, [flat])
    else:
        show(*case_panels(view))


def case_panels(view: dict) -> list:
    referrer = view["referrer"]
    family = view["family"]
    summary = [(heading, value) for heading, value in (
        ("Status", label(view["status"])),
        ("Next", "\n".join(filter(None, (view["next_step"], view.get("next_command"))))),
        ("Owner", view["owner"] or "nobody yet: kidsmed assign REF NAME"),
        ("Chase", chase_words(view["chase"])),
        ("Kind", label(view["kind"])),
        ("Received", when(view["received_at"])),
        ("Referrer", " · ".join(safe_text(v) for v in (label(referrer["role"]), referrer["name"],
                                                  referrer["organisation"], referrer.get("phone")) if v)),
        ("Family", " · ".join(safe_text(v) for v in (family["name"], family["relationship"],
                                                family["phone"], family["email"]) if v)),
        ("Address", family.get("address")),
        ("Contact by", family.get("preferred_contact")),
        ("Child", " · ".join(safe_text(v) for v in (view["child"]["name"],
                                               date_words(view["child"]["date_of_birth"])) if v)),
        ("LA", view["local_authority"]),
        ("Setting", view["setting"]),
        ("Issues", ", ".join(map(label, view["issues"]))),
        # The decision date is the day written notice of the LA's decision was sent (reg 33).
        ("LA decision sent", date_words(view["decision_date"]) or "not known"),
        ("Consent", _consent_line(view["consent"])),
        ("Must agree", ", ".join(map(label, view["required_parties"]))),
        ("Closed", view["closed"] and f"{date_words(view['closed']['on'])} ({label(view['closed']['reason'])})"),
    ) if value]
    numbers = {s["id"]: s["number"] for s in view["sessions"]}
    return [
        panel(view["ref"], pairs=summary),
        table("Agreements", (Column("Party", CODE), Column("Answer", CODE), Column("On", CODE), Column("Contact")),
              ([label(a["party"]), label(a["answer"]), date_words(a["on"]), a["contact"]] for a in view["agreements"]),
              "Agreements: none recorded yet."),
        table("Clocks", (Column("Rule", CODE), Column("State", CODE), Column("Due", CODE),
                         Column("Where it stands", TEXT)),
              ([c["rule"], label(c["state"]), date_words(c["due_on"]), c["description"]]
               for c in [*view["clocks"], *filter(None, [view.get("appeal_window")])]),
              "Clocks: none running."),
        table("Sessions", (Column("#", COUNT), Column("When", CODE), Column("Mediator"),
                           Column("Venue", drop=1), Column("Status", CODE)),
              ([s["number"], session_span(s), s["mediator"], s["venue"], label(s["outcome"] or s["status"])]
               for s in view["sessions"]),
              "Sessions: none booked."),
        table("Certificates", (Column("Number", CODE), Column("Type", CODE), Column("Due", CODE, drop=2),
                               Column("Issued", CODE), Column("Appeal by", CODE, drop=1)),
              ([c["number"], label(c["type"]), date_words(c["due_on"]), date_words(c["issued_on"]),
                date_words(c["appeal_deadline"])] for c in view["certificates"]),
              "Certificates: none issued."),
        table("Timeline", (Column("When", CODE), Column("Who", drop=1), Column("What", CODE),
                           Column("Details", TEXT)),
              ([when(e["at"]), e["user"], label(e["action"]), _event_words(e, numbers)] for e in view["timeline"]),
              "Timeline: empty."),
    ]


def chase_columns(chase: dict | None) -> dict:
    """The chase as flat CSV columns."""
    chase = chase or {}
    return {"chase_on": chase.get("on"), "chase_what": chase.get("what"), "chase_party": chase.get("party")}


def chase_words(chase: dict | None) -> str | None:
    """"Fri 4 Dec 2026 · LA · ask the LA for its answer (default)"."""
    if not chase:
        return None
    words = " · ".join(safe_text(v) for v in (date_words(chase["on"]), PARTY_SHORT.get(chase["party"]),
                                          chase["what"]) if v)
    return words + (" (default)" if chase["default"] else "")


def _consent_line(consent: dict) -> str:
    words = label(consent["status"])
    if consent["on"]:
        details = ", ".join(safe_text(v) for v in (consent["by"], consent["relationship"], consent["method"]) if v)
        words += f" on {date_words(consent['on'])}" + (f" ({details})" if details else "")
    return words


def _event_words(event: dict, session_numbers: dict[int, int]) -> str:
    """An event's details; a session is named by its number within the case, as people read it."""
    detail = event["detail"]
    if detail.get("session") in session_numbers:
        detail = {**detail, "session": session_numbers[detail["session"]]}
    parts = [f"{k}: {_detail_value(v)}" for k, v in detail.items() if v not in (None, [], {})]
    parts += [f"{c['field']}: {safe_text(c['old']) or '—'} → {safe_text(c['new']) or '—'}" for c in event["changes"]]
    if event["note"]:
        parts.append(f"note: {safe_text(event['note'])}")
    return "; ".join(parts)


def _detail_value(value) -> str:
    if isinstance(value, dict) and set(value) >= {"old", "new"}:
        return f"{value['old']} → {value['new']}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_detail_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
