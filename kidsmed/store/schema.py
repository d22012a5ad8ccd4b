"""The schema, as an append-only list of named steps.

Kept free of imports so that opening a database can tell whether anything is
pending (one PRAGMA) without loading sqlite_utils; `kidsmed.store.migrations`
turns these steps into a `sqlite_utils.Migrations` set when something is.
Never edit a released step: append a new one.
"""

# Personal values (names, contact details, dates of birth, settings, notes) live only in
# `case_personal`, `notes`, `personal_history` and the named columns of `consents`,
# so that erasure has a short, known list of places to clear.
INITIAL = """
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,          -- UTC ISO 8601
    received_on TEXT NOT NULL,          -- Europe/London date, for daily and monthly views
    referrer_role TEXT NOT NULL,
    referrer_org TEXT,
    local_authority TEXT NOT NULL,
    other_party TEXT,
    issues TEXT NOT NULL,               -- JSON list of issue codes
    decision_date TEXT,
    consent_status TEXT NOT NULL,       -- not-needed | awaiting | given | refused | withdrawn
    closed_on TEXT,
    closed_reason TEXT,
    erased_at TEXT,
    appeal_lodged_on TEXT,
    created_by TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX cases_status_received ON cases (status, received_on);
CREATE INDEX cases_received ON cases (received_on);
CREATE INDEX cases_la_received ON cases (local_authority, received_on);
CREATE INDEX cases_closed ON cases (closed_on);

CREATE TABLE case_personal (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    referrer_name TEXT,
    family_name TEXT,
    relationship TEXT,
    phone TEXT,
    email TEXT,
    child_name TEXT,
    child_dob TEXT,
    setting TEXT
);

CREATE TABLE personal_history (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    event_id INTEGER NOT NULL REFERENCES events (id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX personal_history_case ON personal_history (case_id);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    event_id INTEGER NOT NULL REFERENCES events (id),
    text TEXT
);
CREATE INDEX notes_case ON notes (case_id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    answer TEXT NOT NULL,               -- given | refused | withdrawn
    given_by TEXT,                      -- personal: cleared on erasure
    relationship TEXT,
    method TEXT,
    on_date TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note TEXT                           -- personal: cleared on erasure
);
CREATE INDEX consents_case ON consents (case_id);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    party TEXT NOT NULL,
    answer TEXT NOT NULL,               -- yes | no
    contact TEXT,
    on_date TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note TEXT                           -- cleared on erasure
);
CREATE INDEX agreements_case ON agreements (case_id, party);

CREATE TABLE clocks (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    rule TEXT NOT NULL,
    start_event TEXT NOT NULL,          -- plain words: "family declined"
    started_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    state TEXT NOT NULL,                -- running | met | stopped (met-late, breached are derived)
    met_on TEXT
);
CREATE INDEX clocks_state_due ON clocks (state, due_on);
CREATE INDEX clocks_case ON clocks (case_id);

CREATE TABLE mediators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email TEXT,
    phone TEXT,
    retired_on TEXT
);

CREATE TABLE venues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    address TEXT,
    retired_on TEXT
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    start TEXT NOT NULL,                -- Europe/London wall time with offset
    end TEXT NOT NULL,
    start_utc TEXT NOT NULL,            -- for ordering and clash checks
    end_utc TEXT NOT NULL,
    mediator_id INTEGER NOT NULL REFERENCES mediators (id),
    venue_id INTEGER REFERENCES venues (id),
    remote TEXT,                        -- video | phone
    la_officer TEXT,
    status TEXT NOT NULL,               -- booked | held | did-not-proceed | cancelled
    outcome TEXT,                       -- agreement | partial | no-agreement | adjourned | did-not-proceed
    outcome_on TEXT,                    -- Europe/London date the outcome happened
    booked_at TEXT NOT NULL,            -- UTC ISO 8601
    booked_by TEXT NOT NULL,
    force_reason TEXT,                  -- why a warning was overridden with --force
    cancelled_at TEXT,                  -- UTC ISO 8601
    cancel_reason TEXT
);
CREATE INDEX sessions_start ON sessions (start_utc);
CREATE INDEX sessions_mediator_start ON sessions (mediator_id, start_utc);
CREATE INDEX sessions_venue_start ON sessions (venue_id, start_utc);
CREATE INDEX sessions_case ON sessions (case_id);

CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    number TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,                 -- declined | after-mediation | deemed
    due_on TEXT,
    issued_on TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    on_time INTEGER NOT NULL,
    appeal_deadline TEXT NOT NULL,
    appeal_rule TEXT NOT NULL,
    reissue_of INTEGER REFERENCES certificates (id),
    reissue_reason TEXT
);
CREATE INDEX certificates_case ON certificates (case_id);
CREATE INDEX certificates_issued ON certificates (issued_on);

CREATE TABLE holidays (
    date TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- bank-holiday | closure
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (date, kind)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit trail. Never holds a personal value (see case_personal, personal_history).
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                   -- UTC ISO 8601
    user TEXT NOT NULL,
    case_id INTEGER REFERENCES cases (id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'   -- JSON: before → after of non-personal fields
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_at ON events (at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""

# The day's report lists past sessions still without an outcome: without this index it
# would read every session ever booked.
ISSUE6_SESSIONS_STATUS_START = """
CREATE INDEX sessions_status_start ON sessions (status, start_utc);
"""

# `kidsmed check` asks, for each clock, whether its case has a matching clock-started event,
# and finds the backups kidsmed made (events with no case): both look events up by case and action.
EVENTS_BY_CASE_AND_ACTION = """
CREATE INDEX events_case_action ON events (case_id, action);
"""

# The monthly counts read a stock (open cases at a month's end) and cancellations by date:
# covering indexes keep both to index-only reads however many years the book holds.
MONTHLY_COUNTS = """
CREATE INDEX cases_la_closed ON cases (local_authority, closed_on);
CREATE INDEX sessions_status_cancelled ON sessions (status, cancelled_at);
"""

# References are never handed out twice. A restore puts back a book that may have issued fewer
# than the one it replaces: the highest number each year reached in any replaced book is kept
# here, and numbering carries on after it.
ISSUED_REFERENCES = """
CREATE TABLE issued_references (
    year INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
"""

STEPS: list[tuple[str, str]] = [
    ("m001_initial", INITIAL),
    ("m002_issue6_sessions_status_start", ISSUE6_SESSIONS_STATUS_START),
    ("m003_issue7_events_case_action", EVENTS_BY_CASE_AND_ACTION),
    ("m004_monthly_counts", MONTHLY_COUNTS),
    ("m005_issued_references", ISSUED_REFERENCES),
]
