"""The one way resources are read: plain rows, related ids gathered in the row's own statement, and the output
built as plain data and written as JSON once, with no ORM object and no model validated per row.

A resource describes its output once, as a `Shape`: which SQL expression gives each field of its output model.
Lists (app.core.pagination), single reads and the protocol read all select through it.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_json
from sqlalchemy import Text, TypeDecorator, bindparam, select
from sqlalchemy.engine import Dialect, Result, Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Executable, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session
from starlette.responses import Response

Convert = Callable[[Any], Any]


class _IdList(TypeDecorator[list[uuid.UUID]]):
    """A list of ids from `id_array`: PostgreSQL gives a uuid[], SQLite the 32-digit hex ids joined by commas."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> list[uuid.UUID]:
        if not value:
            return []
        if isinstance(value, str):
            return [uuid.UUID(v) for v in value.split(",")]
        return list(value)


class _IdArray(ColumnElement[list[uuid.UUID]]):
    inherit_cache = True
    type = _IdList()
    # The inner select is part of the statement's cache key, and its bound values are the statement's.
    _traverse_internals = [("inner", InternalTraversal.dp_clauseelement)]

    def __init__(self, inner: Select[Any]) -> None:
        self.inner = inner.with_only_columns(inner.selected_columns[0].label("v")).scalar_subquery()


@compiles(_IdArray, "postgresql")
def _id_array_postgresql(element: _IdArray, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ARRAY{compiler.process(element.inner, **kw)}"


@compiles(_IdArray, "sqlite")
def _id_array_sqlite(element: _IdArray, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps the inner ORDER BY when it aggregates a subquery in FROM; 3.44 would also take
    # `group_concat(v, ',' ORDER BY …)`, but Python 3.11 may bring an older SQLite. Ids hold no comma, and a split
    # costs a fraction of parsing JSON.
    return f"(SELECT group_concat(v, ',') FROM {compiler.process(element.inner, **kw)})"  # noqa: S608 - compiled SQL


def id_array(inner: Select[Any]) -> ColumnElement[list[uuid.UUID]]:
    """The ids `inner` selects (one column, correlated to the outer row, in its own order), as one value of the
    outer row: related ids come in the page's own statement, not in a query per row or an ORM load."""
    return _IdArray(inner)


def execute(session: Session, stmt: Executable, params: Mapping[str, Any] | None = None) -> Result[Any]:
    """Run a read of plain columns on the session's connection (its transaction), past the ORM: the ORM's row
    loading costs more than the query itself when no object is wanted. `params`: values of the statement's
    `bindparam`s, for a statement built once and run many times (building one and computing its cache key cost
    more than running it on a small read)."""
    return session.connection().execute(stmt, params)


@dataclass(frozen=True)
class Shape:
    """How one resource's output is read: an SQL expression per field of its output model, in the model's order
    (the JSON keeps that order), and a conversion for the few fields whose stored form differs from the shown one
    (a UTC time shown in Stockholm time)."""

    model: Any  # the table model: its id, timestamps and soft-delete mark
    out: type[BaseModel]
    columns: Mapping[str, ColumnElement[Any]]
    convert: Mapping[str, Convert] = field(default_factory=dict)

    def select(self) -> Select[Any]:
        return select(*(expr.label(name) for name, expr in self.columns.items()))

    def render(self, row: Row[Any] | Mapping[str, Any]) -> dict[str, Any]:
        values = row._mapping if isinstance(row, Row) else row
        out = {name: values[name] for name in self.columns}
        for name, conv in self.convert.items():
            value = out[name]
            if value is not None:
                out[name] = conv(value)
        return out

    def rows(self, session: Session, stmt: Select[Any]) -> list[dict[str, Any]]:
        return [self.render(row) for row in execute(session, stmt)]

    def one(self, session: Session, ident: uuid.UUID) -> dict[str, Any]:
        """The output of one stored object (after a write, in the same transaction, or for a GET)."""
        session.flush()  # sessions do not autoflush (app.core.db): a write must be seen by the read after it
        return self.render(execute(session, self.select().where(self.model.id == ident)).one())


def shape(
    model: Any,
    out: type[BaseModel],
    *,
    computed: Mapping[str, ColumnElement[Any]] | None = None,
    convert: Mapping[str, Convert] | None = None,
    columns: Mapping[str, ColumnElement[Any]] | None = None,
) -> Shape:
    """The shape of `out` read from `model`'s table: each output field is the column of the same name unless
    `computed` gives its expression (related ids, a range, a joined name). A field with neither is a mistake
    found at import time, not a missing key in an answer."""
    computed = dict(computed or {})
    table_columns = dict(columns or model.__table__.c)
    exprs: dict[str, ColumnElement[Any]] = {}
    for name in out.model_fields:
        if name in computed:
            exprs[name] = computed.pop(name)
        elif name in table_columns:
            exprs[name] = table_columns[name]
        else:
            raise TypeError(f"{out.__name__}.{name}: no column of {model.__name__} and no computed expression")
    if computed:
        raise TypeError(f"{out.__name__}: computed fields it does not have: {', '.join(computed)}")
    return Shape(model, out, exprs, dict(convert or {}))


# The bound parameter of a statement `attach` runs: the ids of the rows it fills.
RELATED_TO: BindParameter[Any] = bindparam("related_to", expanding=True)


def attach(
    session: Session, rows: list[dict[str, Any]], field: str, stmt: Executable, key: str, value: str | None = None
) -> list[dict[str, Any]]:
    """Fill `field` of each rendered row with what one statement reads for all of them (a page's presenters,
    document links, former names, aliases), in the statement's order: `stmt` selects where its `key` column is in
    `RELATED_TO`. Each related row comes as a dict without `key`, or only its `value` column when one is named."""
    groups: dict[Any, list[Any]] = {row["id"]: [] for row in rows}
    if groups:
        for related in execute(session, stmt, {"related_to": list(groups)}):
            values = dict(related._mapping)
            owner = values.pop(key)
            groups[owner].append(values[value] if value else values)
    for row in rows:
        row[field] = groups[row["id"]]
    return rows


class JSONBody(Response):
    """An answer written once from plain data (dicts, lists, ids, times, enums): FastAPI returns a Response as it
    is, so the output model is not built nor validated a second time. The route's `response_model` stays the
    contract, and the contract tests check the answers against it."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return to_json(content)
