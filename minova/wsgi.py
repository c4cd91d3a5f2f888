"""The first of nova's two ``wsgi.py`` files: the server, the paste loader, and WSGI base classes.

Layer 2 (``Server``, ``Loader``): notebooks/02_wsgi_server.ipynb
Layer 3 (``Application``, ``Middleware``): notebooks/03_paste_urlmap.ipynb
Layer 4 (``Router``): notebooks/04_router.ipynb

Not to be confused with ``minova/api/openstack/wsgi.py`` (``Resource``,
``Controller``, ``Fault``): this one knows nothing about the compute API.

Juno: nova/wsgi.py
Now: removed in 30.0.0; ``Application``/``Middleware``/``Router``/``Loader`` live
in nova/api/wsgi.py, and the server is uWSGI or gunicorn.
"""

from __future__ import annotations

import email.utils
import logging
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

import paste.deploy
import routes.middleware
import webob.dec
import webob.exc
from oslo_config import cfg

from minova import exception

LOG = logging.getLogger(__name__)


# --- Server and Loader (layer 2) ------------------------------------------

wsgi_opts = [
    cfg.StrOpt("api_paste_config", default="api-paste.ini",
               help="File name for the paste.deploy config for nova-api"),
    cfg.StrOpt("wsgi_log_format",
               default='%(client_ip)s "%(request_line)s" status: %(status_code)s'
                       ' len: %(body_length)s time: %(wall_seconds).7f',
               help="A python format string that is used as the template to generate "
                    "log lines. The following values can be formatted into it: client_ip, "
                    "date_time, request_line, status_code, body_length, wall_seconds."),
    cfg.StrOpt("ssl_ca_file", help="CA certificate file to use to verify connecting clients"),
    cfg.StrOpt("ssl_cert_file", help="SSL certificate of API server"),
    cfg.StrOpt("ssl_key_file", help="SSL private key of API server"),
    cfg.IntOpt("tcp_keepidle", default=600,
               help="Sets the value of TCP_KEEPIDLE in seconds for each server socket."),
    cfg.IntOpt("wsgi_default_pool_size", default=1000,
               help="Size of the pool of threads used by wsgi (a green pool in Juno)"),
    cfg.IntOpt("max_header_line", default=16384,
               help="Maximum line size of message headers to be accepted. It may need to be "
                    "increased when using large tokens (Keystone v3 with big catalogs)."),
]

CONF = cfg.CONF
CONF.register_opts(wsgi_opts)

URL_LENGTH_LIMIT = 8192          # eventlet.wsgi's default request-line limit (its 414)
MAX_TOTAL_HEADER_SIZE = 65536    # eventlet.wsgi's limit for all header lines together
STREAM_THRESHOLD = 65536         # bodies up to this size go out in one sendall with the headers
DRAIN_LIMIT = 65536              # unread request body we still read away to keep the connection
SERVER_THREAD_BLOCKED_SIGNALS = {getattr(signal, name) for name in (
    "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGALRM", "SIGCHLD", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name)}
PACKAGED_ETC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "etc")


class Server:
    """Serve a WSGI app on a socket bound at construction: one accept thread, a bounded pool.

    ``start()`` returns at once; the accept loop runs in the thread
    ``wsgi-server-<name>`` and hands each connection to a thread from the
    pool (at most ``pool_size`` at once). ``stop()`` + ``wait()`` let
    in-flight requests finish and leave no thread behind.

    Mirrors: nova.wsgi.Server (nova/wsgi.py:79, 2014.2)
    Simplified: native threads instead of an eventlet GreenPool; HTTP/1.1 is
    the small ``_HttpConnection`` below instead of eventlet.wsgi; no SSL.
    """

    # NOVA-DIFF: Juno keeps idle keep-alive connections forever (Kilo added
    # client_socket_timeout); a thread per connection cannot afford that.
    idle_timeout = 30.0

    def __init__(self, name: str, app, host: str = "0.0.0.0", port: int = 0,
                 pool_size: int | None = None, backlog: int = 128, use_ssl: bool = False,
                 max_url_len: int | None = None):
        # NOVA-DIFF: Juno reads wsgi_default_pool_size into a class attribute at
        # import time; reading it here lets set_override() take effect.
        self.pool_size = pool_size or CONF.wsgi_default_pool_size
        if backlog < 1:
            raise exception.InvalidInput(reason="The backlog must be more than 0, got %r"
                                         % backlog)
        if use_ssl:
            raise NotImplementedError("minova's wsgi.Server does not implement SSL "
                                      "(use_ssl=True); put a TLS proxy in front of it")
        self.name = name
        self.app = app
        self._pool = _ConnectionPool(self.pool_size)
        self._logger = logging.getLogger("minova.%s.wsgi.server" % name)
        self._max_url_len = max_url_len or URL_LENGTH_LIMIT
        self._max_header_line = CONF.max_header_line
        self._log_format = CONF.wsgi_log_format
        self._socket = self._bind(host, port, backlog)
        self.host, self.port = self._socket.getsockname()[:2]
        self._owner_pid = os.getpid()
        self._server: threading.Thread | None = None
        self._stopping = False
        self._lock = threading.Lock()
        # connection -> (when it went idle, whether it served a request before)
        self._idle: dict[socket.socket, tuple[float, bool]] = {}
        self._date = (0, "")
        LOG.info("%(name)s listening on %(host)s:%(port)s",
                 {"name": self.name, "host": self.host, "port": self.port})

    @staticmethod
    def _bind(host: str, port: int, backlog: int) -> socket.socket:
        try:
            family, _, _, _, address = socket.getaddrinfo(
                host, port, socket.AF_UNSPEC, socket.SOCK_STREAM)[0]
        except socket.gaierror:
            family, address = socket.AF_INET, (host, port)
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # A blocking accept() that returns every 0.5 s (EAGAIN) to look at the
            # stop flag. Blocking, not select(): when forked workers share this
            # socket the kernel wakes ONE waiting accept per connection, in turn.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 500000))
            sock.bind(address)
            sock.listen(backlog)
        except OSError:
            sock.close()
            LOG.error("Could not bind to %(host)s:%(port)s", {"host": host, "port": port})
            raise
        return sock

    def start(self) -> None:
        """Run the accept loop in a thread and return; forked workers call this in the child."""
        # Juno dups the socket: the accept loop closes its copy on stop, while the
        # original stays usable for a restart (SIGHUP) in a forked worker.
        dup_socket = self._socket.dup()
        if hasattr(socket, "TCP_KEEPIDLE"):
            # NOVA-DIFF: Juno sets these only on SSL sockets; nova does it always since Kilo.
            dup_socket.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            dup_socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, CONF.tcp_keepidle)
        self._log_format = CONF.wsgi_log_format
        self._stopping = False
        self._server = threading.Thread(target=self._accept_loop, args=(dup_socket,),
                                        name="wsgi-server-%s" % self.name, daemon=True)
        self._server.start()

    def _accept_loop(self, sock: socket.socket) -> None:
        self._keep_signals_for_main_thread()
        try:
            while not self._stopping:
                if not self._wait_for_free_slot():
                    continue
                try:
                    conn, address = sock.accept()
                except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                    continue        # the 0.5 s SO_RCVTIMEO tick, or a client gave up
                except OSError:
                    LOG.exception("accept() failed on %s", self.name)
                    time.sleep(0.1)  # e.g. EMFILE: do not spin
                    continue
                if self._stopping:
                    conn.close()
                    break
                self._pool.spawn("wsgi-conn-%s" % self.name, self._serve_connection,
                                 conn, address)
        finally:
            sock.close()

    @staticmethod
    def _keep_signals_for_main_thread() -> None:
        """Block the process signals in this thread and the connection threads it starts.

        Python runs signal handlers in the main thread only. If the kernel hands
        SIGTERM to a server thread instead, a main thread blocked on a lock (a
        forked worker waiting to be told to stop) never wakes up to run its handler.
        """
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, SERVER_THREAD_BLOCKED_SIGNALS)

    def _wait_for_free_slot(self) -> bool:
        """Leave new connections in the kernel backlog while all pool slots are busy."""
        if self._pool.wait_free(0):
            return True
        # Saturated: a connection that only waits for its next keep-alive
        # request is the cheapest slot to give back (RFC 7230 6.3.1: clients retry).
        self._close_idle(oldest_only=True)
        return self._pool.wait_free(0.5)

    def _serve_connection(self, conn: socket.socket, address) -> None:
        try:
            if conn.family in (socket.AF_INET, socket.AF_INET6):
                # The response goes out in one send; do not let Nagle hold it back.
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(self.idle_timeout)
            _HttpConnection(self, conn, address).serve()
        finally:
            with self._lock:
                self._idle.pop(conn, None)
            conn.close()

    def _mark_idle(self, conn: socket.socket, reused: bool) -> bool:
        """Record that ``conn`` waits for a request; False means "close it, we are stopping"."""
        with self._lock:
            if self._stopping:
                return False
            self._idle[conn] = (time.monotonic(), reused)
            return True

    def _mark_busy(self, conn: socket.socket) -> None:
        with self._lock:
            self._idle.pop(conn, None)

    def _close_idle(self, oldest_only: bool = False) -> None:
        """Shut down connections that wait for a request; their threads then end.

        ``oldest_only`` (the pool is full) picks among connections that already
        served a request: a client retries those, but not a fresh connection.
        """
        with self._lock:
            idle = sorted(self._idle, key=self._idle.__getitem__)
            if oldest_only:
                idle = [conn for conn in idle if self._idle[conn][1]][:1]
            for conn in idle:
                del self._idle[conn]
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _http_date(self) -> str:
        """The Date header (RFC 7231 7.1.1.2), formatted once per second."""
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, email.utils.formatdate(now, usegmt=True))
        return self._date[1]

    def reset(self) -> None:
        """Reset the pool to its full size (Juno: after a stop, before a restart)."""
        self._pool.resize(self.pool_size)

    def stop(self) -> None:
        """Stop accepting; idle keep-alive connections are closed, busy ones finish."""
        LOG.info("Stopping WSGI server.")
        with self._lock:
            self._stopping = True
        self._pool.resize(0)
        self._close_idle()
        if self._server is not None and self._server.is_alive():
            self._nudge_accept()
        # NOVA-DIFF: Juno never closes the listening socket (a forked worker may
        # be restarted by SIGHUP). minova keeps that in forked workers, but the
        # process that bound it (a notebook) gets its port back.
        if os.getpid() == self._owner_pid:
            self._socket.close()

    def _nudge_accept(self) -> None:
        """Wake the blocked accept() now with a connection to ourselves.

        If a sibling worker takes it instead, the 0.5 s SO_RCVTIMEO tick still
        ends our loop.
        """
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        try:
            socket.create_connection((host, self.port), timeout=0.5).close()
        except OSError:
            pass

    def wait(self, timeout: float = 30.0) -> None:
        """Block until stop() ended the accept loop, then let in-flight requests finish.

        NOVA-DIFF: Juno's ``pool.waitall()`` has no bound; here the requests get
        ``timeout`` seconds, then wait() returns (their threads are daemons).
        """
        if self._server is not None:
            self._server.join()     # ends within 0.5 s of stop()
        if not self._pool.waitall(timeout):
            LOG.warning("WSGI server %s: requests still running after %.0f s",
                        self.name, timeout)
            return
        LOG.info("WSGI server has stopped.")


class Loader:
    """Find the paste.deploy ini file and build a named WSGI app from it.

    Mirrors: nova.wsgi.Loader (nova/wsgi.py:489, 2014.2)
    """

    def __init__(self, config_path: str | None = None):
        config_path = config_path or CONF.api_paste_config
        if os.path.isabs(config_path):
            self.config_path = config_path if os.path.exists(config_path) else None
        else:
            self.config_path = self._find_relative(config_path)
        if not self.config_path:
            raise exception.ConfigNotFound(path=config_path)

    @staticmethod
    def _find_relative(name: str) -> str | None:
        try:
            path = CONF.find_file(name)   # --config-dir, the --config-file dirs, /etc/minova...
        except cfg.NotInitializedError:
            path = None                   # CONF was never parsed (a notebook): skip to the fallback
        if path:
            return os.path.abspath(path)
        # NOVA-DIFF: nova has no fallback; minova ships its api-paste.ini in the
        # package, so minova-api runs with no configuration at all.
        packaged = os.path.join(PACKAGED_ETC, name)
        return packaged if os.path.exists(packaged) else None

    def load_app(self, name: str):
        """Return the WSGI app that section ``name`` of the ini file builds."""
        try:
            LOG.debug("Loading app %(name)s from %(path)s",
                      {"name": name, "path": self.config_path})
            return paste.deploy.loadapp("config:%s" % self.config_path, name=name)
        except LookupError:
            LOG.exception("Couldn't lookup app: %s", name)
            raise exception.PasteAppNotFound(name=name, path=self.config_path) from None


# --- What eventlet.wsgi did for Juno: HTTP/1.1 on an accepted socket ------
# A pool that bounds the connection threads, and the per-connection protocol:
# RFC 7230 framing, the PEP 3333 environ, the access-log line.


class _ConnectionPool:
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


class _HttpError(Exception):
    """A request we refuse before the app sees it; answered as eventlet.wsgi answers it."""

    def __init__(self, code: int, reason: str):
        super().__init__(code, reason)
        self.code, self.reason = code, reason


class _Input:
    """``wsgi.input``: never reads past the request body (PEP 3333); decodes chunked bodies."""

    def __init__(self, rfile, length: int | None, max_line: int, continue_sock=None):
        self._rfile = rfile
        self._remaining = length          # bytes left of the body; None while chunked
        self._max_line = max_line
        self._buffer = bytearray()        # decoded chunked data not handed out yet
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
        data = self._rfile.read(size) if size else b""
        self._remaining = self._remaining - len(data) if data else 0
        return data

    def readline(self, size: int | None = -1) -> bytes:
        self._send_continue()
        if self._remaining is None:
            while b"\n" not in self._buffer and self._next_chunk():
                pass
            end = self._buffer.find(b"\n") + 1 or len(self._buffer)
            return self._take(end if size is None or size < 0 else min(end, size))
        limit = self._remaining if size is None or size < 0 else min(size, self._remaining)
        data = self._rfile.readline(limit) if limit else b""
        self._remaining = self._remaining - len(data) if data else 0
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(self)

    def __iter__(self):
        return iter(self.readline, b"")

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _next_chunk(self) -> bool:
        """Decode one chunk into the buffer (RFC 7230 4.1); False after the last one."""
        if self._remaining == 0:
            return False
        line = self._rfile.readline(1024)
        try:
            size = int(line.split(b";", 1)[0], 16)
        except ValueError:
            raise ValueError("invalid chunk size line %r" % line[:40]) from None
        if size < 0:
            raise ValueError("invalid chunk size %d" % size)
        if size == 0:
            while self._rfile.readline(self._max_line) not in (b"\r\n", b"\n", b""):
                pass                      # trailer fields: ignored
            self._remaining = 0
            return False
        data = self._rfile.read(size)
        self._rfile.readline(3)           # the CRLF after the chunk data
        if len(data) < size:
            raise ConnectionError("client closed the connection inside a chunk")
        self._buffer += data
        return True

    def can_drain(self) -> bool:
        """Is what the app left unread small enough to read away and keep the connection?"""
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


class _HttpConnection:
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
        except _HttpError as err:
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
        self.server._mark_busy(self.conn)
        method, target, version = self._parse_request_line(request_line)
        headers = self._read_headers()
        start = time.time()
        environ = self._build_environ(method, target, version, headers)
        # Keep our own reference: webob may replace environ["wsgi.input"] with a
        # BytesIO copy once it has read the body, and we must drain OUR reader.
        body_input = environ["wsgi.input"]
        self._version = version
        self._keep_alive = self._client_keeps_alive(version, environ.get("HTTP_CONNECTION", ""))
        self._respond(environ)
        self._log_request(request_line, start)
        if self._keep_alive and not body_input.drain():
            return False
        return self._keep_alive

    def _read_request_line(self) -> str | None:
        limit = self.server._max_url_len
        line = self.rfile.readline(limit)
        if line in (b"\r\n", b"\n"):   # RFC 7230 3.5: skip an empty line before a request
            line = self.rfile.readline(limit)
        if len(line) >= limit:
            raise _HttpError(414, "Request URI Too Long")
        if not line.endswith(b"\n"):
            return None                # connection closed (maybe mid-line)
        return line.rstrip(b"\r\n").decode("latin-1")

    @staticmethod
    def _parse_request_line(line: str) -> tuple[str, str, str]:
        parts = line.split()
        if len(parts) != 3:
            raise _HttpError(400, "Bad Request")
        if not parts[2].startswith("HTTP/1."):
            raise _HttpError(505, "HTTP Version Not Supported")
        return parts[0], parts[1], parts[2]

    def _read_headers(self) -> list[tuple[str, str]]:
        headers, total, limit = [], 0, self.server._max_header_line
        while True:
            line = self.rfile.readline(limit)
            if len(line) >= limit:        # Juno sets eventlet's MAX_HEADER_LINE to 16384
                raise _HttpError(400, "Header Line Too Long")
            total += len(line)
            if total > MAX_TOTAL_HEADER_SIZE:
                raise _HttpError(400, "Headers Too Large")
            if line in (b"\r\n", b"\n"):
                return headers
            if not line:
                raise ConnectionError("client closed the connection inside the headers")
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip():
                raise _HttpError(400, "Bad Request")   # also obsolete line folding (RFC 7230 3.2.4)
            headers.append((name, value.strip()))

    def _build_environ(self, method: str, target: str, version: str, headers) -> dict:
        if "://" in target:           # absolute-form (RFC 7230 5.3.2)
            target = target.split("://", 1)[1].partition("/")[1:]
            target = "".join(target) or "/"
        path, _, query = target.partition("?")
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

    def _make_input(self, environ: dict, version: str) -> _Input:
        expect = environ.get("HTTP_EXPECT", "").lower() == "100-continue"
        continue_sock = self.conn if expect and version == "HTTP/1.1" else None
        max_line = self.server._max_header_line
        if environ.get("HTTP_TRANSFER_ENCODING"):
            if environ["HTTP_TRANSFER_ENCODING"].lower() != "chunked":
                raise _HttpError(501, "Not Implemented")
            environ.pop("CONTENT_LENGTH", None)       # RFC 7230 3.3.3: chunked wins
            environ["wsgi.input_terminated"] = True   # read() to EOF is safe (webob knows this)
            return _Input(self.rfile, None, max_line, continue_sock)
        length = environ.get("CONTENT_LENGTH", "0") or "0"
        if not length.isdigit():
            raise _HttpError(400, "Bad Request")
        return _Input(self.rfile, int(length), max_line, continue_sock if length != "0" else None)

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
            result = self.server.app(environ, self._start_response)
            try:
                self._send_result(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (ConnectionError, TimeoutError):
            raise
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

    def _send_error(self, err: _HttpError) -> None:
        """Answer a refused request as eventlet does, then close without a reset."""
        try:
            self.conn.sendall(b"HTTP/1.0 %d %s\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                              % (err.code, err.reason.encode("latin-1")))
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


# --- WSGI base classes (layers 3-4) -----------------------------------------

class Request(webob.Request):
    """nova's request class: plain webob.

    Mirrors: nova.wsgi.Request (nova/wsgi.py:264, 2014.2)
    """


class Application:
    """Base WSGI application; ``factory`` is the paste ``app_factory`` hook.

    Mirrors: nova.wsgi.Application (nova/wsgi.py:268, 2014.2)
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        """``paste.app_factory = module:Class.factory`` calls this with the ini section's keys."""
        return cls(**local_config)

    def __call__(self, environ, start_response):
        raise NotImplementedError("You must implement __call__")


class Middleware(Application):
    """Base WSGI middleware: wraps the next application in the pipeline.

    ``factory`` is the paste ``filter_factory`` hook: it returns a function
    that paste.deploy calls with the next app.  Subclasses override
    ``process_request`` (return a response to short-circuit) and/or
    ``process_response``, or ``__call__`` itself.

    Mirrors: nova.wsgi.Middleware (nova/wsgi.py:333, 2014.2)
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        def _factory(app):
            return cls(app, **local_config)
        return _factory

    def __init__(self, application):
        self.application = application

    def process_request(self, req):
        """Return None to go on down the pipeline, or a response to stop here."""
        return None

    def process_response(self, response):
        return response

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        response = self.process_request(req)
        if response:
            return response
        response = req.get_response(self.application)
        return self.process_response(response)


class Router:
    """WSGI middleware that maps an incoming request to a WSGI app by URL.

    ``mapper`` is a ``routes.Mapper`` whose routes carry a ``controller``
    that is itself a WSGI app (in nova: a ``Resource``).  ``__call__`` hands
    the request to routes' ``RoutesMiddleware``, which matches the URL, stores
    the match in ``environ['wsgiorg.routing_args']`` and calls ``_dispatch``.

    Mirrors: nova.wsgi.Router (nova/wsgi.py:432, 2014.2)
    """

    def __init__(self, mapper):
        self.map = mapper
        self._router = routes.middleware.RoutesMiddleware(self._dispatch, self.map)

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        # Returning a WSGI app from a wsgify method makes webob call it next.
        return self._router

    @staticmethod
    @webob.dec.wsgify(RequestClass=Request)
    def _dispatch(req):
        """Called by RoutesMiddleware after matching: return the matched controller."""
        match = req.environ["wsgiorg.routing_args"][1]
        if not match:
            return webob.exc.HTTPNotFound()
        return match["controller"]
