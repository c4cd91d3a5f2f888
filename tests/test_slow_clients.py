"""Slow clients against a real ``minova-api`` (issue 10 item 3, a first part).

Every connection holds a thread, so slow clients are the classic way to starve a
thread-per-connection server. With 1,300 clients trickling their headers (the
number that made an earlier version close new connections), normal requests must
still be answered quickly; and SIGTERM must not wait for 200 of them.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import time

import pytest
from test_hostile_input import _http, minova_api, send, status_and_body

SLOW = 1300


def _allow_open_files(wanted: int) -> None:
    """This process holds the clients' sockets, the server's (a child) the other ends."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip("%d slow clients need %d open files; the hard limit is %d "
                        "(ulimit -Hn)" % (SLOW, wanted, hard))
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@pytest.fixture
def api(tmp_path):
    with minova_api(tmp_path) as (proc, port):
        yield proc, port


def _slow_clients(port: int, count: int) -> list[socket.socket]:
    """Connections that sent a request line and half a header, and then nothing."""
    clients = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"GET /v2.1/flavors HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-To")
        clients.append(sock)
    return clients


@pytest.mark.timeout(120)
def test_normal_requests_are_served_beside_1300_slow_clients(tmp_path):
    _allow_open_files(SLOW + 512)  # before the server starts: it inherits the limit
    with minova_api(tmp_path) as (_proc, port):
        _serve_beside_slow_clients(port)


def _serve_beside_slow_clients(port: int) -> None:
    clients = _slow_clients(port, SLOW)
    try:
        latencies = []
        for _ in range(40):
            start = time.monotonic()
            status, _ = status_and_body(send(port, _http("GET", "/v2.1/flavors")))
            latencies.append(time.monotonic() - start)
            assert status == 200
        latencies.sort()
        assert latencies[-1] < 2.0, "slowest of 40: %.2f s" % latencies[-1]
        print("\n%d slow clients: 40 requests beside them, median %.1f ms, slowest %.1f ms" % (
            SLOW, latencies[20] * 1000, latencies[-1] * 1000))
    finally:
        for sock in clients:
            sock.close()


@pytest.mark.timeout(120)
def test_sigterm_does_not_wait_for_slow_clients(api):
    proc, port = api
    clients = _slow_clients(port, 200)
    try:
        time.sleep(0.5)  # every slow client is now read by a worker thread
        start = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.popen.wait(15) == 0
        elapsed = time.monotonic() - start
        # Juno's eventlet waited for them (a worker stayed ~29 s); here they are closed
        assert elapsed < 5.0, "the launcher took %.1f s to exit" % elapsed
        with pytest.raises(OSError):  # the port is closed
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        for sock in clients:
            sock.close()
