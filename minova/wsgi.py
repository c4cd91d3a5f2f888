"""The first of nova's two ``wsgi.py`` files: the server, the paste loader, and WSGI base classes.

Layer 2 (``Server``, ``Loader``): notebooks/02_wsgi_server.ipynb
Layer 3 (``Application``, ``Middleware``): notebooks/03_paste_urlmap.ipynb
Layer 4 (``Router``): notebooks/04_router.ipynb

Not to be confused with ``minova/api/openstack/wsgi.py`` (``Resource``,
``Controller``, ``Fault``): this one knows nothing about the compute API.
The HTTP/1.1 work that eventlet.wsgi did for Juno's ``Server`` (parse a
request, build the environ, write the response) is in ``minova/httpd.py``.

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
import threading
import time

import paste.deploy
import routes.middleware
import webob.dec
import webob.exc
from oslo_config import cfg

from minova import exception, httpd

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
    # Not in Juno: see minova.httpd.AppGate.
    cfg.IntOpt("wsgi_app_concurrency", default=1,
               help="Requests a worker runs through the app at once, admitted in arrival "
                    "order (connection threads still read and write concurrently); 0: no "
                    "limit"),
    cfg.IntOpt("max_header_line", default=16384,
               help="Maximum line size of message headers to be accepted. It may need to be "
                    "increased when using large tokens (Keystone v3 with big catalogs)."),
]

CONF = cfg.CONF
CONF.register_opts(wsgi_opts)

URL_LENGTH_LIMIT = 8192          # eventlet.wsgi's default request-line limit (its 414)
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
    the small ``httpd.HttpConnection`` below instead of eventlet.wsgi; no SSL.
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
        self._pool = httpd.ConnectionPool(self.pool_size)
        self._app_gate = httpd.AppGate(CONF.wsgi_app_concurrency)
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
            httpd.HttpConnection(self, conn, address).serve()
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
