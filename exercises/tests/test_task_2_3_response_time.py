"""Task 2.3: response_time() adds X-Response-Time per request, also under minova's real Server."""

from __future__ import annotations

import http.client
import re
import threading
import time
import wsgiref.validate

import pytest
import webob

from exercises._target import load
from minova import wsgi

response_time = load("response_time")

SECONDS = re.compile(r"^\d+\.\d{6}$")


def slow_app(environ, start_response):
    time.sleep(0.05)
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("X-App", "yes")])
    return [b"no such thing"]


def test_response_time_adds_the_header_and_keeps_the_response():
    resp = webob.Request.blank("/x").get_response(response_time.response_time(slow_app))
    assert resp.status == "404 Not Found" and resp.body == b"no such thing"
    assert resp.headers["X-App"] == "yes"
    value = resp.headers["X-Response-Time"]
    assert SECONDS.match(value), value
    assert 0.05 <= float(value) < 5


def test_response_time_header_name_can_be_chosen():
    resp = webob.Request.blank("/").get_response(
        response_time.response_time(slow_app, header_name="X-Took"))
    assert SECONDS.match(resp.headers["X-Took"]) and "X-Response-Time" not in resp.headers


def test_response_time_follows_pep3333_on_both_sides():
    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body([b"ok"])

    # validator() checks the server side above and the app side below the middleware.
    wrapped = wsgiref.validate.validator(
        response_time.response_time(wsgiref.validate.validator(app)))
    resp = webob.Request.blank("/").get_response(wrapped)
    assert resp.body == b"ok" and "X-Response-Time" in resp.headers
    assert closed == [True], "the app's close() must still be called"


def test_response_time_passes_exc_info_on():
    def app(environ, start_response):
        try:
            raise ValueError("boom")
        except ValueError:
            import sys
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")],
                           sys.exc_info())
        return [b"error page"]

    seen = []

    def start_response(status, headers, exc_info=None):
        seen.append(exc_info)
        return lambda data: None

    assert b"".join(response_time.response_time(app)({"REQUEST_METHOD": "GET"},
                                                     start_response)) == b"error page"
    assert seen[0] is not None and seen[0][0] is ValueError


@pytest.fixture
def server():
    """A real minova wsgi.Server on 127.0.0.1:0 with a slow and a fast path."""
    slow_ready, fast_done = threading.Event(), threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/slow":
            time.sleep(0.3)            # the slow request's own work
            slow_ready.set()
            fast_done.wait(5)          # ... and it is still running while /fast is served
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    srv = wsgi.Server("test", response_time.response_time(app), host="127.0.0.1", port=0)
    srv.start()
    srv.events = slow_ready, fast_done
    try:
        yield srv
    finally:
        fast_done.set()
        srv.stop()
        srv.wait(5)


def _get(port, path, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        reply = conn.getresponse()
        out[path] = (reply.status, reply.getheader("X-Response-Time"), reply.read())
    finally:
        conn.close()


def test_response_time_under_a_real_server_times_each_request_separately(server):
    slow_ready, fast_done = server.events
    out = {}
    slow = threading.Thread(target=_get, args=(server.port, "/slow", out), daemon=True)
    slow.start()
    assert slow_ready.wait(5), "the /slow request never reached the app"
    _get(server.port, "/fast", out)        # served by another connection thread meanwhile
    fast_done.set()
    slow.join(5)
    assert out["/fast"][0] == 200 and out["/fast"][2] == b"/fast"
    fast, slow_seconds = float(out["/fast"][1]), float(out["/slow"][1])
    # A start time kept on a shared object would give /slow the /fast request's start.
    assert slow_seconds >= 0.3, (slow_seconds, fast)
    assert fast < 0.25 <= slow_seconds
