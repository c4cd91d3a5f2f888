"""Task 2.2: serve_connection() keeps a connection alive with correct framing, as eventlet.wsgi did."""

from __future__ import annotations

import socket
import threading
import wsgiref.validate

import pytest
from counting_socket import CountingConnection

from exercises._target import load

keep_alive = load("keep_alive")

BIG = bytes(range(256)) * 80          # 20 KiB, every offset a known byte


def echo_app(environ, start_response):
    """path, query, body and client port back; /big answers 20 KiB; /bye asks to close."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if environ["PATH_INFO"] == "/big":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [BIG[:5000], BIG[5000:]]               # two chunks, no Content-Length
    headers = [("Content-Type", "text/plain")]
    if environ["PATH_INFO"] == "/bye":
        headers.append(("Connection", "close"))
    text = "%s %s?%s body=%s port=%s" % (environ["REQUEST_METHOD"], environ["PATH_INFO"],
                                         environ["QUERY_STRING"], body.decode("latin-1"),
                                         environ.get("REMOTE_PORT"))
    start_response("200 OK", headers)
    return [text.encode("latin-1")]


class Session:
    """A client socket, and serve_connection running on the accepted side in a thread."""

    def __init__(self, app=echo_app):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.client = socket.create_connection(listener.getsockname(), timeout=10)
        accepted, address = listener.accept()
        listener.close()
        accepted.settimeout(10)
        self.server_side = CountingConnection(accepted)
        self.rfile = self.client.makefile("rb")
        self.result, self.error = [], []
        self.thread = threading.Thread(target=self._serve, args=(app, address), daemon=True)
        self.thread.start()

    def _serve(self, app, address):
        try:
            self.result.append(keep_alive.serve_connection(self.server_side, app, address))
        except BaseException as exc:  # shown by finished()
            self.error.append(exc)
        finally:
            self.server_side._sock.close()

    def send(self, data: bytes) -> None:
        self.client.sendall(data)

    def response(self) -> tuple[str, dict, bytes]:
        try:
            status = self.rfile.readline().decode("latin-1").rstrip("\r\n")
        except ConnectionError:     # the server side closed with our request unread
            status = ""
        if not status:
            self.thread.join(5)
            if self.error:                  # serve_connection raised: show that
                raise self.error[0]
        assert status, "the server closed the connection instead of answering"
        headers = {}
        for line in iter(self.rfile.readline, b"\r\n"):
            assert line, "the connection closed inside the headers"
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        assert "content-length" in headers, "no Content-Length: %s %s" % (status, headers)
        return status, headers, self.rfile.read(int(headers["content-length"]))

    def finished(self, timeout: float = 5.0) -> int:
        """Wait for serve_connection to return; its count."""
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "serve_connection() did not return"
        if self.error:
            raise self.error[0]
        return self.result[0]

    def close(self) -> None:
        self.rfile.close()
        self.client.close()
        self.thread.join(5)


@pytest.fixture
def session():
    sessions = []

    def _open(app=echo_app):
        sessions.append(Session(app))
        return sessions[-1]

    yield _open
    for s in sessions:
        s.close()


def test_serve_connection_answers_two_requests_on_one_connection(session):
    s = session()
    s.send(b"GET /one?a=1 HTTP/1.1\r\nHost: x\r\n\r\n")
    first = s.response()
    s.send(b"GET /two HTTP/1.1\r\nHost: x\r\n\r\n")
    second = s.response()
    assert first[0] == "HTTP/1.1 200 OK" and first[2].startswith(b"GET /one?a=1 ")
    assert second[2].startswith(b"GET /two? ")
    assert first[2].split(b"port=")[1] == second[2].split(b"port=")[1]   # same client port
    s.client.shutdown(socket.SHUT_WR)          # the client is done: EOF for the server
    assert s.finished() == 2


def test_serve_connection_reads_the_body_by_content_length_then_the_next_request(session):
    s = session()
    data = b'{"server": {"name": "vm1"}}'
    s.send(b"POST /servers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
    assert s.response()[2].startswith(b"POST /servers? body=" + data)
    s.send(b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
    assert s.response()[2].startswith(b"GET /after? body= ")


def test_serve_connection_answers_pipelined_requests_in_order(session):
    s = session()
    # Both requests in ONE send: a reader made per request would lose the second.
    s.send(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n")
    assert s.response()[2].startswith(b"GET /first?")
    assert s.response()[2].startswith(b"GET /second?")


def test_serve_connection_sends_a_20k_response_with_content_length_in_one_sendall(session):
    s = session()
    for _ in range(2):
        s.send(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = s.response()
        assert headers["content-length"] == str(len(BIG)) and body == BIG
    assert s.server_side.sendall_calls == 2, "one sendall per response, not per piece"


def test_serve_connection_client_connection_close_ends_after_that_response(session):
    s = session()
    s.send(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
    assert "connection" not in s.response()[1]          # kept alive: no close announced
    s.send(b"GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, body = s.response()
    assert headers["connection"].lower() == "close" and body.startswith(b"GET /b?")
    assert s.finished() == 2                             # returned without waiting for EOF
    assert s.rfile.read(1) == b""                        # and the connection is closed


def test_serve_connection_app_connection_close_ends_the_connection(session):
    s = session()
    s.send(b"GET /bye HTTP/1.1\r\nHost: x\r\n\r\n")
    assert s.response()[1]["connection"].lower() == "close"
    assert s.finished() == 1


def test_serve_connection_http10_closes_unless_keep_alive_is_asked(session):
    s = session()
    s.send(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert s.response()[2].startswith(b"GET /a?")
    s.send(b"GET /b HTTP/1.0\r\n\r\n")
    assert s.response()[1].get("connection", "").lower() == "close"
    assert s.finished() == 2


def test_serve_connection_environ_passes_wsgiref_validator(session):
    s = session(wsgiref.validate.validator(echo_app))
    s.send(b"GET /v HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    assert s.response()[0].endswith("200 OK")
    s.send(b"GET /w HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    s.response()
    assert s.finished() == 2
