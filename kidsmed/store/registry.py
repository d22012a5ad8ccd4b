"""The mediators and venues a session can be booked with."""

from kidsmed.store.db import Database

# Registry table → the contact columns it keeps beside the name.
DETAILS = {"mediators": ("email", "phone"), "venues": ("address",)}
# The sessions column that points at each registry.
SESSION_COLUMN = {"mediators": "mediator_id", "venues": "venue_id"}


def _table(table: str) -> str:
    if table not in DETAILS:
        raise ValueError(f"{table!r} is not a registry")
    return table


def entries(db: Database, table: str) -> list[dict]:
    """Everyone in the registry, retired too, by name."""
    columns = ", ".join(("id", "name", *DETAILS[_table(table)], "retired_on"))
    return [dict(r) for r in db.query(f"SELECT {columns} FROM {table} ORDER BY name COLLATE NOCASE")]


def insert(db: Database, table: str, name: str, details: dict) -> int:
    columns = ("name", *DETAILS[_table(table)])
    marks = ", ".join("?" for _ in columns)
    values = (name, *(details.get(c) for c in columns[1:]))
    return db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values).lastrowid


def update_details(db: Database, table: str, entry_id: int, details: dict) -> None:
    """Change an entry's contact details; its booked sessions' calendar events change with them."""
    columns = [c for c in details if c in DETAILS[_table(table)]]
    db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
               (*(details[c] for c in columns), entry_id))
    db.execute(f"UPDATE sessions SET sequence = sequence + 1 WHERE {SESSION_COLUMN[table]} = ?"
               " AND status = 'booked'", (entry_id,))


def retire(db: Database, table: str, entry_id: int, on: str) -> None:
    db.execute(f"UPDATE {_table(table)} SET retired_on = ? WHERE id = ?", (on, entry_id))


def booked_from(db: Database, table: str, entry_id: int, start_utc: str) -> int:
    """How many booked sessions this mediator or venue has from `start_utc` on."""
    column = SESSION_COLUMN[_table(table)]
    return db.scalar(
        f"SELECT count(*) FROM sessions WHERE {column} = ? AND start_utc >= ? AND status = 'booked'",
        (entry_id, start_utc),
    )
