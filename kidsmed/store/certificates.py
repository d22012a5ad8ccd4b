"""Stored mediation certificates."""

from kidsmed.store.db import Database

COLUMNS = ("case_id", "number", "type", "due_on", "issued_on", "issued_by", "on_time",
           "appeal_deadline", "appeal_rule", "reissue_of", "reissue_reason")


def for_case(db: Database, case_id: int) -> list[dict]:
    """The case's certificates, first issued first."""
    return [dict(r) for r in db.query("SELECT * FROM certificates WHERE case_id = ? ORDER BY id", (case_id,))]


def set_appeal(db: Database, certificate_id: int, deadline: str, rule: str) -> None:
    """The family's appeal deadline on a certificate, worked out again (calendar or decision date changed)."""
    db.execute("UPDATE certificates SET appeal_deadline = ?, appeal_rule = ? WHERE id = ?",
               (deadline, rule, certificate_id))


def insert(db: Database, certificate: dict) -> int:
    return db.execute(
        f"INSERT INTO certificates ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
        tuple(certificate.get(column) for column in COLUMNS),
    ).lastrowid
