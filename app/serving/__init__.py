"""How `samverkan serve` runs uvicorn: every accepted TCP connection has TCP_NODELAY, whatever the event loop.

With several workers (or --reload) uvicorn binds the listening socket itself, as `socket.socket(family)`: its
protocol number is 0, and asyncio sets TCP_NODELAY only on sockets that say IPPROTO_TCP. A response leaves as two
writes, headers then body; Nagle's algorithm holds the body until the client ACKs the headers, and the client
delays that ACK by 40 ms. One keep-alive connection then got 22 answers a second instead of a thousand. uvloop
sets the option itself, asyncio does not; so our HTTP protocols (app/serving/protocols.py) set it on every
connection they are handed.

uvicorn is imported only when serving, so that the other commands start quickly.
"""

from enum import StrEnum


class EventLoop(StrEnum):
    auto = "auto"  # uvloop where it is installed (not on Windows or PyPy), else asyncio
    uvloop = "uvloop"
    asyncio = "asyncio"


class HttpParser(StrEnum):
    httptools = "httptools"
    h11 = "h11"


# By import string: each spawned worker loads its protocol class itself.
_PROTOCOLS = {
    HttpParser.httptools: "app.serving.protocols:NoDelayHttpToolsProtocol",
    HttpParser.h11: "app.serving.protocols:NoDelayH11Protocol",
}


def serve(*, host: str, port: int, workers: int, reload: bool, loop: EventLoop, http: HttpParser) -> None:
    import uvicorn

    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        loop=loop.value,
        http=_PROTOCOLS[http],
        proxy_headers=True,
    )
