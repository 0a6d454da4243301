"""Free text on lists (`q=`): part of any of the fields a list declares, whatever the case, å/ä/ö kept apart.

Each list declares its fields once (`TextFields`) and its router takes `q` as a documented query parameter.
Case is folded on both sides the same way on both databases: by Python's `str.lower` on SQLite (a function
registered on each connection) and by `lower` on PostgreSQL, after `translate` for the letters beyond ASCII,
which `lower` leaves as they are when the database's locale is C.
"""

import sqlite3
from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Query
from sqlalchemy import or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Text

from app.core.text import nfc

# Mapped columns (SQLModel's `col(Model.field)`) searched by a list's `q`.
TextFields = Sequence[Any]
MAX_LENGTH = 200
SQLITE_LOWER = "samverkan_lower"
# Upper-case letters of the Latin blocks (Latin-1 and Extended-A and -B) whose lower case is one letter.
_UPPER = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper() and len(c.lower()) == 1 and c.lower() != c)
_LOWER = "".join(c.lower() for c in _UPPER)
Stmt = TypeVar("Stmt", bound=Select[Any])


def text_query(fields: str) -> Any:
    """The `q` parameter of a list, saying which fields it searches."""
    return Query(
        min_length=1,
        max_length=MAX_LENGTH,
        description=f"Part of the {fields}; case does not matter, å/ä/ö do.",
    )


class _Lowered(FunctionElement[str]):
    """A column in lower case, the same on both databases."""

    type = Text()
    inherit_cache = True


@compiles(_Lowered, "sqlite")
def _lowered_sqlite(element: _Lowered, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_LOWER}({compiler.process(element.clauses, **kw)})"


@compiles(_Lowered)
def _lowered_default(element: _Lowered, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower(translate({compiler.process(element.clauses, **kw)}, '{_UPPER}', '{_LOWER}'))"


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def register_sqlite_functions(connection: sqlite3.Connection) -> None:
    connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)


def matching(stmt: Stmt, fields: TextFields, q: str | None) -> Stmt:
    """`stmt` narrowed to rows where any of `fields` holds `q`."""
    if not q or not q.strip():
        return stmt
    needle = nfc(q.strip()).lower()
    return stmt.where(or_(*(_Lowered(field).contains(needle, autoescape=True) for field in fields)))
