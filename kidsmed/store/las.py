"""The register of local authorities, and the cases that name them."""

import csv
import io

from kidsmed.resources import read_data
from kidsmed.store.db import Database

COLUMNS = ("name", "official_name", "dfe_la_code", "gss_code", "region", "type", "alt_names")
SHIPPED = "english-local-authorities.csv"


def fill(conn) -> None:
    """The migration's second half: the shipped register, then any LA an older book's cases name."""
    fill_shipped(conn)
    conn.execute("INSERT OR IGNORE INTO local_authorities (name)"
                 " SELECT DISTINCT local_authority FROM cases ORDER BY local_authority")


def fill_shipped(conn) -> None:
    """The shipped register of English local authorities, into an empty table."""
    rows = csv.DictReader(io.StringIO(read_data(SHIPPED)))
    marks = ", ".join("?" for _ in COLUMNS)
    conn.executemany(f"INSERT INTO local_authorities ({', '.join(COLUMNS)}) VALUES ({marks})",
                     ([row[c] or None if c != "alt_names" else row[c] for c in COLUMNS] for row in rows))


def entries(db: Database) -> list[dict]:
    """Every registered LA, retired ones too, by name."""
    return [dict(r) for r in db.query(
        f"SELECT id, {', '.join(COLUMNS)}, retired_on FROM local_authorities ORDER BY name COLLATE NOCASE")]


def insert(db: Database, values: dict) -> int:
    columns = [c for c in COLUMNS if values.get(c) is not None]
    marks = ", ".join("?" for _ in columns)
    return db.execute(f"INSERT INTO local_authorities ({', '.join(columns)}) VALUES ({marks})",
                      tuple(values[c] for c in columns)).lastrowid


def update(db: Database, la_id: int, changes: dict) -> None:
    assignments = ", ".join(f"{column} = ?" for column in changes if column in (*COLUMNS, "retired_on"))
    db.execute(f"UPDATE local_authorities SET {assignments} WHERE id = ?", (*changes.values(), la_id))


def delete(db: Database, la_id: int) -> None:
    db.execute("DELETE FROM local_authorities WHERE id = ?", (la_id,))


def cases_naming(db: Database, name: str) -> list[tuple[int, str]]:
    """(id, LA as stored) of the cases whose LA is `name`, however its letters are cased."""
    return [tuple(r) for r in db.query(
        "SELECT id, local_authority FROM cases WHERE local_authority = ? COLLATE NOCASE ORDER BY id", (name,))]


def rename_on_cases(db: Database, case_ids: list[int], name: str) -> None:
    db.executemany("UPDATE cases SET local_authority = ? WHERE id = ?", ((name, i) for i in case_ids))


def names_on_cases(db: Database) -> list[str]:
    """Every LA name the cases use, spelt as stored."""
    return [r[0] for r in db.query("SELECT DISTINCT local_authority FROM cases")]
