"""Run ``minova-api`` (or another minova command) as a subprocess and watch its workers.

Not a nova mirror: a teaching helper for notebooks/01_launcher.ipynb.  The notebook
never forks its own kernel; it starts the launcher as a child process here:

    api = start_api(workers=2)      # own session, port 0; waits for "listening on"
    api.process_tree()              # parent and workers: pid, ppid, role, RSS, threads
    api.request("/")                # which worker answered (from the access log)
    api.kill_worker()               # SIGKILL one worker; the parent respawns it
    api.terminate()                 # SIGTERM, wait; SIGKILL the group if needed

Every process started here is remembered until it is terminated; ``stop_all()``
(also run at interpreter exit) stops them, so a re-run never leaves one behind.
"""

from __future__ import annotations

import atexit
import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import psutil

LISTENING_RE = r"(\S+) listening on ([\d.]+):(\d+)"
# "<date> <time> <pid> INFO minova.osapi_compute.wsgi.server 127.0.0.1 "GET / HTTP/1.1" status: 200"
ACCESS_RE = r"^\S+ \S+ (\d+) INFO \S+ \S+ \"(\S+) (\S+) [^\"]*\" status: (\d+)"

# Run in the subprocess before minova's main(): a SIGUSR2 handler that writes the
# Python stack of every thread to stderr.  Installed before the fork, so every
# worker inherits it (ProcessLauncher only re-handles TERM, INT and HUP).
_STACKS_BOOT = r"""
import linecache, os, signal, sys, threading
from minova.course.trace import frame_qualname
def _dump_stacks(signo, frame):
    names = {t.ident: t.name for t in threading.enumerate()}
    out = []
    for ident, top in sys._current_frames().items():
        out.append("STACK %d thread %s" % (os.getpid(), names.get(ident, ident)))
        frames = []
        while top is not None:
            frames.append(top)
            top = top.f_back
        for f in reversed(frames):
            code = f.f_code
            if code.co_name != "_dump_stacks":
                out.append("STACK %d   %s:%d %s()  %s" % (
                    os.getpid(), code.co_filename, f.f_lineno,
                    frame_qualname(f),
                    linecache.getline(code.co_filename, f.f_lineno).strip()))
    out.append("STACK %d END" % os.getpid())
    os.write(2, ("\n".join(out) + "\n").encode())
signal.signal(signal.SIGUSR2, _dump_stacks)
sys.argv[0] = __NAME__
from minova.cmd.api import main
sys.exit(main())
"""

_RUNNING: set[MinovaProcess] = set()


def find_command(name: str) -> str | None:
    """The console script ``name`` next to this interpreter (the course's .venv/bin)."""
    return shutil.which(name, path=os.path.dirname(sys.executable))


class LogEnded(TimeoutError):
    """The stream ended (every writer exited) before the awaited line came."""


class LogBuffer:
    """The last ``maxlen`` lines of a stream, numbered, with a bounded wait for a pattern."""

    def __init__(self, maxlen: int = 5000):
        self._lines: collections.deque[tuple[int, str]] = collections.deque(maxlen=maxlen)
        self._total = 0
        self._closed = False
        self._cond = threading.Condition()

    def close(self) -> None:
        """No more lines will come: wake every waiter."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def append(self, line: str) -> None:
        with self._cond:
            self._lines.append((self._total, line))
            self._total += 1
            self._cond.notify_all()

    def mark(self) -> int:
        """Number of lines seen so far: pass it as ``since`` to look only at newer lines."""
        with self._cond:
            return self._total

    def lines(self, since: int = 0) -> list[str]:
        with self._cond:
            return [line for number, line in self._lines if number >= since]

    def search(self, pattern: str, since: int = 0) -> list[re.Match]:
        rx = re.compile(pattern)
        return [m for m in map(rx.search, self.lines(since)) if m]

    def wait_for(self, pattern: str, timeout: float = 10.0, since: int = 0,
                 count: int = 1) -> list[re.Match]:
        """Block until ``count`` lines match ``pattern``; TimeoutError (with the tail) if not."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self.search(pattern, since)
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    error = LogEnded if self._closed else TimeoutError
                    raise error("no %d line(s) matching %r %s; last lines:\n%s"
                                % (count, pattern, "before the output ended" if self._closed
                                   else "within %.1f s" % timeout,
                                   "\n".join(self.lines()[-15:])))
                self._cond.wait(left)


@dataclass
class ProcessRow:
    pid: int
    ppid: int
    role: str
    rss_mb: float
    threads: int
    listening: str


class ProcessTable(list):
    """Rows of ``ProcessRow``; prints as an aligned text table."""

    def __str__(self) -> str:
        if not self:
            return "(no process running)"
        lines = ["%-7s %-7s %-7s %8s %8s  %s" % ("pid", "ppid", "role", "RSS MB", "threads",
                                                "listening on")]
        lines += ["%-7d %-7d %-7s %8.1f %8d  %s" % (r.pid, r.ppid, r.role, r.rss_mb, r.threads,
                                                  r.listening) for r in self]
        return "\n".join(lines)

    __repr__ = __str__


@dataclass
class Reply:
    status: int
    worker: int | None  # pid from the access-log line, None if none came
    body: bytes


class MinovaProcess:
    """One minova command in its own session, stderr read into a ``LogBuffer`` by a thread."""

    def __init__(self, argv: list[str], env: dict | None = None, maxlen: int = 5000,
                 name: str | None = None):
        self.argv = list(argv)
        self.name = name or os.path.basename(self.argv[0])
        self.log = LogBuffer(maxlen)
        self.port: int | None = None
        self.host = "127.0.0.1"
        # Own session: the launcher and its forked workers form one process
        # group of their own (killpg reaches all); Ctrl-C in the kernel does not.
        self.popen = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, start_new_session=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})))
        self.pid = self.popen.pid
        self._reader = threading.Thread(target=self._read, name="minova-log-reader-%d" % self.pid,
                                        daemon=True)
        self._reader.start()
        _RUNNING.add(self)

    def _read(self) -> None:
        # Ends at EOF: when the parent and every worker (they share stderr) are gone.
        for line in self.popen.stderr:
            self.log.append(line.rstrip("\n"))
        self.log.close()

    def __enter__(self) -> MinovaProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.terminate()

    def __repr__(self) -> str:
        state = "running" if self.running() else "exited %s" % self.popen.returncode
        return "<%s pid %d port %s %s>" % (self.name, self.pid, self.port, state)

    # --- looking -------------------------------------------------------------

    def running(self) -> bool:
        return self.popen.poll() is None

    def wait_listening(self, timeout: float = 15.0) -> int:
        """Wait for the parent's "<name> listening on HOST:PORT" line; return the port."""
        (match,) = self.log.wait_for(LISTENING_RE, timeout)[:1]
        self.host, self.port = match.group(2), int(match.group(3))
        return self.port

    def workers(self) -> list[int]:
        """Pids of the live worker processes (children of the launcher), sorted."""
        try:
            children = psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return []
        return sorted(c.pid for c in children if _alive(c))

    def wait_workers(self, count: int, timeout: float = 10.0, exclude=()) -> list[int]:
        """Wait until ``count`` workers run, none of them in ``exclude``; return their pids.

        A worker counts once its parent has recorded it: psutil sees a child the
        moment ``fork()`` returns, a little before ProcessLauncher adds it to
        ``children`` and logs "Started child N".
        """
        deadline = time.monotonic() + timeout
        while True:
            pids = self.workers()
            if (len(pids) == count and not set(pids) & set(exclude)
                    and all(self.log.search(r"Started child %d\b" % pid) for pid in pids)):
                return pids
            if time.monotonic() > deadline:
                raise TimeoutError("wanted %d workers, have %s" % (count, pids))
            time.sleep(0.02)

    def process_tree(self) -> ProcessTable:
        """The launcher and its workers: pid, ppid, role, RSS, threads, listening socket."""
        table = ProcessTable()
        try:
            procs = [psutil.Process(self.pid)] + psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return table
        for proc in procs:
            try:
                with proc.oneshot():
                    listen = ["%s:%d" % c.laddr for c in proc.net_connections("tcp")
                              if c.status == psutil.CONN_LISTEN]
                    table.append(ProcessRow(proc.pid, proc.ppid(),
                                            "parent" if proc.pid == self.pid else "worker",
                                            proc.memory_info().rss / 2**20, proc.num_threads(),
                                            ", ".join(listen) or "-"))
            except psutil.Error:
                continue  # it exited while we looked
        return table

    def logs(self, n: int = 20, grep: str | None = None, since: int = 0) -> str:
        """The last ``n`` stderr lines (matching ``grep``; numbered ``since`` or later)."""
        lines = self.log.lines(since)
        if grep:
            lines = [line for line in lines if re.search(grep, line)]
        return "\n".join(lines[-n:])

    def port_open(self) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex((self.host, self.port)) == 0 if self.port else False

    def request(self, path: str = "/", timeout: float = 5.0) -> Reply:
        """GET ``path`` on a new connection; the access-log line tells which worker served it."""
        mark = self.log.mark()
        url = "http://%s:%d%s" % (self.host, self.port, path)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        try:
            match = self.log.wait_for(ACCESS_RE, 2.0, since=mark)[0]
            worker = int(match.group(1))
        except TimeoutError:
            worker = None
        return Reply(status, worker, body)

    def dump_stacks(self, pid: int, everything: bool = False, timeout: float = 5.0) -> str:
        """Every thread's stack in ``pid``, outermost call first (needs ``start_api(stacks=True)``).

        Only minova's own frames unless ``everything``: the stdlib's threading
        and socket frames around them say little.
        """
        self._check_ours(pid)
        mark = self.log.mark()
        os.kill(pid, signal.SIGUSR2)
        self.log.wait_for(r"^STACK %d END" % pid, timeout, since=mark)
        prefix = "STACK %d " % pid
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        lines = []
        for line in self.log.lines(mark):
            if not line.startswith(prefix) or line == prefix + "END":
                continue
            line = line[len(prefix):].replace(repo + os.sep, "")
            if everything or not line.startswith("  ") or line.startswith("  minova" + os.sep):
                lines.append(line)
        return "\n".join(lines)

    # --- acting --------------------------------------------------------------

    def _check_ours(self, pid: int) -> None:
        if pid != self.pid and pid not in self.workers():
            raise ValueError("pid %d is neither this launcher nor one of its workers %s"
                             % (pid, self.workers()))

    def kill_worker(self, pid: int | None = None, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` (default SIGKILL) to worker ``pid`` (default: the lowest pid)."""
        workers = self.workers()
        if pid is None:
            if not workers:
                raise RuntimeError("no worker is running")
            pid = workers[0]
        elif pid not in workers:
            raise ValueError("pid %d is not a worker of %d; workers: %s" % (pid, self.pid, workers))
        os.kill(pid, sig)
        return pid

    def send_signal(self, sig: int) -> None:
        """Signal the launcher (the parent) only, as ``kill -SIG <pid>`` would."""
        self.popen.send_signal(sig)

    def terminate(self, timeout: float = 10.0) -> int | None:
        """SIGTERM the parent and wait; SIGKILL the whole group if it does not exit in time."""
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._kill_group()
                self.popen.wait(5)
        self._kill_group()  # a worker whose parent died before reaping it
        self._reader.join(5)
        if not self._reader.is_alive():
            self.popen.stderr.close()
        _RUNNING.discard(self)
        return self.popen.returncode

    def _kill_group(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        return _alive(psutil.Process(pid))
    except psutil.NoSuchProcess:
        return False


def start_api(workers: int = 2, stacks: bool = False, extra_args: tuple[str, ...] = (),
              timeout: float = 15.0) -> MinovaProcess:
    """``minova-api`` on 127.0.0.1, port 0, ``workers`` workers; returns once it listens.

    :param stacks: start it through a small boot script that makes every
        process dump its threads' stacks on SIGUSR2 (see ``dump_stacks``).
    """
    args = ["--osapi_compute_listen", "127.0.0.1", "--osapi_compute_listen_port", "0",
            "--osapi_compute_workers", str(workers), *extra_args]
    script = find_command("minova-api")
    if stacks or script is None:
        argv = [sys.executable, "-c",
                _STACKS_BOOT.replace("__NAME__", repr(script or "minova-api")), *args]
    else:
        argv = [script, *args]
    proc = MinovaProcess(argv, name="minova-api")
    try:
        proc.wait_listening(timeout)
        proc.wait_workers(workers, timeout)
    except BaseException:
        proc.terminate()
        raise
    return proc


def running() -> list[MinovaProcess]:
    return sorted(_RUNNING, key=lambda p: p.pid)


def stop_all() -> list[int]:
    """Terminate every process started here and not stopped yet; return their pids."""
    stopped = []
    for proc in running():
        proc.terminate()
        stopped.append(proc.pid)
    return stopped


def worker_panel(proc: MinovaProcess | None = None, workers: int = 2):
    """An ipywidgets panel: the process tree (picture and table), kill buttons, refresh, the log.

    It stays useful after "Run All": when the API it shows is not running (a later
    cell stopped it, or none was given), it says so and offers "start a minova-api",
    a fresh one of its own (``start_api(workers)``, port 0); "stop it" ends that one
    (the kernel's exit would too). An API the panel did not start, it never stops.
    While its API runs, a watcher thread redraws the panel when the workers change
    or the API exits (it ends with the API), so the panel never shows a stale state.

    Returns the panel (a ``VBox``) with ``panel.refresh()``, ``panel.proc`` (the API
    it shows now), ``panel.kill_buttons`` (pid -> Button), ``panel.start_button``,
    ``panel.stop_button`` (``button.click()`` works headless too) and ``panel.picture``
    (the tree as inline SVG, ``pictures.process_tree``; empty without ``dot``).
    """
    import html

    import ipywidgets as widgets

    from minova.course import pictures

    header, table, tail, picture = widgets.HTML(), widgets.HTML(), widgets.HTML(), widgets.HTML()
    buttons = widgets.HBox()
    refresh = widgets.Button(description="refresh", icon="refresh")
    start = widgets.Button(description="start a minova-api", icon="play", button_style="success",
                           layout=widgets.Layout(width="auto"))
    stop = widgets.Button(description="stop it", icon="stop", layout=widgets.Layout(width="auto"))
    panel = widgets.VBox([header, picture, table, buttons, widgets.HBox([refresh, start, stop]),
                          tail])
    panel.proc, panel.kill_buttons, panel.start_button, panel.stop_button = proc, {}, start, stop
    panel.picture = picture  # the process tree, drawn again on every redraw (issue 14)
    owned = []  # the APIs this panel started (and so may stop)
    drawing = threading.RLock()  # button callbacks and the watcher thread both draw

    def draw(*_):
        with drawing:
            return _draw()

    def watch(api: MinovaProcess):
        """Redraw when ``api``'s workers change or it exits; return when it has exited."""
        shown = api.workers()
        while api.running():
            time.sleep(0.3)
            now = api.workers()
            if now != shown and panel.proc is api:
                shown = now
                draw()
        if panel.proc is api:
            draw()

    def _watch(api: MinovaProcess):
        if api is not None and api.running():
            threading.Thread(target=watch, args=(api,), daemon=True,
                             name="worker-panel-watch-%d" % api.pid).start()

    def _draw():
        api = panel.proc
        live = api is not None and api.running()
        if api is None:
            header.value = "<b>no minova-api yet</b>: press <i>start a minova-api</i>"
        elif live:
            header.value = "<b>%s</b>%s" % (html.escape(repr(api)),
                                            " (started by this panel)" if api in owned else "")
        elif api in owned:
            header.value = ("<b>%s</b>: stopped. <i>start a minova-api</i> gives another one."
                            % html.escape(repr(api)))
        else:
            header.value = ("<b>%s</b>: this API has been stopped (after <i>Run All</i>, a later "
                            "cell did it). Press <i>start a minova-api</i> for a fresh one of "
                            "the panel's own, then kill its workers." % html.escape(repr(api)))
        table.value = "<pre>%s</pre>" % html.escape(str(api.process_tree())) if live else ""
        svg = pictures.process_tree(api).svg if live else None
        picture.value = svg[svg.find("<svg"):] if svg else ""  # inline: no XML prolog
        panel.kill_buttons = {pid: _kill_button(pid) for pid in api.workers()} if live else {}
        buttons.children = list(panel.kill_buttons.values())
        start.layout.display = "none" if live else None
        stop.layout.display = None if live and api in owned else "none"
        tail.value = ("<pre style='font-size:80%%'>%s</pre>" % html.escape(api.logs(6))
                      if api is not None else "")
        return len(panel.kill_buttons)

    def _kill_button(pid: int):
        button = widgets.Button(description="kill %d" % pid, button_style="danger")
        button.on_click(lambda _b: kill(pid))
        return button

    def kill(pid: int):
        api = panel.proc
        count = len(api.workers())
        try:
            api.kill_worker(pid)
            api.wait_workers(count, timeout=3, exclude=[pid])  # reaped in 10 ms, then re-forked
        except (TimeoutError, ValueError, ProcessLookupError):
            pass  # draw what there is; "refresh" shows the rest
        draw()

    def start_own(*_):
        header.value = "<b>starting minova-api ...</b>"
        try:
            api = start_api(workers=workers)
        except Exception as exc:  # a widget callback: show the error, do not lose it
            header.value = "<b>could not start minova-api</b>: %s" % html.escape(repr(exc))
            return
        owned.append(api)
        panel.proc = api
        draw()
        _watch(api)

    def stop_own(*_):
        if panel.proc in owned:
            panel.proc.terminate()
        draw()

    refresh.on_click(draw)
    start.on_click(start_own)
    stop.on_click(stop_own)
    panel.refresh = draw
    draw()
    _watch(proc)
    return panel


atexit.register(stop_all)
