"""HTTP for payments and repayments of grants."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import Admin, DbSession, FundManager, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.time import QueryDate
from app.funds.grants import payments
from app.funds.grants.models import PaymentCreate, PaymentKind, PaymentOut

router = APIRouter(prefix="/payments", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Payment", list(payments.SORT_COLUMNS), "paid_on"))]
NET_RULE = ["grant_overpaid", "repayment_exceeds_paid"]


@router.get("", name="payments_list", summary="List payments", response_model=Page[PaymentOut], responses=CSV_LIST)
def list_payments(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    grant_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    kind: PaymentKind | None = None,
    paid_from: QueryDate = None,
    paid_to: QueryDate = None,
) -> Response:
    """Payments and repayments of grants, by date paid; `paid_from`/`paid_to` include both days. Any reader;
    also as CSV."""
    flt = payments.PaymentFilter(grant_id, round_id, kind, paid_from, paid_to)
    result = payments.list_page(session, flt, params)
    return list_response(request, page_of(request, result, payments.SHAPE.render), "payments")


@router.post(
    "",
    name="payments_create",
    summary="Record a payment or repayment",
    status_code=201,
    responses=problems({409: NET_RULE}),
)
def create_payment(request: Request, session: DbSession, actor: FundManager, body: PaymentCreate) -> PaymentOut:
    """Record an instalment paid on a grant, or unused money paid back (`repayment`, with a `reason`; it flows
    back to the pot). What is paid net stays between 0 and the grant: 409 `grant_overpaid` states what may still
    be paid, 409 `repayment_exceeds_paid` what has been paid. Admins and fund managers."""
    payment = payments.create(session, actor, body)
    body_out = payments.SHAPE.one(session, payment.id)
    return created(request, payment, body_out, "payments_get")  # type: ignore[return-value]


@router.get("/{id}", name="payments_get", summary="Get a payment", response_model=PaymentOut)
def get_payment(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One payment or repayment. Any reader."""
    payment = payments.get(session, id)
    return answer(payments.SHAPE.one(session, payment.id), payment)


@router.delete(
    "/{id}",
    name="payments_delete",
    summary="Delete a payment entered by mistake",
    status_code=204,
    responses=problems({409: ["payment_not_today", *NET_RULE]}),
)
def delete_payment(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    """Delete a payment or repayment entered by mistake, on the day it was entered (409 `payment_not_today`
    later), if what remains still keeps paid net between 0 and the grant. Admins."""
    payment = payments.get(session, id)
    check_if_match(if_match, payment)
    payments.remove(session, actor, payment)
    return Response(status_code=204)
