"""Re-encrypt every stored ciphertext under the first FIELD_ENCRYPTION_KEY (rotate_pii_key).

Each column of `pii.encrypted_columns()` is read raw in primary-key batches; each batch is
locked and rewritten in its own transaction with plain UPDATEs (no save(): no signals, no
timestamps, no audit rows for what is not a change of data). A value the first key already
opens keeps its ciphertext; its blind index is recomputed only when it differs. So an
interrupted run keeps what its finished batches did, and a re-run skips them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from . import pii


@dataclass
class ColumnCounts:
    label: str
    rows: int = 0  # non-empty values seen
    reencrypted: int = 0
    current: int = 0  # already under the first key
    indexes: int = 0  # blind indexes recomputed
    unreadable: int = 0  # no configured key opens them: left as they are

    def line(self, *, dry_run: bool) -> str:
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        return (
            f"{self.label}: {self.rows} values, {verb} {self.reencrypted}, "
            f"{self.current} already under the first key, {self.indexes} blind indexes "
            f"{'to recompute' if dry_run else 'recomputed'}, {self.unreadable} unreadable"
        )


def _batch(
    column: pii.EncryptedColumn,
    counts: ColumnCounts,
    *,
    after: Any,
    size: int,
    dry_run: bool,
    using: str,
) -> Any:
    """Rotate one batch after primary key `after`; the last primary key done, None at the end."""
    meta = column.model._meta
    conn = connections[using]
    qn = conn.ops.quote_name
    pk, value = column.db_column(meta.pk.name if meta.pk else "pk"), column.db_column()
    index = column.db_column(column.index_field) if column.index_field else None
    selected = ", ".join(qn(c) for c in (pk, value, index) if c)
    lock = " FOR UPDATE" if conn.features.has_select_for_update and not dry_run else ""
    where = f"WHERE {qn(pk)} > %s " if after is not None else ""
    sql = (
        f"SELECT {selected} FROM {qn(meta.db_table)} {where}"  # noqa: S608 (model names)
        f"ORDER BY {qn(pk)} LIMIT %s{lock}"
    )
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute(sql, [after, size] if after is not None else [size])
        rows = cursor.fetchall()
        for row in rows:
            key, token = row[0], row[1]
            stored_index = row[2] if index else None
            if not token:
                continue
            counts.rows += 1
            rotated = pii.reencrypt(token)
            if rotated is None:
                counts.unreadable += 1
                continue
            updates: dict[str, str] = {}
            if rotated.changed:
                counts.reencrypted += 1
                updates[value] = rotated.token
            else:
                counts.current += 1
            if index:
                new_index = pii.blind_index(rotated.plain)
                if new_index != stored_index:
                    counts.indexes += 1
                    updates[index] = new_index
            if updates and not dry_run:
                assignments = ", ".join(f"{qn(c)} = %s" for c in updates)
                cursor.execute(
                    f"UPDATE {qn(meta.db_table)} SET {assignments} "  # noqa: S608
                    f"WHERE {qn(pk)} = %s",
                    [*updates.values(), key],
                )
    return rows[-1][0] if len(rows) == size else None


def rotate_keys(
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    using: str = "default",
    report: Callable[[str], None] = lambda line: None,
) -> list[ColumnCounts]:
    """Re-encrypt and re-index every encrypted column under the first key; counts per column."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    results = []
    for column in pii.encrypted_columns():
        counts = ColumnCounts(column.label)
        after: Any = None
        batches = 0
        while True:
            after = _batch(
                column, counts, after=after, size=batch_size, dry_run=dry_run, using=using
            )
            batches += 1
            if after is None:
                break
        report(counts.line(dry_run=dry_run) + f" ({batches} batches)")
        results.append(counts)
    return results
