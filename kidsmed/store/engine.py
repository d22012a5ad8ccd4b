"""The storage seam: which engine a case book lives in, and the few things that differ between them.

The store layer writes its SQL once, in SQLite's dialect with `?` and `:name` placeholders, and
talks to the engine only through a `Database` (kidsmed.store.db) holding a connection and one of
the `Engine`s here. An engine says how its transactions begin and how a statement's placeholders
are written; `kidsmed.store.postgres` adapts a psycopg connection to the same small interface
as `sqlite3.Connection`. Imports nothing at load (not even re or dataclasses, 25 ms between
them): `kidsmed --version` asks `is_postgres()` before it shows where the book is.
"""

from __future__ import annotations

POSTGRES_URL_SCHEMES = ("postgresql://", "postgres://")
# A libpq key=value string naming a service (from ~/.pg_service.conf), a host or a database.
CONNINFO_KEYS = ("service=", "host=", "dbname=")


def is_postgres(target: str) -> bool:
    """True when --db or KIDSMED_DB names a PostgreSQL database rather than a SQLite file."""
    return target.startswith(POSTGRES_URL_SCHEMES) or target.lstrip().lower().startswith(CONNINFO_KEYS)


def shown(target: str) -> str:
    """The case book's location as it may be shown or logged: a password never appears
    (staff keep it in ~/.pgpass or PGPASSWORD, but one typed into a URL must not leak)."""
    if not is_postgres(target):
        return target
    import re
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    if not target.startswith(POSTGRES_URL_SCHEMES):
        return re.sub(r"\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)\s*", "", target, flags=re.I).strip()
    parts = urlsplit(target)
    netloc = parts.netloc.rpartition("@")
    if netloc[1]:
        netloc = (netloc[0].partition(":")[0], "@", netloc[2])
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"])
    return urlunsplit(parts._replace(netloc="".join(netloc), query=query))


class Engine:
    """One engine's differences. `numbered`: what `?` becomes (None: the engine reads `?` and
    `:name` itself); `named`: what `:name` becomes, with {} for the name."""

    def __init__(self, name: str, begin_write: str, begin_read: str, greatest: str = "max", like: str = "LIKE",
                 numbered_placeholder: str | None = None, named_placeholder: str | None = None):
        self.name = name
        self.greatest = greatest  # the largest of several values in one row (SQLite: max with 2+ arguments)
        self.like = like  # matching text without regard to case (SQLite's LIKE does, for ASCII)
        self.begin_write, self.begin_read = begin_write, begin_read
        self.numbered_placeholder, self.named_placeholder = numbered_placeholder, named_placeholder

    def sql(self, statement: str) -> str:
        """`statement` written for this engine (placeholders; a literal % where they are %-style)."""
        if self.numbered_placeholder is None:
            return statement
        return _translated(statement, self.numbered_placeholder, self.named_placeholder)


# SQLite: a write transaction takes the write lock at once, so two staff never both read,
# then both write; readers see one snapshot.
SQLITE = Engine("SQLite", begin_write="BEGIN IMMEDIATE", begin_read="BEGIN")
# PostgreSQL: serialisable transactions give the same guarantee between machines.
POSTGRES = Engine("PostgreSQL", begin_write="BEGIN ISOLATION LEVEL SERIALIZABLE",
                  begin_read="BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", greatest="greatest",
                  like="ILIKE",
                  numbered_placeholder="%s", named_placeholder="%({})s")

# Quoted text and identifiers are copied as they are; `?`, `:name` and `%` outside them are
# rewritten (`::type` casts are left alone).
_TOKENS = r"""('(?:[^']|'')*'|"(?:[^"]|"")*")|(::)|(\?(?=\s+IS\s+(?:NOT\s+)?NULL))|(\?)|(?<!:):([A-Za-z_]\w*)|(%)"""
_seen: dict[tuple[str, str, str], str] = {}  # each statement is translated once per command


def _translated(statement: str, numbered: str, named: str) -> str:
    key = (statement, numbered, named)
    if key not in _seen:
        _seen[key] = _translate(statement, numbered, named)
    return _seen[key]


def _translate(statement: str, numbered: str, named: str) -> str:
    import re

    def rewrite(match: re.Match) -> str:
        quoted, cast, tested, question, name, percent = match.groups()
        if quoted or cast:
            return match.group(0)
        if tested:  # `? IS NULL`: PostgreSQL must be told the type of a parameter it only tests
            return numbered + "::text"
        if question:
            return numbered
        if name:
            return named.format(name)
        return "%%" if percent else match.group(0)

    return re.sub(_TOKENS, rewrite, statement)
