"""Running the HTTP interface: HOST:PORT read, the socket bound up front, uvicorn serving it.

The socket is bound before uvicorn starts, so an address in use or not allowed is one clear
message (exit status 2) and port 0 gives a free port (tests, benchmarks). `dutyboard serve
--http` runs it in a thread beside the sweep; `HttpServer.serve` runs it in the foreground.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import uvicorn

from dutyboard.i18n import _
from dutyboard.service.board import Board
from dutyboard.service.errors import BadInput
from dutyboard.web.app import create_app

DEFAULT_HOST = "127.0.0.1"
LISTEN_BACKLOG = 2048
#: Seconds open streams (the browser board) get to finish when the server stops.
GRACE_SECONDS = 2


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT, :PORT or PORT (host 127.0.0.1 unless told)."""
    raw = text.strip()
    host, port = DEFAULT_HOST, raw
    if raw.startswith("["):
        inside, bracket, rest = raw[1:].partition("]")
        if not bracket or not rest.startswith(":"):
            raise BadInput(_("{value!r} is not HOST:PORT (e.g. 127.0.0.1:8080)").format(value=text))
        host, port = inside, rest[1:]
    elif ":" in raw:
        host, _colon, port = raw.rpartition(":")
        host = host or DEFAULT_HOST
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise BadInput(_("{value!r} is not HOST:PORT (e.g. 127.0.0.1:8080)").format(value=text))
    if not host or any(c.isspace() for c in host):
        raise BadInput(_("{value!r} is not HOST:PORT (e.g. 127.0.0.1:8080)").format(value=text))
    return host, int(port)


def _bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a name: let the resolver say which family
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)  # connections wait in the backlog until uvicorn takes them
    except OSError as error:
        sock.close()
        raise BadInput(
            _("Cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=error.strerror or error
            )
        ) from None
    sock.set_inheritable(True)
    return sock


class HttpServer:
    """The HTTP interface of one open board, on a socket bound at construction."""

    def __init__(self, board: Board, listen: str) -> None:
        host, port = parse_listen(listen)
        try:
            self._socket = _bind(host, port)
        except socket.gaierror as error:
            raise BadInput(
                _("Cannot listen on {host}:{port}: {reason}").format(
                    host=host, port=port, reason=error.strerror or error
                )
            ) from None
        config = uvicorn.Config(
            create_app(board), log_config=None, access_log=False, server_header=False,
            timeout_graceful_shutdown=GRACE_SECONDS, lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The host and port it listens on (the real port when 0 was asked for)."""
        host, port = self._socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve(self) -> None:
        """Serve in the foreground until SIGINT or SIGTERM (uvicorn handles both)."""
        self._server.run(sockets=[self._socket])

    def start(self, timeout: float = 10.0) -> None:
        """Serve from a thread of its own; returns once requests are answered."""
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="dutyboard-http",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise BadInput(_("The HTTP interface did not start"))
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving (open streams get a moment to end) and release the socket."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(GRACE_SECONDS + 5)
        self._socket.close()
