"""A stand-in HTTP server on 127.0.0.1 for tests that need a real socket
(hostile servers: slow, huge, redirecting, echoing what they receive).

Pure Python: used by the plain pytest suite and by the Odoo tests alike.
Each route is a function ``(handler) -> None`` that writes the whole answer
with the ``BaseHTTPRequestHandler`` API; every request is recorded in
``server.requests`` as ``(method, path, headers)``. Every loop of a route is
bounded, so a test can never hang on it.
"""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self):
        path = self.path.split("?", 1)[0]
        self.server.requests.append((self.command, self.path, dict(self.headers.items())))
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        route = self.server.routes.get(path)
        if route is None:
            send(self, 404, b"no such route")
            return
        # the client may give up: that is what some tests expect
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    do_GET = do_POST = _serve

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr log
        return


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests = []

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path="/"):
        return f"{self.origin}{path}"


@contextlib.contextmanager
def serving(routes):
    """Run a :class:`StandInServer` with ``routes`` for the block."""
    server = StandInServer(routes)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# ------------------------------------------------------------------ routes


def send(handler, status=200, body=b"", headers=None, content_type="application/json"):
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def answer(status=200, body=b"", headers=None, content_type="application/json"):
    """A route that always gives the same answer."""
    return lambda handler: send(handler, status, body, headers, content_type)


def redirect(location, status=302):
    return answer(status, b"", {"Location": location}, "text/plain")


def drip(byte_count=60, every=0.5):
    """A route that sends its body one byte every ``every`` seconds."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(byte_count))
        handler.end_headers()
        for _ in range(byte_count):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(every)

    return route


def silent(seconds=3.0):
    """A route that accepts the request and never answers (for ``seconds``)."""

    def route(handler):
        time.sleep(seconds)
        handler.close_connection = True

    return route


def stream(chunks, headers=None, content_type="application/octet-stream"):
    """A route that sends the iterable ``chunks`` as a chunked body."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for chunk in chunks():
            handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    return route
