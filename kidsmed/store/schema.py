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

# The register of local authorities (`kidsmed las`). A case keeps its LA's name (DESIGN §4), so
# the register is what a typed name is checked against. Filled by kidsmed.store.las.fill: the
# shipped English list, then every LA an older book's cases already name.
LOCAL_AUTHORITIES = """
CREATE TABLE local_authorities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    official_name TEXT,
    dfe_la_code TEXT,                   -- three digits, as in the DfE's returns (SEN2)
    gss_code TEXT,                      -- ONS, e.g. E06000009
    region TEXT,
    type TEXT,
    alt_names TEXT NOT NULL DEFAULT '', -- other spellings, comma-separated
    retired_on TEXT
);
"""

# Issue 17, "my caseload": who handles each case and when to chase whom next. The owner and the
# chase date are staff facts, not personal ones; what to chase is free text, so it lives in
# case_personal, which erasure clears. `chase_auto` marks the default chase kidsmed set (5 working
# days after the last contact), which a later contact may move but a chase staff set never is.
# `last_contact_on` is the last day anyone was in touch (the call, an answer, a chase made, a
# note), so that a waiting case nobody has touched for a fortnight shows up; existing cases
# take it from what they already record. Existing cases keep no owner until someone is
# assigned: `report day` lists them.
CASELOAD = """
ALTER TABLE cases ADD COLUMN owner TEXT;
ALTER TABLE cases ADD COLUMN chase_on TEXT;
ALTER TABLE cases ADD COLUMN chase_party TEXT;
ALTER TABLE cases ADD COLUMN chase_auto INTEGER;               -- 1: the default, not set by staff
ALTER TABLE cases ADD COLUMN last_contact_on TEXT;
ALTER TABLE case_personal ADD COLUMN chase_what TEXT;
UPDATE cases SET last_contact_on = max(
    received_on,
    coalesce((SELECT max(on_date) FROM consents WHERE case_id = cases.id), ''),
    coalesce((SELECT max(on_date) FROM agreements WHERE case_id = cases.id), ''));
CREATE INDEX cases_owner_status_received ON cases (owner, status, received_on);
CREATE INDEX cases_owner_received ON cases (owner, received_on);
CREATE INDEX cases_chase ON cases (chase_on);
CREATE INDEX cases_owner_chase ON cases (owner, chase_on);
CREATE INDEX cases_status_contact ON cases (status, last_contact_on);
"""

# A mediator's calendar (issue 16). Sessions are numbered within their case, as people read
# them ("session 2 of KM-2026-0862"), by the database itself as each is inserted. `sequence`
# rises with every change, so a calendar program importing the export again takes the new
# version of the event; `session_moves` keeps where a moved session was, so an export of any
# period it was once in still carries it. The book's random identity keeps event ids apart
# between books (the training book's export must not replace a live event).
CALENDAR = """
ALTER TABLE sessions ADD COLUMN number INTEGER;
UPDATE sessions SET number = (SELECT count(*) FROM sessions earlier
                              WHERE earlier.case_id = sessions.case_id AND earlier.id <= sessions.id);
CREATE UNIQUE INDEX sessions_case_number ON sessions (case_id, number);
CREATE TRIGGER sessions_numbered AFTER INSERT ON sessions WHEN NEW.number IS NULL
BEGIN
    UPDATE sessions SET number = (SELECT coalesce(max(number), 0) + 1 FROM sessions WHERE case_id = NEW.case_id)
    WHERE id = NEW.id;
END;
ALTER TABLE sessions ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET sequence = (SELECT count(*) FROM events
    WHERE events.case_id = sessions.case_id
    AND events.action IN ('session-moved', 'session-cancelled', 'session-outcome')
    AND json_extract(events.detail, '$.session') = sessions.id);
CREATE TABLE session_moves (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    from_utc TEXT NOT NULL                  -- where it started before the move
);
CREATE INDEX session_moves_from ON session_moves (from_utc);
INSERT INTO session_moves (session_id, from_utc)
    SELECT json_extract(detail, '$.session'),
           strftime('%Y-%m-%dT%H:%M:%S+00:00', json_extract(detail, '$.start.old'))
    FROM events WHERE action = 'session-moved';
CREATE TABLE book (
    identity TEXT NOT NULL                  -- random, made once, when the book is created
);
INSERT INTO book (identity) VALUES (lower(hex(randomblob(8))));
"""

# The audit trail becomes tamper-evident: each event gets the hash that chains it to the one before
# (kidsmed.store.events; the events already there are chained when this step runs). And no insert
# may reuse an event id: REPLACE removes the old row without firing the delete trigger. (SQLite
# gives a BEFORE INSERT trigger -1 for an id it has yet to choose.)
EVENTS_HASH_CHAIN = """
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE TRIGGER events_no_reuse BEFORE INSERT ON events
WHEN NEW.id BETWEEN 0 AND (SELECT max(id) FROM events) OR EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'an audit event id is never reused'); END;
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

# What a call-back and a letter need (issue 15): personal, so beside the other contact details.
CONTACT_DETAILS = """
ALTER TABLE case_personal ADD COLUMN referrer_phone TEXT;
ALTER TABLE case_personal ADD COLUMN address TEXT;
ALTER TABLE case_personal ADD COLUMN preferred_contact TEXT;
"""

STEPS: list[tuple[str, str]] = [
    ("m001_initial", INITIAL),
    ("m002_issue6_sessions_status_start", ISSUE6_SESSIONS_STATUS_START),
    ("m003_issue7_events_case_action", EVENTS_BY_CASE_AND_ACTION),
    ("m004_monthly_counts", MONTHLY_COUNTS),
    ("m005_local_authorities", LOCAL_AUTHORITIES),
    ("m006_issue17_caseload", CASELOAD),
    ("m007_issue16_calendar", CALENDAR),
    ("m008_events_hash_chain", EVENTS_HASH_CHAIN),
    ("m009_issued_references", ISSUED_REFERENCES),
    ("m010_issue15_contact_details", CONTACT_DETAILS),
]
