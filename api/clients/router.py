"""``/clients``: API credentials, managed by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from sqlalchemy.orm import Session

from ..database import get_session
from . import service
from .dependencies import CurrentCaller, allow
from .schemas import ClientCreate, ClientCreated, ClientList, ClientRead

router = APIRouter(prefix="/clients", tags=["clients"])

ClientId = Annotated[str, Path(max_length=36, examples=["0b4c6a1e-7d1f-4f53-9b8a-2f0d7a8e9c11"])]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a client (its token is shown once)",
    **allow("admin", errors=(400, 413, 415, 422)),
)
def create_client(
    body: ClientCreate, caller: CurrentCaller, session: Annotated[Session, Depends(get_session)]
) -> ClientCreated:
    row, token = service.create_client(
        session=session, name=body.name, role=body.role, caller=caller
    )
    return ClientCreated(**row, token=token)


@router.get("", summary="List clients (never their tokens)", **allow("admin"))
def list_clients(session: Annotated[Session, Depends(get_session)]) -> ClientList:
    return ClientList(items=[ClientRead(**r) for r in service.list_clients(session=session)])


@router.delete("/{client_id}", summary="Revoke a client", **allow("admin", errors=(404, 422)))
def revoke_client(
    client_id: ClientId, caller: CurrentCaller, session: Annotated[Session, Depends(get_session)]
) -> ClientRead:
    return ClientRead(**service.revoke_client(session=session, client_id=client_id, caller=caller))
