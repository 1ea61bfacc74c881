"""Sign-off records as stored: read back in chain order, as plain rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.schema import SignoffRecord
from registry.signoff import Record


def read_records(session: Session, *where: Any) -> list[Record]:
    """The records matching `where` (all of them by default) in sequence order; plain rows,
    not ORM objects, which would cost seconds on a chain of 100,000."""
    columns = [getattr(SignoffRecord, name) for name in Record.__dataclass_fields__]
    query = select(*columns).where(*where).order_by(col(SignoffRecord.seq))
    return [Record(*row) for row in session.connection().execute(query)]
