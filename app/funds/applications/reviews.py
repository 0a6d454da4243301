"""Rules for reviews: a fund manager scores each of the round's criteria 0–5 (exactly those, each once),
recommends grant, partial or reject, and comments. One live review per reviewer and application, written while
the application is under review (submitted, in review or waiting for more information); after the decision the
reviews are part of the record and stay as they are. Only fund managers and admins see or write reviews: the
routes refuse everyone else by role (403), so an applicant's editor never learns even whether a review exists.

A review keeps the mean of its scores, so that the application's mean score is one SQL aggregate."""

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.auth.models import Principal
from app.core import crud
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.money import CENT
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import shape
from app.core.text import clean
from app.funds.applications.models import (
    Application,
    ApplicationStatus,
    Review,
    ReviewCreate,
    ReviewOut,
    ReviewUpdate,
)
from app.funds.models import Round

KIND = "fund_review"
S = ApplicationStatus
# Reviews are written (and changed or withdrawn) only while the application waits for its decision.
UNDER_REVIEW = frozenset({S.submitted, S.in_review, S.more_info_requested})
SORT_COLUMNS: SortColumns = {"created_at": col(Review.created_at), "updated_at": col(Review.updated_at)}
SHAPE = shape(
    Review,
    ReviewOut,
    computed={
        "round_id": select(Application.round_id).where(Application.id == Review.application_id).scalar_subquery(),
        "reviewer_name": select(Principal.display_name).where(Principal.id == Review.reviewer_id).scalar_subquery(),
    },
)


@dataclass(frozen=True)
class ReviewFilter:
    application_id: uuid.UUID | None = None
    round_id: uuid.UUID | None = None
    reviewer_id: uuid.UUID | None = None


def require_manager(actor: Actor) -> None:
    """Only fund managers and admins (who hold every role) see or write reviews."""
    actor.require(Role.fund_manager)


def get(session: Session, actor: Actor, ident: uuid.UUID) -> Review:
    require_manager(actor)
    return crud.get_live(session, Review, ident, KIND)


def list_page(session: Session, actor: Actor, flt: ReviewFilter, params: ListParams) -> PageResult:
    require_manager(actor)
    stmt = SHAPE.select()
    if flt.application_id is not None:
        stmt = stmt.where(col(Review.application_id) == flt.application_id)
    if flt.round_id is not None:
        in_round = select(Application.id).where(col(Application.round_id) == flt.round_id)
        stmt = stmt.where(col(Review.application_id).in_(in_round))
    if flt.reviewer_id is not None:
        stmt = stmt.where(col(Review.reviewer_id) == flt.reviewer_id)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def mean_score(scores: dict[str, int]) -> Decimal | None:
    """The mean of the scores to the hundredth, halves rounded up (11/3 → 3.67); none without criteria."""
    if not scores:
        return None
    return (Decimal(sum(scores.values())) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP)


def checked_scores(criteria: list[str], sent: dict[str, int]) -> dict[str, int]:
    """The scores as stored: exactly the round's criteria, each once (names compared as stored: NFC, single
    spaces). An unknown or a missing criterion is a 422 naming each of them."""
    scores: dict[str, int] = {}
    errors: list[dict[str, Any]] = []
    known = ", ".join(criteria) or "none"
    for name, score in sent.items():
        key = clean(name)
        if key not in criteria:
            errors.append({"loc": ["body", "scores", name], "msg": f"is not a criterion of the round ({known})"})
        elif key in scores:
            errors.append({"loc": ["body", "scores", name], "msg": "is scored twice"})
        scores[key] = score
    missing = [c for c in criteria if c not in scores]
    if missing:
        errors.append({"loc": ["body", "scores"], "msg": f"has no score for {', '.join(missing)}"})
    if errors:
        refusal = ValidationFailed(tuple(errors[0]["loc"]), errors[0]["msg"])
        refusal.detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        refusal.errors = [{**e, "type": "value_error"} for e in errors]
        raise refusal
    return {c: scores[c] for c in criteria}


def _require_under_review(application: Application) -> None:
    if application.status not in UNDER_REVIEW:
        raise Conflict(
            f"Reviews are written while an application is {', '.join(sorted(UNDER_REVIEW))}; "
            f"this one is {application.status}.",
            code="application_not_under_review",
            application_status=str(application.status),
        )


def _require_own(actor: Actor, review: Review) -> None:
    if review.reviewer_id != actor.id and not actor.is_admin:
        raise Forbidden("Only the reviewer who wrote a review (or an admin) may change it.", code="not_reviewer")


def _criteria(session: Session, application: Application) -> list[str]:
    r = session.get(Round, application.round_id)
    return list(r.review_criteria) if r is not None else []


def _comment(comment: str | None) -> str | None:
    """A comment keeps its lines and paragraphs (unlike a name); an empty one is none."""
    return comment.strip() or None if comment else None


def create(session: Session, actor: Actor, data: ReviewCreate) -> Review:
    require_manager(actor)
    found = crud.live_or_invalid(session, Application, data.application_id, "application_id", "application")
    # Locked: two reviews by one reviewer sent at once queue here, and the second is the named 409.
    application = crud.get_live(session, Application, found.id, "application", for_update=True)
    _require_under_review(application)
    scores = checked_scores(_criteria(session, application), data.scores)
    taken = select(Review.id).where(
        Review.application_id == application.id, Review.reviewer_id == actor.id, col(Review.deleted_at).is_(None)
    )
    existing = session.execute(taken).scalar()
    if existing is not None:
        raise Conflict(
            "You have reviewed this application; change your review instead.",
            code="duplicate_review",
            review_id=str(existing),
        )
    review = Review(
        application_id=application.id,
        reviewer_id=actor.id,
        scores=scores,
        mean_score=mean_score(scores),
        recommendation=data.recommendation,
        comment=_comment(data.comment),
    )
    fields = data.model_dump(mode="json", exclude_none=True) | {"scores": scores}
    return crud.create(session, actor, review, KIND, fields)


def update(session: Session, actor: Actor, review: Review, data: ReviewUpdate) -> Review:
    require_manager(actor)
    _require_own(actor, review)
    application = crud.get_live(session, Application, review.application_id, "application")
    _require_under_review(application)
    changes = data.model_dump(exclude_unset=True)
    if "scores" in changes:
        changes["scores"] = checked_scores(_criteria(session, application), changes["scores"])
        changes["mean_score"] = mean_score(changes["scores"])
    if "comment" in changes:
        changes["comment"] = _comment(changes["comment"])
    diff = crud.apply_changes(review, changes, required={"scores", "recommendation"})
    crud.save_update(session, actor, review, KIND, diff)
    return review


def remove(session: Session, actor: Actor, review: Review) -> None:
    require_manager(actor)
    _require_own(actor, review)
    _require_under_review(crud.get_live(session, Application, review.application_id, "application"))
    crud.soft_delete(session, actor, review, KIND)
