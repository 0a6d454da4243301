"""uvicorn's HTTP/1.1 protocols, setting TCP_NODELAY on the connection first (why: app/serving/__init__.py)."""

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _NoDelay(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


class NoDelayHttpToolsProtocol(_NoDelay, HttpToolsProtocol):
    pass


class NoDelayH11Protocol(_NoDelay, H11Protocol):
    pass
