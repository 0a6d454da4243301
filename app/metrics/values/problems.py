"""A refused batch of values (store.RowsRefused) as ONE 422 naming every problem where the client sent it: a
body field of one value, `["body", "values", i, field]` of a JSON import, `["body", "line", n, column]` of a CSV
file. Each way in gives its own `loc`; the answer's shape is the same."""

from collections.abc import Callable, Sequence

from app.core.errors import ValidationFailed
from app.metrics.values.store import RowProblem

Loc = tuple[str | int, ...]

# The store names a row's indicator "indicator" (it has only the resolved id); the client sent one of these.
INDICATOR = "indicator"


def field_name(field: str, *, by_code: bool) -> str:
    """The request field (or CSV column) a store problem's `field` stands for."""
    if field == INDICATOR:
        return "indicator_code" if by_code else "indicator_id"
    return field


# A 422 lists at most this many problems (a file of 500 000 bad rows is not answered with all of them).
MAX_LISTED = 1000


def refused(problems: Sequence[RowProblem], loc: Callable[[RowProblem], Loc]) -> ValidationFailed:
    """One 422 listing each row problem at `loc(problem)` (the first MAX_LISTED), in the rows' order; the detail
    counts the bad rows and names the first problem. Nothing was written."""
    ordered = sorted(problems, key=lambda p: p.index)
    first = ordered[0]
    error = ValidationFailed(loc(first), first.msg)
    error.errors = [{"loc": list(loc(p)), "msg": p.msg, "type": "value_error"} for p in ordered[:MAX_LISTED]]
    bad_rows = len({p.index for p in ordered})
    rows = "1 bad row" if bad_rows == 1 else f"{bad_rows} bad rows"
    more = f"; the first {MAX_LISTED} problems are listed" if len(ordered) > MAX_LISTED else ""
    error.detail = f"{rows}, nothing was written{more}. First: {error.detail}"
    return error
