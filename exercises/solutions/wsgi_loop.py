"""Exercise 2.1 (reference solution): serve one HTTP request to a WSGI app over a socket.

Layer 2: notebooks/02_wsgi_server.ipynb
This is the job ``eventlet.wsgi.server`` did for Juno's ``nova.wsgi.Server``
(nova/wsgi.py:79): accept, parse, build the PEP 3333 environ, call the app, reply.
"""

from __future__ import annotations

import io
import socket
import sys


def serve_one(sock: socket.socket, app) -> None:
    """Accept one connection on the listening ``sock``, answer it with ``app``, close it."""
    conn, _ = sock.accept()
    with conn:
        rfile = conn.makefile("rb")
        method, target, version, headers = _read_head(rfile)
        length = int({k.lower(): v for k, v in headers}.get("content-length") or 0)
        body = rfile.read(length) if length else b""
        environ = _make_environ(sock, method, target, version, headers, body)
        status, response_headers, payload = _call_app(app, environ)
        head = "HTTP/1.0 %s\r\n" % status
        head += "".join("%s: %s\r\n" % (k, v) for k, v in response_headers) + "\r\n"
        # One sendall: a client may read the status line before we finish otherwise.
        conn.sendall(head.encode("latin-1") + payload)


def _read_head(rfile):
    """The request line's three parts and the header lines, up to the blank line."""
    request_line = rfile.readline().decode("latin-1").rstrip("\r\n")
    method, target, version = request_line.split(" ", 2)
    headers = []
    while True:
        line = rfile.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            return method, target, version, headers
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))


def _make_environ(sock, method, target, version, headers, body) -> dict:
    host, port = sock.getsockname()[:2]
    path, _, query = target.partition("?")
    environ = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_NAME": host, "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": version, "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        # PEP 3333: these two are CGI variables, not HTTP_ ones.
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        environ[key] = value
    return environ


def _call_app(app, environ):
    """Run the app; return its status, headers and the joined body."""
    reply = {}

    def start_response(status, response_headers, exc_info=None):
        reply["status"], reply["headers"] = status, response_headers
        return lambda data: None  # the legacy write() callable, unused here

    result = app(environ, start_response)
    try:
        payload = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # PEP 3333: the server must call close() when there is one
    return reply["status"], reply["headers"], payload
