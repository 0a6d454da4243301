"""Inserting many rows fast: the bulk write of values (store.py) puts half a million rows into three tables in
under a minute on both databases. SQLAlchemy's executemany costs about as much per row in Python as the database
does; here each column's bind processor runs once per value (once per column when every row shares the value),
and the rows go in by PostgreSQL's COPY or one plain executemany. Ids follow one another, so that the rows land
at the end of each index on an id rather than on random pages of it."""

import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, insert

BULK_CACHE_KIB = 256 * 1024  # SQLite's page cache while a batch is written: memory is taken only as pages are read


@contextmanager
def cache_for_bulk(conn: Connection) -> Iterator[None]:
    """SQLite's page cache (2 MB by default) for the length of a large write: every value adds to a dozen indexes
    keyed by random ids, and once those outgrow the cache each insert reads its pages from disk again (a
    150 000-value import took twice the time per value of a 50 000 one)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB:d}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000):d}")


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows of plain values, without SQLAlchemy's per-row work (a third of the time of a large
    import): each column's bind processor once per value, then PostgreSQL's COPY, or one executemany elsewhere."""
    if not rows:
        return
    names = [c.key for c in table.c if c.key in rows[0]]  # the table's order: the order of the compiled INSERT
    columns_of_values = []
    for name in names:  # column by column: one map() per column is far cheaper than a test per value
        process = table.c[name].type._cached_bind_processor(conn.dialect)
        column = [row[name] for row in rows]
        if process and column.count(column[0]) == len(column):  # the same moment or actor in every row
            column = [process(column[0])] * len(column)
        elif process:
            column = list(map(process, column))
        columns_of_values.append(column)
    values = list(zip(*columns_of_values, strict=True))
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "postgresql":
        columns = ", ".join(quote(n) for n in names)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    if compiled.positiontup is not None and list(compiled.positiontup) != names:  # not so far: kept safe
        at = [names.index(key) for key in compiled.positiontup]
        values = [tuple(value[i] for i in at) for value in values]
    conn.exec_driver_sql(compiled.string, values)


def ordered_ids() -> Iterator[uuid.UUID]:
    """Ids that follow one another (the layout of UUID version 7: the time in milliseconds, then a random start
    counted up): a batch's rows land at the end of each index on an id instead of at random pages of it, which
    is most of the cost of inserting half a million values into SQLite."""
    ms = time.time_ns() // 1_000_000
    counter = secrets.randbits(73)  # 74 bits of room: a batch can never run out
    while True:
        counter += 1
        high, low = counter >> 62, counter & ((1 << 62) - 1)
        yield uuid.UUID(int=(ms << 80) | (0x7 << 76) | (high << 64) | (0b10 << 62) | low)
