"""minova.wsgi.Server over real sockets on 127.0.0.1:0: framing, limits, errors, logs, lifecycle."""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import signal
import socket
import threading
import time

import pytest
from conftest import wait_until

from minova import exception, wsgi

# --- helpers ------------------------------------------------------------------

def echo_app(environ, start_response):
    """Answers with what the server told it: path, query, protocol, body, client port."""
    body = environ["wsgi.input"].read()
    text = "%s %s?%s %s body=%s port=%s" % (
        environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"],
        environ["SERVER_PROTOCOL"], body.decode("latin-1"), environ["REMOTE_PORT"])
    data = text.encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))])
    return [data]


PATTERN = bytes(range(256)) * 256     # 64 KiB where every offset has a known byte


def big_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("Content-Length", str(len(PATTERN)))])
    return [PATTERN]


@pytest.fixture
def serve(conf):
    """Start servers on 127.0.0.1:0; stop and wait for all of them afterwards."""
    servers = []

    def _serve(app, **kwargs):
        server = wsgi.Server("test", app, host="127.0.0.1", **kwargs)
        servers.append(server)
        server.start()
        return server

    yield _serve
    for server in servers:
        server.stop()
        server.wait(5)


class Client:
    """A raw client connection: bytes out, a buffered reader for what comes back."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.rfile = self.sock.makefile("rb")

    def sendall(self, data: bytes) -> None:
        self.sock.sendall(data)

    def settimeout(self, seconds: float) -> None:
        self.sock.settimeout(seconds)

    def close(self) -> None:
        self.rfile.close()
        self.sock.close()


def connect(server) -> Client:
    return Client(server.port)


def read_response(sock) -> tuple[int, dict, bytes]:
    """Read one response from a raw socket (Content-Length or chunked framing)."""
    status_line = sock.rfile.readline()
    assert status_line, "connection closed instead of a response"
    headers = {}
    for line in iter(sock.rfile.readline, b"\r\n"):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int(sock.rfile.readline(), 16)
            body += sock.rfile.read(size)
            sock.rfile.readline()
            if size == 0:
                break
    else:
        body = sock.rfile.read(int(headers.get("content-length", 0)))
    return int(status_line.split()[1]), headers, body


def closed_by_server(sock) -> bool:
    return sock.rfile.read(1) == b""


def wsgi_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("wsgi-")]


# --- construction -------------------------------------------------------------

def test_server_binds_in_init_and_logs_the_real_port(conf, caplog):
    caplog.set_level(logging.INFO, logger="minova.wsgi")
    server = wsgi.Server("test", echo_app, host="127.0.0.1", port=0)
    try:
        assert server.port != 0 and server.host == "127.0.0.1"
        # Listening before start(): the kernel already queues connections.
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        assert "test listening on 127.0.0.1:%d" % server.port in caplog.messages
    finally:
        server.stop()
        server.wait()


def test_server_backlog_below_one_is_invalid_input(conf):
    with pytest.raises(exception.InvalidInput, match="backlog"):
        wsgi.Server("test", echo_app, host="127.0.0.1", backlog=0)


def test_server_use_ssl_is_refused_clearly(conf):
    with pytest.raises(NotImplementedError, match="SSL"):
        wsgi.Server("test", echo_app, host="127.0.0.1", use_ssl=True)


def test_server_bind_failure_is_logged_and_raised(conf, caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError):
            wsgi.Server("test", echo_app, host="127.0.0.1", port=port)
    assert "Could not bind to 127.0.0.1:%d" % port in caplog.messages


def test_server_pool_size_defaults_to_wsgi_default_pool_size(conf):
    conf.set_override("wsgi_default_pool_size", 7)
    server = wsgi.Server("test", echo_app, host="127.0.0.1")
    try:
        assert server.pool_size == 7
    finally:
        server.stop()


# --- HTTP ---------------------------------------------------------------------

def test_server_serves_a_request_with_a_pep3333_environ(serve):
    server = serve(echo_app)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/v2.1/a%20b?x=1")
    response = conn.getresponse()
    assert response.status == 200
    assert response.read().startswith(b"GET /v2.1/a b?x=1 HTTP/1.1 body=")
    assert response.getheader("Date")
    assert "wsgi-server-test" in wsgi_threads()
    conn.close()


def test_server_keep_alive_serves_several_requests_on_one_connection(serve):
    server = serve(echo_app)
    sock = connect(server)
    ports = set()
    for i in range(3):
        sock.sendall(b"GET /r%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
        status, headers, body = read_response(sock)
        assert (status, body.split()[1]) == (200, b"/r%d?" % i)
        assert headers.get("connection") != "close"
        ports.add(body.split(b"port=")[1])
    assert len(ports) == 1          # the app saw one client connection
    sock.close()


def test_server_64k_bodies_over_keep_alive_arrive_intact_and_in_order(serve):
    def chunks_app(environ, start_response):
        # 128 KiB in many small pieces, no Content-Length: streamed, chunked encoding.
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return (PATTERN[i:i + 1000] for _ in range(2) for i in range(0, len(PATTERN), 1000))

    apps = {"/big": big_app, "/chunks": chunks_app}
    server = serve(lambda environ, start: apps[environ["PATH_INFO"]](environ, start))
    sock = connect(server)
    for path in ["/big", "/chunks", "/big", "/chunks"]:
        sock.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
        status, headers, body = read_response(sock)
        assert status == 200 and body == PATTERN * (2 if path == "/chunks" else 1)
    assert headers["transfer-encoding"] == "chunked"
    sock.close()


def test_server_answers_pipelined_requests_in_order(serve):
    server = serve(echo_app)
    sock = connect(server)
    sock.sendall(b"".join(b"GET /p%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(5)))
    paths = [read_response(sock)[2].split()[1] for _ in range(5)]
    assert paths == [b"/p%d?" % i for i in range(5)]
    sock.close()


def test_server_small_generator_response_gets_content_length(serve):
    def gen_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (b"ab" for _ in range(10))

    sock = connect(serve(gen_app))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    _, headers, body = read_response(sock)
    assert headers["content-length"] == "20" and body == b"ab" * 10
    sock.close()


def test_server_http10_closes_unless_client_asks_keep_alive(serve):
    server = serve(echo_app)
    sock = connect(server)
    sock.sendall(b"GET /once HTTP/1.0\r\n\r\n")
    status, headers, _ = read_response(sock)
    assert status == 200 and headers["connection"] == "close"
    assert closed_by_server(sock)
    sock.close()

    sock = connect(server)
    for _ in range(2):
        sock.sendall(b"GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        status, headers, body = read_response(sock)
        assert headers["connection"] == "keep-alive" and b"HTTP/1.0" in body
    sock.close()


def test_server_head_request_gets_headers_but_no_body(serve):
    server = serve(big_app)
    sock = connect(server)
    sock.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
    status_line = sock.rfile.readline()
    head = b"".join(iter(sock.rfile.readline, b"\r\n"))
    assert b"200" in status_line and b"Content-Length: 65536" in head
    assert read_response(sock)[2] == PATTERN     # next response starts right after HEAD's headers
    sock.close()


def test_server_header_line_over_max_header_line_gets_400_then_serves_on(serve):
    server = serve(echo_app)
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + b"t" * 16384 + b"\r\n\r\n")
    assert sock.rfile.readline() == b"HTTP/1.0 400 Header Line Too Long\r\n"
    sock.close()
    # A big keystone token just under the limit is fine, and the server still serves.
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + b"t" * 16000 + b"\r\n\r\n")
    assert read_response(sock)[0] == 200
    sock.close()


def test_server_request_line_over_url_limit_gets_414(serve):
    server = serve(echo_app, max_url_len=100)
    sock = connect(server)
    sock.sendall(b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert sock.rfile.readline() == b"HTTP/1.0 414 Request URI Too Long\r\n"
    sock.close()


def test_server_garbage_request_line_gets_400(serve):
    sock = connect(serve(echo_app))
    sock.sendall(b"HELLO\r\n\r\n")
    assert sock.rfile.readline() == b"HTTP/1.0 400 Bad Request\r\n"
    sock.close()


def test_server_app_exception_gives_500_without_traceback(serve, caplog):
    def broken_app(environ, start_response):
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("secret detail")
        return echo_app(environ, start_response)

    server = serve(broken_app)
    sock = connect(server)
    sock.sendall(b"GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, body = read_response(sock)
    assert status == 500
    assert b"Traceback" not in body and b"secret" not in body
    error = [r for r in caplog.records if r.name == "minova.test.wsgi.server" and r.exc_info]
    assert error and "secret detail" in str(error[0].exc_info[1])
    sock.sendall(b"GET /fine HTTP/1.1\r\nHost: x\r\n\r\n")    # same connection goes on
    assert read_response(sock)[0] == 200
    sock.close()


def test_server_input_is_bounded_by_content_length(serve):
    server = serve(echo_app)
    sock = connect(server)
    # The app calls read() with no size: it must get 5 bytes, not the next request.
    sock.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                 b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"body=hello port" in read_response(sock)[2]
    assert read_response(sock)[2].startswith(b"GET /b?")
    sock.close()


def test_server_unread_body_is_skipped_before_the_next_request(serve):
    def ignoring_app(environ, start_response):
        start_response("204 No Content", [])
        return []

    sock = connect(serve(ignoring_app))
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                 b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_response(sock)[0] == 204 and read_response(sock)[0] == 204
    sock.close()


def test_server_keeps_alive_after_webob_replaced_wsgi_input(serve):
    # webob swaps environ["wsgi.input"] for a BytesIO once it has read the body
    # (every nova controller does, through Request.body); the server must still
    # drain its own reader and keep the connection (real clients reuse it).
    import webob.dec

    @webob.dec.wsgify
    def body_reading_app(req):
        return webob.Response(body=req.body[::-1])

    sock = connect(serve(body_reading_app))
    for _ in range(3):
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: 3\r\n\r\nabc")
        status, _headers, body = read_response(sock)
        assert (status, body) == (200, b"cba")
    sock.close()


def test_server_decodes_a_chunked_request_body(serve):
    server = serve(echo_app)
    sock = connect(server)
    sock.sendall(b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n"
                 b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"body=abcdefg port" in read_response(sock)[2]
    assert read_response(sock)[2].startswith(b"GET /next?")
    sock.close()


def test_server_expect_100_continue_is_answered_before_the_body(serve):
    sock = connect(serve(echo_app))
    sock.sendall(b"PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
    assert sock.rfile.readline() == b"HTTP/1.1 100 Continue\r\n"
    assert sock.rfile.readline() == b"\r\n"
    sock.sendall(b"ok")
    assert b"body=ok port" in read_response(sock)[2]
    sock.close()


def test_server_access_log_line_has_junos_format(serve, caplog):
    caplog.set_level(logging.INFO, logger="minova.test.wsgi.server")
    server = serve(echo_app)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/v2.1/?x=1")
    length = len(conn.getresponse().read())
    conn.close()
    # The line is written just after the response went out.
    lines = wait_until(lambda: [r.getMessage() for r in caplog.records
                                if r.name == "minova.test.wsgi.server"], message="access log")
    assert len(lines) == 1
    assert re.fullmatch(r'127\.0\.0\.1 "GET /v2\.1/\?x=1 HTTP/1\.1" status: 200 len: %d '
                        r'time: \d+\.\d{7}' % length, lines[0])


# --- lifecycle and the pool ---------------------------------------------------

def slow_app_and_gate():
    """An app whose /slow requests wait for ``gate``; ``entered`` counts those waiting."""
    gate = threading.Event()
    entered = []

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/slow":
            entered.append(1)
            gate.wait(10)
        return echo_app(environ, start_response)
    return app, gate, entered


def test_server_stop_wait_finishes_in_flight_request_and_leaves_nothing(conf):
    app, gate, entered = slow_app_and_gate()
    server = wsgi.Server("test", app, host="127.0.0.1")
    server.start()
    port = server.port
    sock = connect(server)
    sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    wait_until(lambda: entered, message="the slow request to start")
    server.stop()
    with pytest.raises(ConnectionRefusedError):    # no longer accepting
        _connect_until_refused(port)
    threading.Timer(0.2, gate.set).start()
    server.wait(5)
    status, headers, _ = read_response(sock)       # the in-flight request was finished
    assert status == 200 and headers["connection"] == "close"
    sock.close()
    assert wsgi_threads() == []
    assert server._socket.fileno() == -1
    with socket.socket() as again:                 # the port is free again
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


def _connect_until_refused(port: int) -> None:
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except (ConnectionResetError, TimeoutError):
            pass     # queued on the listener while it closed: try again
    raise AssertionError("the server still accepts connections after stop()")


def test_server_stop_closes_idle_keep_alive_connections(serve):
    server = serve(echo_app)
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    read_response(sock)
    started = time.monotonic()
    server.stop()
    server.wait(5)
    assert time.monotonic() - started < 2
    assert closed_by_server(sock)
    sock.close()


def test_server_pool_size_bounds_concurrent_connections(serve):
    app, gate, entered = slow_app_and_gate()
    server = serve(app, pool_size=2)
    socks = [connect(server) for _ in range(3)]
    for sock in socks[:2]:
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    wait_until(lambda: len(entered) == 2, message="two slow requests")
    socks[2].sendall(b"GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
    socks[2].settimeout(0.5)
    with pytest.raises(TimeoutError):             # the third one waits in the backlog
        socks[2].rfile.read(1)
    gate.set()
    third = connect(server)                       # (the timed-out file object is spent)
    third.sendall(b"GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_response(third)[0] == 200
    for sock in socks[:2]:
        assert read_response(sock)[0] == 200
    for sock in socks + [third]:
        sock.close()


def test_server_saturated_pool_gives_back_an_idle_keep_alive_slot(serve):
    server = serve(echo_app, pool_size=1)
    hog = connect(server)
    hog.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    read_response(hog)                            # now idle, keeping its connection
    other = connect(server)
    other.sendall(b"GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_response(other)[0] == 200
    assert closed_by_server(hog)
    hog.close()
    other.close()


def test_server_reset_restores_the_pool_size(conf):
    server = wsgi.Server("test", echo_app, host="127.0.0.1", pool_size=3)
    server.stop()
    assert server._pool.size == 0
    server.reset()
    assert server._pool.size == 3


def test_server_forked_workers_share_the_socket_and_both_serve(conf):
    def pid_app(environ, start_response):
        body = str(os.getpid()).encode()
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]

    server = wsgi.Server("test", pid_app, host="127.0.0.1")
    children = []
    try:
        for _ in range(2):
            pid = os.fork()
            if pid == 0:                          # the child: serve until SIGTERM
                try:
                    # As a launcher's worker does: a handler, and a main thread
                    # blocked on an Event. The server's threads must leave the
                    # signal to the main thread, or the worker never stops.
                    stop = threading.Event()
                    signal.signal(signal.SIGTERM, lambda *_, stop=stop: stop.set())
                    server.start()
                    stop.wait()
                    server.stop()
                    server.wait(5)
                finally:
                    os._exit(0)
            children.append(pid)
        seen = set()

        def both_served():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/", headers={"Connection": "close"})
            seen.add(int(conn.getresponse().read()))
            conn.close()
            return seen == set(children)
        wait_until(both_served, message="both workers to answer")
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            try:
                wait_until(lambda pid=pid: os.waitpid(pid, os.WNOHANG)[0] == pid, timeout=5,
                           message="worker %d to exit on SIGTERM" % pid)
            except AssertionError:
                os.kill(pid, signal.SIGKILL)      # leave no process behind, then fail
                os.waitpid(pid, 0)
                raise
        server.stop()


def _stalled_body(port: int) -> bytes:
    """Announce 100 bytes of body, send 2, then wait: what comes back, until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /v2.1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: u:p\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}")
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def test_a_body_that_stops_coming_is_a_408_and_a_close(serve):
    """Issue 10: a client that sends less than it announced and waits gets an answer."""
    server = serve(echo_app)
    server.idle_timeout = 0.5
    answer = _stalled_body(server.port)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:200]
    assert b"Connection: close" in answer and b'"code": 408' in answer


def test_a_body_that_stops_coming_through_nova_is_nova_s_408_fault(serve):
    from minova.wsgi import Loader
    server = serve(Loader().load_app("osapi_compute"))
    server.idle_timeout = 0.5
    head, _, body = _stalled_body(server.port).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), head
    assert json.loads(body)["computeFault"]["code"] == 408
