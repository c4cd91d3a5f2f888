"""Task 2.1: serve_one() answers one HTTP request with a WSGI app, as eventlet.wsgi did for nova."""

from __future__ import annotations

import socket
import wsgiref.validate

import pytest
from counting_socket import CountingConnection

from exercises._target import load

wsgi_loop = load("wsgi_loop")


class OneShotListener:
    """Stands in for a listening socket: accept() hands out one side of a socketpair."""

    def __init__(self):
        self.server_side, self.client = socket.socketpair()
        self.conn = CountingConnection(self.server_side)

    def accept(self):
        return self.conn, ("127.0.0.1", 40000)

    def getsockname(self):
        return ("127.0.0.1", 8774)

    def close(self):
        self.server_side.close()
        self.client.close()


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        yield sock
    finally:
        sock.close()


def exchange(listener, app, request: bytes) -> bytes:
    """Send ``request`` as a client, let serve_one answer it, return the raw reply."""
    with socket.create_connection(listener.getsockname(), timeout=10) as client:
        client.sendall(request)
        wsgi_loop.serve_one(listener, app)
        chunks = []
        while True:
            chunk = client.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def recording_app(seen: dict, body=(b"hel", b"lo")):
    def app(environ, start_response):
        seen.update(environ)
        seen["body"] = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Served-By", "minova")])
        return list(body)
    return app


def test_serve_one_answers_get_with_status_headers_and_body(listener):
    seen = {}
    reply = exchange(listener, recording_app(seen),
                     b"GET /v2/servers?limit=1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    assert status_line.split(" ", 1)[1] == "200 OK", reply
    assert status_line.startswith("HTTP/1."), reply
    assert "X-Served-By: minova" in header_lines
    assert body == b"hello"


def test_serve_one_builds_the_pep3333_environ(listener):
    seen = {}
    exchange(listener, recording_app(seen),
             b"GET /v2/servers?limit=1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\n\r\n")
    assert seen["REQUEST_METHOD"] == "GET"
    assert seen["PATH_INFO"] == "/v2/servers"
    assert seen["QUERY_STRING"] == "limit=1"
    assert seen["SCRIPT_NAME"] == ""
    assert seen["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert seen["HTTP_X_AUTH_TOKEN"] == "t"
    assert seen["wsgi.url_scheme"] == "http"


def test_serve_one_environ_passes_wsgiref_validator(listener):
    seen = {}
    # wsgiref.validate checks every PEP 3333 rule on both sides, including close().
    app = wsgiref.validate.validator(recording_app(seen))
    reply = exchange(listener, app, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
    assert reply.split(b"\r\n", 1)[0].endswith(b"200 OK"), reply


def test_serve_one_reads_body_by_content_length(listener):
    seen = {}
    data = b'{"server": {"name": "vm1"}}'
    request = (b"POST /v2/p/servers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n" % len(data)) + data
    exchange(listener, recording_app(seen), request)
    assert seen["body"] == data
    assert seen["CONTENT_TYPE"] == "application/json"
    assert "HTTP_CONTENT_TYPE" not in seen and "HTTP_CONTENT_LENGTH" not in seen


def test_serve_one_sends_the_reply_in_one_sendall():
    fake = OneShotListener()
    try:
        fake.client.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        wsgi_loop.serve_one(fake, recording_app({}))
        assert fake.conn.sendall_calls == 1
        assert fake.client.recv(65536).endswith(b"hello")
    finally:
        fake.close()
