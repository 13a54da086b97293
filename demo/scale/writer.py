"""Fast inserts for seed_scale: rows in, inserted in chunks, with primary keys chosen here.

On PostgreSQL the rows go through ``COPY … FROM STDIN`` (psycopg2's ``copy_expert``), about ten
times faster than INSERTs for the million-row tables; elsewhere (SQLite in the tests) through
``executemany`` of one INSERT, in chunks. Either way every column is written, as ``bulk_create``
would write it, except that the timestamps given are kept (``auto_now`` would overwrite them
with the time of loading, and the list pages sort by them).

Row values are what a model instance holds: plaintext ID numbers, lists for JSON fields. An
``EncryptedIDField`` is encrypted here and an ``IDDigestField`` computed from its source, as the
fields do on save (``portal.core.crypto``). Nothing is disabled: constraints and indexes are in
place while loading, and Django's foreign keys are checked at commit (they are deferrable).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from collections import Counter, deque
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

from portal.core.crypto import EncryptedIDField, IDDigestField, encrypt_id, id_digest

CHUNK_ROWS = 20_000
ID_BLOCK = 10_000

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]").search


def _text(value) -> str:
    """A string in COPY's text format (the converter of text columns: the most frequent)."""
    if value is None:
        return "\\N"
    return value.translate(_ESCAPE) if _SPECIAL(value) else value


def _any(value) -> str:
    """Any other value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dt.date):  # dates and aware datetimes
        return value.isoformat()
    return str(value)


def _int(value) -> str:
    return "\\N" if value is None else str(value)


def _bool(value) -> str:
    return "\\N" if value is None else "t" if value else "f"


def _day(value) -> str:
    return "\\N" if value is None else value.isoformat()


def _json(value) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


def _encrypted(value) -> str:
    return _text(encrypt_id(value) if value else value)


def _converter(field: models.Field):
    if isinstance(field, EncryptedIDField):
        return _encrypted
    if isinstance(field, models.JSONField):
        return _json
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "FileField", "ImageField"):
        return _text
    if kind.endswith(("IntegerField", "AutoField")) or isinstance(field, models.ForeignKey):
        return _int
    if kind == "BooleanField":
        return _bool
    if kind in ("DateField", "DateTimeField", "TimeField"):
        return _day
    return _any


class _Table:
    def __init__(self, model: type[models.Model], postgres: bool):
        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk
        self.postgres = postgres
        self.buffer: list = []
        self.ids: deque[int] = deque()
        self.last_id: int | None = None
        self.sequence: str | None = None
        # Values a row may leave out: a static default is computed once; a callable one (a
        # random public id), a timestamp and an ID digest per row, in `complete`.
        self.static: dict[str, object] = {}
        self.dynamic: list[models.Field] = []
        self.digests: list[IDDigestField] = []
        for field in self.fields:
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if field.primary_key:
                continue
            if isinstance(field, IDDigestField):
                self.digests.append(field)
            elif stamped or (field.has_default() and callable(field.default)):
                self.dynamic.append(field)
            else:
                self.static[field.attname] = field.get_default()
        self.columns = [
            (field.attname, _converter(field), self.static.get(field.attname))
            for field in self.fields
        ]

    def complete(self, row: dict) -> None:
        for field in self.dynamic:
            if field.attname not in row:
                stamped = isinstance(field, models.DateTimeField) and not field.has_default()
                row[field.attname] = timezone.now() if stamped else field.get_default()
        for field in self.digests:
            if field.attname not in row:
                row[field.attname] = id_digest(row.get(field.source) or "")

    def encode(self, row: dict):
        self.complete(row)
        get = row.get
        if self.postgres:
            return "\t".join(
                [convert(get(name, default)) for name, convert, default in self.columns]
            )
        return tuple(
            field.get_db_prep_save(get(field.attname, self.static.get(field.attname)), connection)
            for field in self.fields
        )


class BulkWriter:
    """Collects rows per model and inserts them in chunks; `add` returns the new row's pk."""

    def __init__(self, chunk: int = CHUNK_ROWS):
        self.postgres = connection.vendor == "postgresql"
        self.chunk = chunk
        self._tables: dict[type[models.Model], _Table] = {}
        self.inserted: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # spent in the database, per model

    def _table(self, model) -> _Table:
        table = self._tables.get(model)
        if table is None:
            table = self._tables[model] = _Table(model, self.postgres)
        return table

    def new_id(self, model) -> int:
        table = self._table(model)
        if not table.ids:
            self._reserve(table)
        return table.ids.popleft()

    def _reserve(self, table: _Table) -> None:
        with connection.cursor() as cursor:
            if self.postgres:
                # nextval() hands these ids to this transaction alone, whoever else inserts.
                if table.sequence is None:
                    cursor.execute(
                        "SELECT pg_get_serial_sequence(%s, %s)", [table.table, table.pk.column]
                    )
                    table.sequence = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)", [table.sequence, ID_BLOCK]
                )
                table.ids.extend(row[0] for row in cursor.fetchall())
                return
            if table.last_id is None:
                quote = connection.ops.quote_name
                cursor.execute(
                    f"SELECT COALESCE(MAX({quote(table.pk.column)}), 0) FROM {quote(table.table)}"
                )
                table.last_id = cursor.fetchone()[0]
        table.ids.extend(range(table.last_id + 1, table.last_id + 1 + ID_BLOCK))
        table.last_id += ID_BLOCK

    def add(self, model, **row) -> int:
        table = self._table(model)
        pk = row.get(table.pk.attname)
        if pk is None:
            pk = row[table.pk.attname] = self.new_id(model)
        table.buffer.append(table.encode(row))
        if len(table.buffer) >= self.chunk:
            self._flush(table)
        return pk

    def flush(self) -> None:
        for table in self._tables.values():
            self._flush(table)

    def _flush(self, table: _Table) -> None:
        if not table.buffer:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in table.fields)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.postgres:
                data = io.StringIO("\n".join(table.buffer) + "\n")
                cursor.copy_expert(f"COPY {quote(table.table)} ({columns}) FROM STDIN", data)
            else:
                marks = ", ".join(["%s"] * len(table.fields))
                cursor.executemany(
                    f"INSERT INTO {quote(table.table)} ({columns}) VALUES ({marks})",
                    table.buffer,
                )
        self.inserted[table.model._meta.label] += len(table.buffer)
        self.seconds[table.model._meta.label] += time.perf_counter() - started
        table.buffer = []


@contextmanager
def indexes_built_after(*models_: type[models.Model]):
    """On PostgreSQL, load the tables of `models_` without their secondary indexes and foreign
    keys, then build those in bulk (the PostgreSQL manual, "Populating a Database"): a sorted
    index build and one join per foreign key instead of an index insertion and a trigger per
    row. Primary keys and unique constraints stay in place. The drops and the rebuilds are in
    the caller's transaction: if the load fails, they roll back with it, and the tables are
    locked against other sessions until it commits. Elsewhere, nothing changes.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    rebuild = []
    with connection.cursor() as cursor:
        for model in models_:
            table = quote(model._meta.db_table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                rebuild.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                rebuild.insert(0, definition)  # indexes first: the foreign key checks use them
    yield
    with connection.cursor() as cursor:
        # Check the foreign keys of the rows loaded meanwhile now, so that no trigger event is
        # pending on the tables the constraints are added to.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in rebuild:
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
