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


def refused(problems: Sequence[RowProblem], loc: Callable[[RowProblem], Loc]) -> ValidationFailed:
    """One validation problem listing each row problem at `loc(problem)`; the detail names the first."""
    first = problems[0]
    error = ValidationFailed(loc(first), first.msg)
    error.errors = [{"loc": list(loc(p)), "msg": p.msg, "type": "value_error"} for p in problems]
    if len(problems) > 1:
        error.detail += f" (and {len(problems) - 1} more)"
    return error
