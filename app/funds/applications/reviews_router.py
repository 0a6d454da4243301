"""HTTP for reviews of applications. Every route is for fund managers and admins only: anyone else gets 403,
on a list and on a single review alike (whether a review exists is not for them to learn either)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import DbSession, FundManager
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.funds.applications import reviews
from app.funds.applications.models import ReviewCreate, ReviewOut, ReviewUpdate

router = APIRouter(prefix="/reviews", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Review", list(reviews.SORT_COLUMNS), "created_at"))]
UNDER_REVIEW = {409: ["application_not_under_review"]}
OWN = {403: ["not_reviewer"]}


@router.get("", name="reviews_list", summary="List reviews", response_model=Page[ReviewOut], responses=CSV_LIST)
def list_reviews(
    request: Request,
    session: DbSession,
    actor: FundManager,
    params: Params,
    application_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    reviewer_id: uuid.UUID | None = None,
) -> Response:
    """Reviews, oldest first, of an application, a round or by a reviewer. Fund managers and admins only; also
    as CSV (one column per criterion)."""
    flt = reviews.ReviewFilter(application_id, round_id, reviewer_id)
    result = reviews.list_page(session, actor, flt, params)
    return list_response(request, page_of(request, result, reviews.SHAPE.render), "reviews")


@router.post(
    "",
    name="reviews_create",
    summary="Review an application",
    status_code=201,
    responses=problems({409: ["duplicate_review", *UNDER_REVIEW[409]]}),
)
def create_review(request: Request, session: DbSession, actor: FundManager, body: ReviewCreate) -> ReviewOut:
    """Score each of the round's review criteria 0–5 (exactly those: an unknown or a missing criterion is 422
    naming it; a round without criteria takes `{}`), recommend and comment. The mean of the scores is kept,
    rounded half up to two decimals. One review per reviewer and application (409 `duplicate_review`), while the
    application is submitted, in review or waiting for more information (409 `application_not_under_review`
    names its status). Fund managers and admins."""
    review = reviews.create(session, actor, body)
    return created(request, review, reviews.SHAPE.one(session, review.id), "reviews_get")  # type: ignore[return-value]


@router.get("/{id}", name="reviews_get", summary="Get a review", response_model=ReviewOut)
def get_review(id: uuid.UUID, session: DbSession, actor: FundManager) -> Response:
    """One review, with an `ETag` for a later If-Match. Fund managers and admins only."""
    review = reviews.get(session, actor, id)
    return answer(reviews.SHAPE.one(session, review.id), review)


@router.patch(
    "/{id}",
    name="reviews_update",
    summary="Change a review",
    response_model=ReviewOut,
    responses=problems({**UNDER_REVIEW, **OWN}),
)
def update_review(
    id: uuid.UUID,
    body: ReviewUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent; `scores` replaces them all and the mean follows. Only the reviewer who wrote it
    (or an admin: 403 `not_reviewer` otherwise), while the application is still under review."""
    review = reviews.get(session, actor, id)
    check_if_match(if_match, review)
    reviews.update(session, actor, review, body)
    with_etag(response, review)
    return reviews.SHAPE.one(session, review.id)


@router.delete(
    "/{id}",
    name="reviews_delete",
    summary="Withdraw a review",
    status_code=204,
    responses=problems({**UNDER_REVIEW, **OWN}),
)
def delete_review(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Withdraw a review. Only the reviewer who wrote it (or an admin), while the application is still under
    review."""
    review = reviews.get(session, actor, id)
    check_if_match(if_match, review)
    reviews.remove(session, actor, review)
    return Response(status_code=204)
