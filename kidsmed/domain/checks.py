"""What `kidsmed check` checks: the database's own integrity, and the rules a case book keeps.

`CHECKS` is the list: each check has a name, the rule it guards in plain words, and a
function that finds the cases breaking it. A part of kidsmed that adds a rule adds a check.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass

from kidsmed.domain import workflow
from kidsmed.domain.vocab import SELF_REFERRER_ROLES
from kidsmed.errors import KidsmedError
from kidsmed.store import book as book_store
from kidsmed.store import checks as store
from kidsmed.store.db import Database

# Problems listed per check; past that, one line says there are more.
SHOWN = 100
# Computers' clocks drift and are corrected: an event a few minutes "earlier" than the one
# before it is noise, more than this is a clock set wrong (or KIDSMED_NOW set back).
CLOCK_SKEW_MINUTES = 5
# Clocks that rightly keep running after a case closes: the certificate is still owed,
# the agreed actions are still due, and the family's appeal deadline still stands.
RUN_AFTER_CLOSING = ("certificate-after-decline", "certificate-deemed", "certificate-after-mediation",
                     "agreement-actions", "appeal-deadline")
# Where a case referred by someone else has been: each means the family consented.
PAST_CONSENT = ("awaiting-agreement", "ready-to-book", "booked")
CLOSED_PAST_CONSENT = ("mediation-concluded", "other-party-declined")
# How many of the backups kidsmed made are looked at.
BACKUPS_LOOKED_AT = 100
# The triggers that make the database refuse to change the audit trail, and what each refuses.
AUDIT_GUARDS = {"events_no_update": "change", "events_no_delete": "delete", "events_no_reuse": "reuse the id of"}
# What to do about a broken audit trail: find out who, then go back to a book that can be trusted.
AUDIT_FIX = "the file was changed outside kidsmed — see 'Keeping the data safe' in docs/admin.md"

Found = list[tuple[str | None, str]]  # (case reference or None, what is wrong)


@dataclass(frozen=True)
class Problem:
    check: str
    ref: str | None
    problem: str


@dataclass(frozen=True)
class Check:
    name: str
    rule: str
    find: Callable[[Database, int], Found]
    files: bool = False  # about the files on disk and where they lie, not about what they hold


def _integrity(db: Database, limit: int) -> Found:
    return [(None, message) for message in store.integrity(db, limit)]


def _references(db: Database, limit: int) -> Found:
    return [(None, f"{row['table']} row {row['rowid']} points to a missing {row['parent']} row")
            for row in store.broken_references(db, limit)]


def _booked_without_agreement(db: Database, limit: int) -> Found:
    found = []
    for case in store.booked_cases(db):
        if missing := workflow.missing_parties(case, case["answers"]):
            found.append((case["ref"], "a session is booked but "
                          + ", ".join(workflow.PARTY_WORDS[p] for p in missing) + " has not agreed"))
    return found[:limit]


def _concluded_without_certificate_clock(db: Database, limit: int) -> Found:
    return [(ref, "the mediation concluded but no certificate-after-mediation clock was started")
            for ref in store.closed_without_clock(db, "mediation", "mediation-concluded",
                                                  "certificate-after-mediation", limit)]


def _clock_without_start(db: Database, limit: int) -> Found:
    return [(row["ref"], f"the {row['rule']} clock from {row['started_on']} has no clock-started "
             "event in the audit trail") for row in store.clocks_without_start_event(db, limit)]


def _closed_with_running_clocks(db: Database, limit: int) -> Found:
    return [(row["ref"], f"closed on {row['closed_on']} but its {row['rule']} clock is still running")
            for row in store.running_clocks_of_closed_cases(db, RUN_AFTER_CLOSING, limit)]


def _events_out_of_order(db: Database, limit: int) -> Found:
    return [(row["ref"], f"event {row['id']} at {row['at']} is earlier than the event before it "
             f"({row['previous_at']}): a computer's clock was wrong, or KIDSMED_NOW was set back")
            for row in store.events_back_in_time(db, CLOCK_SKEW_MINUTES, limit)]


def _audit_chain(db: Database, limit: int) -> Found:
    return [(row["ref"], f"{_break_words(row)}: {AUDIT_FIX}") for row in store.chain_breaks(db, limit)]


def _break_words(row: dict) -> str:
    if row["broken"] == "missing":
        gone = row["id"] - row["missing_from"]
        ids = f"event {row['missing_from']}" if gone == 1 else f"events {row['missing_from']}–{row['id'] - 1}"
        return f"{ids} before event {row['id']} ({row['action']}, {row['at']}) {'is' if gone == 1 else 'are'} missing"
    event = f"event {row['id']} ({row['action']}, {row['at']})"
    if row["broken"] == "unhashed":
        return f"{event} has no hash: it was put in the audit trail by hand, not by kidsmed"
    return f"{event} does not match its hash: it was changed, or put in, after it was recorded"


def _audit_guards(db: Database, limit: int) -> Found:
    present = store.audit_guards(db)
    return [(None, f"the trigger {name}, which makes the database refuse to {verb} an audit event, "
             f"is missing: {AUDIT_FIX}")
            for name, verb in AUDIT_GUARDS.items() if "RAISE(ABORT" not in present.get(name, "")][:limit]


def _erased_values_back(db: Database, limit: int) -> Found:
    return [(row["ref"], f"anonymised on {row['erased_at'][:10]} but personal values are back in {row['place']}: "
             + AUDIT_FIX)
            for row in store.erased_but_holding(db, limit)]


def _consent_missing(db: Database, limit: int) -> Found:
    return [(row["ref"], f"{row['status']} but the family's consent is "
             + (row["answer"] or "not recorded"))
            for row in store.consent_not_given(db, SELF_REFERRER_ROLES, PAST_CONSENT,
                                               CLOSED_PAST_CONSENT, limit)]


def _files_open_to_others(db: Database, limit: int) -> Found:
    backups = store.backup_files(db, BACKUPS_LOOKED_AT)
    found = []
    for entry in store.file_modes(db, backups):
        found += [(None, problem) for problem in (
            owner_problem(entry), file_problem(entry["path"], entry["mode"], entry["folder"], entry["shared"]))
            if problem]
    return found[:limit]


def owner_problem(entry: dict) -> str | None:
    """Whether someone else owns a file or folder of a case book that is not a staff group's:
    its owner can read and change every case, whatever its mode says."""
    if entry["mine"] or entry["shared"]:
        return None
    where = f"{entry['via']} is a link to {entry['path']}, which" if entry["via"] else entry["path"]
    return (f"{where} belongs to {entry['owner']}, not to you: they can read and change every case — "
            "keep the case book in a folder of your own, or in a staff group's folder (docs/admin.md)")


def _partial_copies(db: Database, limit: int) -> Found:
    return [(None, f"{path} was left by a backup or restore that was stopped and may hold every child's "
             "data — delete it (the next kidsmed backup does)")
            for path in store.partial_files(db, store.backup_files(db, BACKUPS_LOOKED_AT))][:limit]


def _companions_read_only(db: Database, limit: int) -> Found:
    """A -wal or -shm file its owner may not write beside a database they may: left by reading the
    book while it was read-only, it makes SQLite refuse every change after the book is chmod-ed back."""
    modes = {entry["path"]: entry["mode"] for entry in store.file_modes(db, [])}
    book = next((path for path in modes if f"{path}-wal" in modes or f"{path}-shm" in modes), None)
    if book is None or not modes[book] & 0o200:
        return []
    return [(None, f"{path} is mode {modes[path]:04o} but the database is {modes[book]:04o}: every change will "
             f"be refused as 'read-only' — chmod {modes[book]:o} {path}")
            for path in (f"{book}-wal", f"{book}-shm") if path in modes and not modes[path] & 0o200][:limit]


def file_problem(path: str, mode: int, folder: bool, shared: bool) -> str | None:
    """What is wrong with a file's or folder's permissions, if anything.

    Private means 0600 files in a 0700 folder; a folder set up for a group of staff
    (setgid, e.g. 2770) may give its group 0660 files. Nobody else may have any access.
    """
    wanted = (0o2770 if folder else 0o660) if shared else (0o700 if folder else 0o600)
    if mode & 0o007:
        who = "other users"
    elif mode & 0o070 and not shared:
        who = "its group"
    else:
        return None
    return (f"{path} is mode {stat.filemode(mode)[1:]} ({mode:04o}): {who} can open it — "
            f"chmod {wanted:o} {path}")


CHECKS: tuple[Check, ...] = (
    Check("integrity", "every page and index of the file reads back correctly", _integrity),
    Check("references", "every row points to rows that exist", _references),
    Check("booked-without-agreement", "a session is booked only when every required party has agreed",
          _booked_without_agreement),
    Check("certificate-clock", "a concluded mediation has its certificate-after-mediation clock",
          _concluded_without_certificate_clock),
    Check("clock-start-event", "every clock has its clock-started event in the audit trail",
          _clock_without_start),
    Check("closed-running-clocks", "a closed case runs no clock but the certificate, agreed-actions "
          "and appeal ones", _closed_with_running_clocks),
    Check("audit-chain", "every audit event follows from the one before it: none was changed, removed or "
          "put in by hand", _audit_chain),
    Check("audit-guards", "the database refuses to change, delete or reuse an audit event", _audit_guards),
    Check("erased-values", "an anonymised case holds no personal value", _erased_values_back),
    Check("event-order", f"audit events never go back in time by more than {CLOCK_SKEW_MINUTES} minutes",
          _events_out_of_order),
    Check("consent", "a case referred by someone else moves past awaiting-consent only with the "
          "family's consent", _consent_missing),
    Check("file-permissions", "the database, its -wal and -shm files, its folder and its backups are "
          "yours and open to nobody else", _files_open_to_others, files=True),
    Check("partial-copies", "no partial copy of the case book, left by a stopped backup or restore, lies "
          "beside it or its backups", _partial_copies, files=True),
    Check("companion-files", "the -wal and -shm files can be written whenever the database can",
          _companions_read_only, files=True),
)
# What a backup must pass before it is restored: where its file lies does not matter.
CONTENT_CHECKS = tuple(check for check in CHECKS if not check.files)


def book_identity(db: Database) -> str:
    """The book's random identity, made when it was created: two books never share one."""
    return book_store.identity(db)


def run(db: Database, checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    """Every problem found, check by check; a check the database cannot answer is a problem too."""
    problems = []
    for check in checks:
        try:
            found = check.find(db, SHOWN + 1)
        except KidsmedError as exc:
            found = [(None, f"could not be run: {exc}")]
        problems += [Problem(check.name, ref, text) for ref, text in found[:SHOWN]]
        if len(found) > SHOWN:
            problems.append(Problem(check.name, None, f"more than {SHOWN} problems of this kind: "
                                    "put these right and run kidsmed check again"))
    return problems
