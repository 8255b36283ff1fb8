"""A tiny real HTTP server that the fake platforms plug into.

Why real HTTP rather than mocks: the adapters' interesting failures are in
the transport (timeouts, keep-alive, status codes, headers, broken bodies),
and only a socket shows those. Each fake runs a ``ThreadingHTTPServer`` on
127.0.0.1 with an ephemeral port in a daemon thread; HTTP/1.1 keep-alive is
on so a benchmark with a ``requests.Session`` does not pay a TCP handshake
per call.

Failure injection is shared by all platforms: ``fail(mode, times=...)`` queues
failures consumed one per request (``times=None`` = until ``clear_failures()``),
and ``set_quota(limit, per_seconds)`` makes the server answer 429 with
``Retry-After`` once more than ``limit`` requests arrive in a sliding window.
Each platform subclass renders the failure in its own documented envelope.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

MODES = ("rate_limit", "quota", "gone", "auth", "malformed", "slow", "server_error")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int
    body: Any  # dict/list → JSON; str/bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    mode: str
    remaining: int | None  # None: until cleared
    retry_after: float = 2.0
    delay: float = 2.0
    status: int = 500
    path: str | None = None  # only requests whose path contains this


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # an idle keep-alive connection must not pin a thread forever

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY, Nagle + delayed ACK
        # add ~40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, split.path, query, {k.lower(): v for k, v in self.headers.items()}, body)
        try:
            reply = self.server.platform.dispatch(request)
        except Exception as exc:  # noqa: BLE001 - a bug in a fake must show up as a 500, not a hung client
            reply = Reply(500, {"fake_error": repr(exc)})
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body, separators=(",", ":")).encode()
            content_type = "application/json; charset=UTF-8"
        else:
            payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
            content_type = reply.headers.get("Content-Type", "text/html; charset=UTF-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                if name.lower() != "content-type":
                    self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout test)

    do_GET = _handle
    do_POST = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    platform: FakePlatform


class FakePlatform:
    """Base of the fakes: lifecycle, counters, quota and failure injection."""

    name = "fake"

    def __init__(self, *, generate_missing: bool = True) -> None:
        self.generate_missing = generate_missing
        self._lock = threading.Lock()
        self.request_count = 0
        self.path_counts: Counter[str] = Counter()
        self.log: deque[Request] = deque(maxlen=2000)
        self._failures: deque[Failure] = deque()
        self._quota: tuple[int, float] | None = None
        self._window: deque[float] = deque()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------

    def start(self) -> Self:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.platform = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in "slow" mode
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    # -- configuration ----------------------------------------------------

    def fail(
        self,
        mode: str,
        times: int | None = 1,
        *,
        retry_after: float = 2.0,
        delay: float = 2.0,
        status: int = 500,
        path: str | None = None,
    ) -> None:
        """Make the next ``times`` requests (whose path contains ``path``) fail with ``mode``."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r}")
        with self._lock:
            self._failures.append(Failure(mode, times, retry_after, delay, status, path))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def set_quota(self, limit: int | None, per_seconds: float = 60.0) -> None:
        """Answer 429 past ``limit`` requests per sliding ``per_seconds`` (None: no quota)."""
        with self._lock:
            self._quota = None if limit is None else (limit, per_seconds)
            self._window.clear()

    def count(self, path_fragment: str) -> int:
        return sum(n for path, n in self.path_counts.items() if path_fragment in path)

    # -- dispatch ---------------------------------------------------------

    def _take_failure(self, request: Request) -> Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.path is not None and failure.path not in request.path:
                    continue
                if failure.remaining is not None:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                return failure
            return None

    def _over_quota(self) -> float | None:
        """Seconds until a slot frees when over quota, else None (and the request is counted)."""
        with self._lock:
            if self._quota is None:
                return None
            limit, per = self._quota
            now = time.monotonic()
            while self._window and self._window[0] <= now - per:
                self._window.popleft()
            if len(self._window) >= limit:
                return max(0.001, self._window[0] + per - now)
            self._window.append(now)
            return None

    def quota_fill_percent(self) -> float | None:
        with self._lock:
            if self._quota is None:
                return None
            return 100.0 * len(self._window) / self._quota[0]

    def dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.request_count += 1
            self.path_counts[request.path] += 1
            self.log.append(request)
        failure = self._take_failure(request)
        if failure is not None:
            if failure.mode == "slow":
                self._stopping.wait(failure.delay)
            elif failure.mode == "malformed":
                return Reply(200, '{"items": [{"id": ', {"Content-Type": "application/json; charset=UTF-8"})
            elif failure.mode == "server_error":
                return Reply(failure.status, "<html><body>Server Error</body></html>")
            else:
                return self.failure_reply(failure.mode, request, failure.retry_after)
        wait = self._over_quota()
        if wait is not None:
            return self.failure_reply("rate_limit", request, wait)
        return self.route(request)

    # -- per platform -----------------------------------------------------

    def route(self, request: Request) -> Reply:
        raise NotImplementedError

    def failure_reply(self, mode: str, request: Request, retry_after: float) -> Reply:
        """The platform's own envelope for ``rate_limit``, ``quota``, ``gone`` and ``auth``."""
        raise NotImplementedError


def retry_after_header(seconds: float) -> dict[str, str]:
    # Retry-After is whole seconds; round up so a client never comes back early.
    return {"Retry-After": str(max(1, int(-(-seconds // 1))))}
