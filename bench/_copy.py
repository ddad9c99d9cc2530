"""Bulk loading through PostgreSQL COPY with ids chosen by the caller.

The generator needs the ids of the rows it creates (filings point at services, status changes
at filings), and `bulk_create` returning ids is about ten times slower than COPY. So each
`Table` hands out ids from `MAX(id) + 1`, buffers rows as tuples in column order (fields left
out take the model's default, NULL or ""), writes them with `COPY ... FROM STDIN` and moves
the identity sequence past the last id at the end.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db import connection, models
from django.utils import timezone

FLUSH_ROWS = 50_000


def _text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetime included: isoformat keeps the offset
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Table:
    """Rows of one model (an auto-created M2M model too) waiting for COPY."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        now = timezone.now()
        self.fields: list[str] = []
        self.columns: list[str] = []
        self.defaults: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            self.fields.append(field.attname)
            self.columns.append(field.column)
            self.defaults[field.attname] = self._default(field, now)
        self.rows: list[tuple] = []
        self.count = 0
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608
            self.next_id: int = cursor.fetchone()[0] + 1

    @staticmethod
    def _default(field: models.Field, now: datetime.datetime) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        return ""  # blank text; a missing required value fails in COPY, as it should

    def add(self, **values: Any) -> int:
        """Buffer one row; returns its id."""
        unknown = values.keys() - self.defaults.keys()
        if unknown:
            raise TypeError(f"{self.model.__name__}: unknown fields {sorted(unknown)}")
        row_id = self.next_id
        self.next_id += 1
        row = tuple(values[f] if f in values else self.defaults[f] for f in self.fields)
        self.rows.append((row_id, *row))
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()
        return row_id

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ["id", *self.columns]
        buffer = io.StringIO()
        for row in self.rows:
            buffer.write("\t".join(_text(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        sql = 'COPY "{}" ({}) FROM STDIN'.format(
            self.model._meta.db_table, ", ".join(f'"{c}"' for c in columns)
        )
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)  # psycopg2's cursor under Django's wrapper
        self.count += len(self.rows)
        self.rows = []

    def finish(self) -> int:
        """Write what is left and move the id sequence past the rows written."""
        self.flush()
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - model table
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))',
                [f'"{table}"'],
            )
        return self.count
