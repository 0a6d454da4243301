"""HTTP for full-text search."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.core.deps import DbSession, Reader
from app.core.http import CSV_LIST, list_response
from app.core.pagination import Page, whole_list
from app.search import service
from app.search.models import SearchHit, SearchKind

router = APIRouter(prefix="/search", tags=["search"])


@router.get(
    "",
    name="search_query",
    summary="Ranked full-text search over cases, items, decisions and documents",
    response_model=Page[SearchHit],
    responses=CSV_LIST,
)
def search(
    request: Request,
    session: DbSession,
    _actor: Reader,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find (Swedish-aware).")],
    kind: Annotated[list[SearchKind] | None, Query()] = None,
    body_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="The best hits; refine the query for others.")] = 20,
) -> Response:
    """Ranked full-text search over cases, agenda items, decisions and documents, with Swedish stemming and
    highlighted snippets. Filter by kind, body and year. Any reader."""
    flt = service.SearchFilter(q, kind, body_id, year)
    hits = service.search(session, flt, limit)
    return list_response(request, whole_list(request, hits, limit=limit), "search")
