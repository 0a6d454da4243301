"""HTTP for pots of a round and transfers between them."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import DbSession, FundManager, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.funds import pots
from app.funds.models import PotCreate, PotOut, PotUpdate, TransferCreate, TransferOut

router = APIRouter(tags=["funds"])
PotParams = Annotated[ListParams, Depends(list_params("Pot", list(pots.POT_SORT), "name"))]
TransferParams = Annotated[ListParams, Depends(list_params("Transfer", list(pots.TRANSFER_SORT), "created_at"))]
OVERDRAWN = "pot_overdrawn"


@router.get("/pots", name="pots_list", summary="List pots", response_model=Page[PotOut], responses=CSV_LIST)
def list_pots(
    request: Request, session: DbSession, _actor: Reader, params: PotParams, round_id: uuid.UUID | None = None
) -> Response:
    """Pots of the rounds, by name; their live figures are in the round summary. Any reader; also as CSV."""
    result = pots.list_pots(session, round_id, params)
    return list_response(request, page_of(request, result, pots.POT_SHAPE.render), "pots")


@router.post(
    "/pots",
    name="pots_create",
    summary="Create a pot",
    status_code=201,
    responses=problems({409: ["duplicate_name", "round_not_draft", OVERDRAWN]}),
)
def create_pot(request: Request, session: DbSession, actor: FundManager, body: PotCreate) -> PotOut:
    """Add a pot to a draft round, with its budget and what it carries over from a pot of an earlier round
    (409 `pot_overdrawn` when that pot has less remaining). Admins and fund managers."""
    pot = pots.create_pot(session, actor, body)
    return created(request, pot, pots.POT_SHAPE.one(session, pot.id), "pots_get")  # type: ignore[return-value]


@router.get("/pots/{id}", name="pots_get", summary="Get a pot", response_model=PotOut)
def get_pot(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One pot, with an `ETag` for a later If-Match. Any reader."""
    pot = pots.get_pot(session, id)
    return answer(pots.POT_SHAPE.one(session, pot.id), pot)


@router.patch(
    "/pots/{id}",
    name="pots_update",
    summary="Update a pot",
    response_model=PotOut,
    responses=problems({409: ["duplicate_name", "round_not_draft", OVERDRAWN]}),
)
def update_pot(
    id: uuid.UUID,
    body: PotUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent; the amounts only while the round is a draft (then money moves by transfer).
    Admins and fund managers."""
    pot = pots.get_pot(session, id)
    check_if_match(if_match, pot)
    pots.update_pot(session, actor, pot, body)
    with_etag(response, pot)
    return pots.POT_SHAPE.one(session, pot.id)


@router.delete(
    "/pots/{id}",
    name="pots_delete",
    summary="Delete a pot",
    status_code=204,
    responses=problems({409: ["round_not_draft", "pot_in_use"]}),
)
def delete_pot(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Delete a pot of a draft round. Admins and fund managers."""
    pot = pots.get_pot(session, id)
    check_if_match(if_match, pot)
    pots.remove_pot(session, actor, pot)
    return Response(status_code=204)


@router.get(
    "/transfers",
    name="transfers_list",
    summary="List transfers",
    response_model=Page[TransferOut],
    responses=CSV_LIST,
)
def list_transfers(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: TransferParams,
    round_id: uuid.UUID | None = None,
    pot_id: uuid.UUID | None = None,
) -> Response:
    """Transfers between pots, oldest first; `pot_id`: those from or to that pot. Any reader; also as CSV."""
    result = pots.list_transfers(session, pots.TransferFilter(round_id, pot_id), params)
    return list_response(request, page_of(request, result, pots.TRANSFER_SHAPE.render), "transfers")


@router.post(
    "/transfers",
    name="transfers_create",
    summary="Move money between pots",
    status_code=201,
    responses=problems({409: [OVERDRAWN, "round_not_active"]}),
)
def create_transfer(request: Request, session: DbSession, actor: FundManager, body: TransferCreate) -> TransferOut:
    """Move money from one pot of a round to another, by a decision. Never takes a pot below zero: 409
    `pot_overdrawn` states the remaining amount. A transfer is never changed; undo it with the opposite one.
    Admins and fund managers."""
    transfer = pots.create_transfer(session, actor, body)
    body_out = pots.TRANSFER_SHAPE.one(session, transfer.id)
    return created(request, transfer, body_out, "transfers_get")  # type: ignore[return-value]


@router.get("/transfers/{id}", name="transfers_get", summary="Get a transfer", response_model=TransferOut)
def get_transfer(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One transfer. Any reader."""
    transfer = pots.get_transfer(session, id)
    return answer(pots.TRANSFER_SHAPE.one(session, transfer.id), transfer)
