"""Exercise 2.2 (reference solution): serve several requests on one kept-alive connection.

Layer 2: notebooks/02_wsgi_server.ipynb
eventlet.wsgi's HttpProtocol did this for Juno's ``nova.wsgi.Server`` (nova/wsgi.py:79-261);
minova's ``HttpConnection.serve`` in minova/httpd.py is the full version.
"""

from __future__ import annotations

import io
import sys


def serve_connection(conn, app, address=("127.0.0.1", 0)) -> int:
    """Answer requests on the accepted ``conn`` until the client is done; return how many."""
    rfile = conn.makefile("rb")   # ONE reader for the whole connection: it buffers ahead
    served = 0
    try:
        while True:
            request = _read_request(rfile)
            if request is None:
                return served     # the client closed the connection
            method, target, version, headers, body = request
            environ = _make_environ(conn, address, method, target, version, headers, body)
            status, response_headers, payload = _call_app(app, environ)
            keep_alive = _keeps_alive(version, headers, response_headers)
            conn.sendall(_head(status, response_headers, len(payload), keep_alive) + payload)
            served += 1
            if not keep_alive:
                return served
    finally:
        rfile.close()


def _read_request(rfile):
    """(method, target, version, {lower-case name: value}, body), or None at EOF."""
    line = rfile.readline()
    if not line:
        return None
    method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    headers = {}
    for raw in iter(rfile.readline, b""):
        text = raw.decode("latin-1").rstrip("\r\n")
        if not text:
            break
        name, _, value = text.partition(":")
        headers[name.strip().lower()] = value.strip()
    # Read exactly Content-Length bytes: the next request starts right after them.
    body = rfile.read(int(headers.get("content-length") or 0))
    return method, target, version, headers, body


def _make_environ(conn, address, method, target, version, headers, body) -> dict:
    host, port = conn.getsockname()[:2]
    path, _, query = target.partition("?")
    environ = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_NAME": str(host), "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": version, "REMOTE_ADDR": address[0], "REMOTE_PORT": str(address[1]),
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    return environ


def _call_app(app, environ):
    reply = {}

    def start_response(status, response_headers, exc_info=None):
        reply["status"], reply["headers"] = status, list(response_headers)
        return lambda data: None

    result = app(environ, start_response)
    try:
        payload = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return reply["status"], reply["headers"], payload


def _keeps_alive(version, request_headers, response_headers) -> bool:
    """RFC 7230 6.3: 1.1 persists unless someone says close; 1.0 only with keep-alive."""
    asked = request_headers.get("connection", "").lower()
    app_says = {n.lower(): v.lower() for n, v in response_headers}.get("connection", "")
    if "close" in asked or "close" in app_says:
        return False
    return version == "HTTP/1.1" or "keep-alive" in asked


def _head(status, response_headers, length, keep_alive) -> bytes:
    names = {name.lower() for name, _ in response_headers}
    extra = [] if "content-length" in names else [("Content-Length", str(length))]
    if not keep_alive and "connection" not in names:
        extra.append(("Connection", "close"))
    lines = ["HTTP/1.1 %s\r\n" % status]
    lines += ["%s: %s\r\n" % pair for pair in list(response_headers) + extra]
    return ("".join(lines) + "\r\n").encode("latin-1")
