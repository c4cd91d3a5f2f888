"""HTTP/1.1 on an accepted socket: what eventlet.wsgi did for Juno's ``nova/wsgi.py`` Server.

Layer 2: notebooks/02_wsgi_server.ipynb

Not a nova file.  Juno's ``Server.start`` handed its socket and app to
``eventlet.wsgi.server`` (a library), whose ``HttpProtocol`` parsed each
request, built the PEP 3333 environ, called the app and wrote the response.
minova has no eventlet, so this module plays that part for
``minova.wsgi.Server``: a pool bounding the connection threads (eventlet's
GreenPool of 1000) and the per-connection protocol (RFC 7230 framing, the
environ, the access-log line).

Juno: eventlet.wsgi (library), called from nova/wsgi.py:141-222
Now: nova runs under uWSGI or gunicorn, which do this part.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import re
import socket
import sys
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minova.wsgi import Server

MAX_TOTAL_HEADER_SIZE = 65536    # eventlet.wsgi's limit for all header lines together
STREAM_THRESHOLD = 65536         # bodies up to this size go out in one sendall with the headers
DRAIN_LIMIT = 65536              # unread request body we still read away to keep the connection
CHUNK_PIECE = 65536              # a chunk is read this much at a time, however big it says it is
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
# RFC 7230 5.4 / RFC 3986 3.2.2: a reg-name or IPv4 address, or an IPv6 literal in brackets
HOST = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=%-]*|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?")



class AppGate:
    """At most ``size`` requests inside the app at once in this worker, admitted in arrival order.

    The app is mostly Python under one GIL: 16 connection threads running it at
    once gain no throughput, they take turns in an unfair order, and the unlucky
    request waits several times the median (p99 ~4x p50 in the benchmark; gunicorn
    sync, one request at a time, ~1.3x). Here the connection threads still read and
    write concurrently (slow clients cost nobody), but enter the app one after the
    other, first come first served. The gate covers the app call, where a webob app
    does its work and returns the whole body; sending it (to a reader however slow)
    and iterating a streamed body happen outside. A request that has waited
    ``patience`` seconds goes in anyway: one app call blocked on the network (an
    RPC call to a dead compute waits up to rpc_response_timeout) delays the
    others by that much, not for the whole call. ``size`` 0: no gate.

    NOVA-DIFF: eventlet's green threads ran one at a time and switched only on
    I/O; this gate gives native threads that order back for the CPU-bound part.
    """

    def __init__(self, size: int, patience: float = 1.0):
        self.size, self.patience = size, patience
        self._free = size
        self._waiting: collections.deque[threading.Lock] = collections.deque()
        self._mutex = threading.Lock()

    @contextlib.contextmanager
    def admitted(self):
        if self.size <= 0:
            yield
            return
        has_slot = self._enter()
        try:
            yield
        finally:
            if has_slot:
                self._leave()

    def _enter(self) -> bool:
        """True with a slot; False for a request that lost patience and went in without one."""
        with self._mutex:
            if self._free:
                self._free -= 1
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=self.patience):
            return True        # _leave handed its slot over
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        turn.acquire()         # handed over just as patience ran out: it is ours
        return True

    def _leave(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


class ConnectionPool:
    """At most ``size`` connections served at once, each by its own native thread.

    Plays eventlet.GreenPool's part in Juno's Server: ``resize`` (stop() sets
    0, reset() restores) and ``waitall``; ``spawn`` is called only after
    ``wait_free`` said there is room.
    """

    def __init__(self, size: int):
        self.size = size
        self._busy = 0
        self._threads: set[threading.Thread] = set()
        self._cond = threading.Condition()

    def wait_free(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._busy < self.size, timeout)

    def spawn(self, name: str, func, *args) -> None:
        thread = threading.Thread(target=self._run, args=(func, args), name=name, daemon=True)
        with self._cond:
            self._threads = {t for t in self._threads if t.is_alive()}
            self._threads.add(thread)
            self._busy += 1
        thread.start()

    def _run(self, func, args) -> None:
        try:
            func(*args)
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def resize(self, size: int) -> None:
        with self._cond:
            self.size = size
            self._cond.notify_all()

    def waitall(self, timeout: float) -> bool:
        """Wait for every connection thread to END (so none is left in threading.enumerate())."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if not self._cond.wait_for(lambda: self._busy == 0, timeout):
                return False
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)


class HttpError(Exception):
    """A request we refuse before the app sees it; answered as eventlet.wsgi answers it.

    ``explanation``: a nova-style JSON fault body instead of an empty one.
    """

    def __init__(self, code: int, reason: str, explanation: str | None = None):
        super().__init__(code, reason)
        self.code, self.reason, self.explanation = code, reason, explanation


class BadRequestBody(ValueError):
    """The body does not match its framing (a bad chunk, fewer bytes than Content-Length).

    Raised from ``wsgi.input`` while the app reads: nova's FaultWrapper answers it
    with its ``code`` (a 400 badRequest), any other app gets this server's 400.
    """

    code = 400
    safe = True   # the message names the framing problem, nothing internal


class BodyTimeout(BadRequestBody):
    """The client stopped sending its body for the connection's idle timeout: 408, then close."""

    code = 408


class Input:
    """``wsgi.input``: never reads past the request body (PEP 3333); decodes chunked bodies."""

    def __init__(self, rfile, length: int | None, max_line: int, continue_sock=None):
        self._rfile = rfile
        self._remaining = length          # bytes left of the body; None while chunked
        self._max_line = max_line
        self._buffer = bytearray()        # decoded chunked data not handed out yet
        self._chunk_left = 0              # bytes of the current chunk not read yet
        self.broken = False               # the body timed out: the connection cannot go on
        self._continue_sock = continue_sock

    def _send_continue(self) -> None:
        # RFC 7231 5.1.1: the client waits for this before sending its body.
        if self._continue_sock is not None:
            self._continue_sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            self._continue_sock = None

    def read(self, size: int | None = -1) -> bytes:
        self._send_continue()
        if self._remaining is None:
            while (size is None or size < 0 or len(self._buffer) < size) and self._next_chunk():
                pass
            return self._take(len(self._buffer) if size is None or size < 0 else size)
        if size is None or size < 0 or size > self._remaining:
            size = self._remaining
        data = self._read(size) if size else b""
        if len(data) < size:
            self._remaining = 0
            raise BadRequestBody("the body ended %d bytes short of its Content-Length"
                                 % (size - len(data)))
        self._remaining -= len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        self._send_continue()
        if self._remaining is None:
            while b"\n" not in self._buffer and self._next_chunk():
                pass
            end = self._buffer.find(b"\n") + 1 or len(self._buffer)
            return self._take(end if size is None or size < 0 else min(end, size))
        limit = self._remaining if size is None or size < 0 else min(size, self._remaining)
        data = self._read(limit, line=True) if limit else b""
        self._remaining = self._remaining - len(data) if data else 0
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(self)

    def __iter__(self):
        return iter(self.readline, b"")

    def _read(self, size: int, line: bool = False) -> bytes:
        """One read from the connection; a client silent for the idle timeout is a BodyTimeout."""
        try:
            return self._rfile.readline(size) if line else self._rfile.read(size)
        except TimeoutError:
            self._remaining = 0  # nothing more will be read from this body
            self.broken = True
            raise BodyTimeout("the client sent less of its body than it announced, "
                              "then nothing more") from None

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _next_chunk(self) -> bool:
        """Decode the next piece of chunked body into the buffer (RFC 7230 4.1).

        False after the last chunk. A chunk is read at most CHUNK_PIECE bytes at a
        time, so a chunk that claims to be 1 TB costs no memory until it arrives
        (and the size limit above, sizelimit's LimitingReader, stops it first).
        """
        if self._remaining == 0:
            return False
        if not self._chunk_left:
            line = self._read(1024, line=True)
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not CHUNK_SIZE.fullmatch(size_text):
                self._remaining = 0
                raise BadRequestBody("invalid chunk size line %r" % line[:40])
            size = int(size_text, 16)
            if size == 0:
                while self._rfile.readline(self._max_line) not in (b"\r\n", b"\n", b""):
                    pass                  # trailer fields: ignored
                self._remaining = 0
                return False
            self._chunk_left = size
        data = self._read(min(self._chunk_left, CHUNK_PIECE))
        if not data:
            self._remaining = 0
            raise BadRequestBody("the body ended inside a chunk")
        self._chunk_left -= len(data)
        if not self._chunk_left and self._rfile.readline(3) not in (b"\r\n", b"\n"):
            self._remaining = 0
            raise BadRequestBody("a chunk is longer than its size line says")
        self._buffer += data
        return True

    def can_drain(self) -> bool:
        """Is what the app left unread small enough to read away and keep the connection?"""
        if self.broken:
            return False
        if self._continue_sock is not None and self._remaining != 0:
            return False    # the client still waits for "100 Continue": never send it now
        return self._remaining is None or self._remaining <= DRAIN_LIMIT

    def drain(self) -> bool:
        """Read away the rest of the body; False if it was too big (then close)."""
        total = 0
        while total <= DRAIN_LIMIT:
            data = self.read(16384)
            if not data:
                return True
            total += len(data)
        return False


class HttpConnection:
    """One client connection: read a request, call the app, send the answer; again if kept alive.

    Plays the part of eventlet.wsgi.HttpProtocol: RFC 7230 message framing,
    the PEP 3333 environ and ``start_response``, and the access log line.
    """

    def __init__(self, server: Server, conn: socket.socket, address):
        self.server = server
        self.conn = conn
        self.address = address
        self.rfile = conn.makefile("rb")

    def serve(self) -> None:
        try:
            served = 0
            while self.server._mark_idle(self.conn, served > 0) and self.handle_one_request():
                served += 1
        except HttpError as err:
            self._send_error(err)
        except (ConnectionError, TimeoutError, ValueError):
            pass   # client went away, idle timeout, or garbage in a chunked body
        finally:
            self.rfile.close()

    def handle_one_request(self) -> bool:
        """Serve one request; return True to keep the connection for another."""
        request_line = self._read_request_line()
        if request_line is None:
            return False
        method, target, version = self._parse_request_line(request_line)
        headers = self._read_headers()
        # Busy only now: a client still trickling its headers is closed by stop()
        # like an idle one, so a slow client cannot hold a stopping worker for the
        # whole idle timeout (NOVA-DIFF: eventlet waited for it).
        self.server._mark_busy(self.conn)
        start = time.time()
        environ = self._build_environ(method, target, version, headers)
        # Keep our own reference: webob may replace environ["wsgi.input"] with a
        # BytesIO copy once it has read the body, and we must drain OUR reader.
        body_input = environ["wsgi.input"]
        self._version = version
        self._keep_alive = self._client_keeps_alive(version, environ.get("HTTP_CONNECTION", ""))
        self._respond(environ)
        self._log_request(request_line, start)
        # The answer is sent: empty the environ.  Libraries the app uses leave
        # objects in it that point back at it (routes' URLGenerator, webob's
        # parsed query string), so the request's whole object graph is a
        # reference cycle that only Python's cyclic GC would free, in pauses
        # that stop every request of this worker (NOVA-DIFF: eventlet left it).
        environ.clear()
        if body_input.broken or (self._keep_alive and not body_input.drain()):
            return False
        return self._keep_alive

    def _read_request_line(self) -> str | None:
        limit = self.server._max_url_len
        line = self.rfile.readline(limit)
        if line in (b"\r\n", b"\n"):   # RFC 7230 3.5: skip an empty line before a request
            line = self.rfile.readline(limit)
        if len(line) >= limit:
            raise HttpError(414, "Request URI Too Long")
        if not line.endswith(b"\n"):
            if line.strip():           # e.g. bare CR line ends, then the client stopped
                raise HttpError(400, "Bad Request")
            return None                # connection closed
        return line.rstrip(b"\r\n").decode("latin-1")

    @staticmethod
    def _parse_request_line(line: str) -> tuple[str, str, str]:
        parts = line.split()
        if len(parts) != 3:
            raise HttpError(400, "Bad Request")
        if not parts[2].startswith("HTTP/1."):
            raise HttpError(505, "HTTP Version Not Supported")
        if not parts[1].startswith(("/", "http://", "https://")):
            # CONNECT's authority-form, OPTIONS *, or garbage: nothing a WSGI app can
            # take (PEP 3333's PATH_INFO is a path). eventlet passed them on: a 500.
            raise HttpError(400, "Bad Request")
        return parts[0], parts[1], parts[2]

    def _read_headers(self) -> list[tuple[str, str]]:
        headers, total, limit = [], 0, self.server._max_header_line
        while True:
            line = self.rfile.readline(limit)
            if len(line) >= limit:        # Juno sets eventlet's MAX_HEADER_LINE to 16384
                raise HttpError(400, "Header Line Too Long")
            total += len(line)
            if total > MAX_TOTAL_HEADER_SIZE:
                raise HttpError(400, "Headers Too Large")
            if line in (b"\r\n", b"\n"):
                return headers
            if not line:
                raise ConnectionError("client closed the connection inside the headers")
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip():
                raise HttpError(400, "Bad Request")   # also obsolete line folding (RFC 7230 3.2.4)
            headers.append((name, value.strip()))

    def _build_environ(self, method: str, target: str, version: str, headers) -> dict:
        if "://" in target:           # absolute-form (RFC 7230 5.3.2)
            target = target.split("://", 1)[1].partition("/")[1:]
            target = "".join(target) or "/"
        path, _, query = target.partition("?")
        for part in (path, query):
            try:
                urllib.parse.unquote_to_bytes(part.replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                # NOVA-DIFF: webob decodes the path and query as UTF-8 deep in the
                # app, where Juno's FaultWrapper turned the error into a 500.
                raise HttpError(400, "Bad Request", "The request path or query string"
                                " is not valid UTF-8 once %-decoded.") from None
        for name, value in headers:
            if name.lower() == "host" and not HOST.fullmatch(value):
                raise HttpError(400, "Bad Request", "Invalid Host header.")
        environ = {
            "REQUEST_METHOD": method, "SCRIPT_NAME": "",
            # PEP 3333: native strings holding the raw bytes as latin-1.
            "PATH_INFO": urllib.parse.unquote(path, "latin-1"), "RAW_PATH_INFO": path,
            "QUERY_STRING": query, "SERVER_PROTOCOL": version,
            "SERVER_NAME": str(self.server.host), "SERVER_PORT": str(self.server.port),
            "REMOTE_ADDR": self.address[0], "REMOTE_PORT": str(self.address[1]),
            "GATEWAY_INTERFACE": "CGI/1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in headers:
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            environ[key] = environ[key] + "," + value if key in environ else value
        environ["wsgi.input"] = self._make_input(environ, version)
        return environ

    def _make_input(self, environ: dict, version: str) -> Input:
        expect = environ.get("HTTP_EXPECT", "").lower() == "100-continue"
        continue_sock = self.conn if expect and version == "HTTP/1.1" else None
        max_line = self.server._max_header_line
        if environ.get("HTTP_TRANSFER_ENCODING"):
            if environ["HTTP_TRANSFER_ENCODING"].lower() != "chunked":
                raise HttpError(501, "Not Implemented")
            environ.pop("CONTENT_LENGTH", None)       # RFC 7230 3.3.3: chunked wins
            environ["wsgi.input_terminated"] = True   # read() to EOF is safe (webob knows this)
            return Input(self.rfile, None, max_line, continue_sock)
        length = environ.get("CONTENT_LENGTH", "0") or "0"
        if not length.isdigit():
            raise HttpError(400, "Bad Request")
        return Input(self.rfile, int(length), max_line, continue_sock if length != "0" else None)

    @staticmethod
    def _client_keeps_alive(version: str, connection: str) -> bool:
        # RFC 7230 6.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        tokens = connection.lower()
        if version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens

    def _respond(self, environ: dict) -> None:
        self._status = self._headers = None
        self._headers_sent = self._chunked = False
        self._status_code = self._body_length = 0
        self._bodyless = environ["REQUEST_METHOD"] == "HEAD"
        self._input = environ["wsgi.input"]
        try:
            with self.server._app_gate.admitted():
                result = self.server.app(environ, self._start_response)
            try:
                self._send_result(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (ConnectionError, TimeoutError):
            raise
        except BadRequestBody as err:
            # The app did not turn it into a response itself: say 400 (408 for a
            # body that stopped coming) and close: the stream cannot be framed any more.
            self._keep_alive = False
            if not self._headers_sent:
                reason = "Request Timeout" if err.code == 408 else "Bad Request"
                self._status, self._headers = "%d %s" % (err.code, reason), [
                    ("Content-Type", "application/json; charset=UTF-8")]
                self._send_whole(_fault_body(err.code, str(err)))
        except Exception:
            # The WSGI boundary: a bug in the app must not end the worker, and
            # Juno runs eventlet with debug=False: the traceback stays in the log.
            self.server._logger.exception("Error while serving %s %s",
                                          environ["REQUEST_METHOD"], environ["PATH_INFO"])
            if self._headers_sent:
                self._keep_alive = False      # the response is cut short: close
                return
            self._status, self._headers = "500 Internal Server Error", [
                ("Content-Type", "text/plain; charset=UTF-8")]
            self._send_whole(b"500 Internal Server Error\n\nThe server has an internal error.\n")

    def _start_response(self, status: str, headers: list, exc_info=None):
        if exc_info is not None and self._headers_sent:
            raise exc_info[1].with_traceback(exc_info[2])   # PEP 3333: too late to change
        if exc_info is None and self._status is not None:
            raise AssertionError("start_response() called twice without exc_info")
        self._status, self._headers = status, headers
        return self._write

    def _send_result(self, result) -> None:
        """Send a small response with ONE sendall; stream a big or open-ended one."""
        buffered, size = [], 0
        iterator = iter(result)
        for chunk in iterator:
            buffered.append(chunk)
            size += len(chunk)
            if size > STREAM_THRESHOLD or self._headers_sent:
                self._write(b"".join(buffered))
                for chunk in iterator:
                    self._write(chunk)
                break
        else:
            if not self._headers_sent:
                return self._send_whole(b"".join(buffered))
        if self._chunked:
            self.conn.sendall(b"0\r\n\r\n")

    def _send_whole(self, body: bytes) -> None:
        head = self._head(len(body))
        self.conn.sendall(head if self._bodyless else head + body)
        self._body_length = 0 if self._bodyless else len(body)

    def _write(self, data: bytes) -> None:
        """The streaming path, and PEP 3333's legacy ``write()`` callable."""
        if self._status is None:
            raise AssertionError("write() before start_response()")
        head = b"" if self._headers_sent else self._head(None)
        if self._bodyless or not data:
            if head:
                self.conn.sendall(head)
            return
        self._body_length += len(data)
        if self._chunked:
            data = b"%x\r\n%s\r\n" % (len(data), data)
        self.conn.sendall(head + data)

    def _head(self, length: int | None) -> bytes:
        """Status line and headers, adding the framing headers the app left out (RFC 7230 3.3)."""
        self._status_code = int(self._status[:3])
        names = {name.lower(): value for name, value in self._headers}
        extra = [] if "date" in names else [("Date", self.server._http_date())]
        if self._bodyless or self._status_code in (204, 304) or self._status_code < 200:
            self._bodyless = True
        elif "content-length" not in names:
            if length is not None:
                extra.append(("Content-Length", str(length)))
            elif self._version == "HTTP/1.1":
                self._chunked = True
                extra.append(("Transfer-Encoding", "chunked"))
            else:
                self._keep_alive = False      # HTTP/1.0: the body ends when we close
        if ("close" in names.get("connection", "").lower() or self.server._stopping
                or not self._input.can_drain()):
            self._keep_alive = False
        if "connection" not in names:
            if not self._keep_alive:
                extra.append(("Connection", "close"))
            elif self._version == "HTTP/1.0":
                extra.append(("Connection", "keep-alive"))
        lines = ["HTTP/1.1 %s\r\n" % self._status]
        lines.extend("%s: %s\r\n" % pair for pair in self._headers + extra)
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        self._headers_sent = True
        return head

    def _log_request(self, request_line: str, start: float) -> None:
        logger = self.server._logger
        if logger.isEnabledFor(logging.INFO):
            logger.info(self.server._log_format, {
                "client_ip": self.address[0], "client_port": self.address[1],
                "date_time": time.strftime("%d/%b/%Y %H:%M:%S"),
                "request_line": request_line, "status_code": self._status_code,
                "body_length": self._body_length, "wall_seconds": time.time() - start})

    def _send_error(self, err: HttpError) -> None:
        """Answer a refused request as eventlet does, then close without a reset."""
        body, kind = b"", b""
        if err.explanation:
            body = _fault_body(err.code, err.explanation)
            kind = b"Content-Type: application/json; charset=UTF-8\r\n"
        try:
            self.conn.sendall(b"HTTP/1.0 %d %s\r\nConnection: close\r\n%sContent-Length: %d\r\n"
                              b"\r\n%s" % (err.code, err.reason.encode("latin-1"), kind,
                                            len(body), body))
            # Half-close and read away what the client still sends, so its unread
            # bytes do not make the kernel answer with a RST that destroys our
            # response before the client reads it (RFC 7230 6.6).
            self.conn.shutdown(socket.SHUT_WR)
            self.conn.settimeout(1.0)
            for _ in range(64):
                if not self.conn.recv(65536):
                    break
        except OSError:
            pass


def _fault_body(code: int, message: str) -> bytes:
    """nova's fault shape (``{"badRequest": {"code": 400, "message": ...}}``) for this layer's 4xx.

    As nova's Fault names them: 400 is ``badRequest``, a code it has no name for
    (408) ``computeFault``.
    """
    import json
    name = "badRequest" if code == 400 else "computeFault"
    return json.dumps({name: {"code": code, "message": message}}).encode()
