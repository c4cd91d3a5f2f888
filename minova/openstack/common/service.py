"""Launchers: run services in this process (Launcher) or in forked workers (ProcessLauncher).

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/openstack/common/service.py (oslo-incubator copy)
Now: oslo_service/service.py (the oslo.service library, since Liberty)

How signals reach the code here: CPython runs a Python signal handler only in
the main thread, between bytecodes.  Every wait the main thread sits in is
therefore a short-sliced wait (``threadgroup.wait_event``, ``time.sleep``), so
a handler that raises ``SignalExit`` unwinds the main thread out of that wait
within one slice; eventlet got the same effect by running everything in one
OS thread.
"""

from __future__ import annotations

import errno
import gc
import io
import logging
import os
import random
import signal
import sys
import threading
import time

from oslo_config import cfg

from minova.openstack.common import threadgroup

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def _sighup_supported() -> bool:
    return hasattr(signal, "SIGHUP")


def _is_daemon() -> bool:
    # A foreground process shares the terminal's foreground process group; no
    # terminal at all (ENOTTY, e.g. stdout is a pipe) also counts as a daemon.
    try:
        return os.getpgrp() != os.tcgetpgrp(sys.stdout.fileno())
    except (io.UnsupportedOperation, AttributeError):
        return True  # stdout has no file descriptor (or is None) at all
    except OSError as err:
        if err.errno == errno.ENOTTY:
            return True
        raise


def _is_sighup_and_daemon(signo: int) -> bool:
    if not (_sighup_supported() and signo == signal.SIGHUP):
        return False
    return _is_daemon()


def _signo_to_signame(signo: int) -> str:
    signals = {signal.SIGTERM: "SIGTERM", signal.SIGINT: "SIGINT"}
    if _sighup_supported():
        signals[signal.SIGHUP] = "SIGHUP"
    return signals[signo]


def _set_signals_handler(handler) -> None:
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    if _sighup_supported():
        signal.signal(signal.SIGHUP, handler)


def _handled_signals() -> set[int]:
    signals = {signal.SIGTERM, signal.SIGINT}
    if _sighup_supported():
        signals.add(signal.SIGHUP)
    return signals


class Launcher:
    """Starts services in threads of this process and waits for them.

    Mirrors: nova.openstack.common.service.Launcher (nova/openstack/common/service.py:100, 2014.2)
    Simplified: no eventlet backdoor, so ``backdoor_port`` is always None.
    """

    def __init__(self):
        self.services = Services()
        # NOVA-DIFF: Juno opened an eventlet backdoor here when configured.
        self.backdoor_port = None

    def launch_service(self, service) -> None:
        service.backdoor_port = self.backdoor_port
        self.services.add(service)

    def stop(self) -> None:
        self.services.stop()

    def wait(self) -> None:
        self.services.wait()

    def restart(self) -> None:
        cfg.CONF.reload_config_files()
        self.services.restart()


class SignalExit(SystemExit):
    """Raised by a signal handler; carries the signal number, exits with status 1.

    Mirrors: nova.openstack.common.service.SignalExit (nova/openstack/common/service.py:148, 2014.2)
    """

    def __init__(self, signo: int, exccode: int = 1):
        super().__init__(exccode)
        self.signo = signo


class ServiceLauncher(Launcher):
    """Single-process mode: SIGTERM/SIGINT stop the services; SIGHUP as a daemon restarts them.

    Mirrors: nova.openstack.common.service.ServiceLauncher (nova/openstack/common/service.py:154, 2014.2)
    Simplified: no systemd notification, no old-style rpc.cleanup().
    """

    def _handle_signal(self, signo, frame):
        # Back to the default action, so a second signal kills us outright.
        _set_signals_handler(signal.SIG_DFL)
        raise SignalExit(signo)

    def handle_signal(self) -> None:
        _set_signals_handler(self._handle_signal)

    def _wait_for_exit_or_signal(self, ready_callback=None) -> tuple[int | None, int]:
        status, signo = None, 0
        LOG.debug("Full set of CONF:")
        CONF.log_opt_values(LOG, logging.DEBUG)
        try:
            if ready_callback:
                ready_callback()
            super().wait()
        except SignalExit as exc:
            LOG.info("Caught %s, exiting", _signo_to_signame(exc.signo))
            status, signo = exc.code, exc.signo
        except SystemExit as exc:
            status = exc.code
        finally:
            self.stop()
        return status, signo

    def wait(self, ready_callback=None) -> int | None:
        while True:
            self.handle_signal()
            status, signo = self._wait_for_exit_or_signal(ready_callback)
            if not _is_sighup_and_daemon(signo):
                return status
            self.restart()


class ServiceWrapper:
    """What ProcessLauncher remembers per launched service: its worker pids and fork times.

    Mirrors: nova.openstack.common.service.ServiceWrapper (nova/openstack/common/service.py:201, 2014.2)
    """

    def __init__(self, service, workers: int):
        self.service = service
        self.workers = workers
        self.children: set[int] = set()
        self.forktimes: list[float] = []


class ProcessLauncher:
    """Pre-fork mode: one child process per worker; the parent reaps, respawns and relays signals.

    Mirrors: nova.openstack.common.service.ProcessLauncher (nova/openstack/common/service.py:209, 2014.2)
    Simplified: native threads instead of eventlet; no systemd notify. Child death is
    found by polling waitpid(WNOHANG) every ``wait_interval`` seconds, as in Juno (no SIGCHLD).
    """

    def __init__(self, wait_interval: float = 0.01):
        self.children: dict[int, ServiceWrapper] = {}
        self.sigcaught: int | None = None
        self.running = True
        self.wait_interval = wait_interval
        # Only the parent keeps the write end open: when the parent dies, the
        # kernel closes it and every child's read returns EOF.
        self.readpipe, self.writepipe = os.pipe()
        self.handle_signal()

    def handle_signal(self) -> None:
        _set_signals_handler(self._handle_signal)

    def _handle_signal(self, signo, frame):
        # gunicorn's rule: a handler only records what happened; the loop acts.
        self.sigcaught = signo
        self.running = False
        _set_signals_handler(signal.SIG_DFL)

    # --- the child side ------------------------------------------------------

    def _pipe_watcher(self) -> None:
        # Blocks until the parent dies and the kernel closes the write end.
        while os.read(self.readpipe, 1):
            pass
        LOG.info("Parent process has died unexpectedly, exiting")
        # NOVA-DIFF: Juno called sys.exit(1) in a green thread; eventlet's hub
        # re-raised that SystemExit in the main greenlet, ending the child.
        # With native threads sys.exit() would only end this watcher thread,
        # so the worker would live on as an orphan: leave the process directly.
        os._exit(1)

    def _child_process_handle_signal(self) -> None:
        def _sigterm(*args):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            raise SignalExit(signal.SIGTERM)

        def _sighup(*args):
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            raise SignalExit(signal.SIGHUP)

        signal.signal(signal.SIGTERM, _sigterm)
        if _sighup_supported():
            signal.signal(signal.SIGHUP, _sighup)
        # Ctrl-C reaches the whole process group: the workers ignore it and
        # let the parent stop them with SIGTERM.
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _child_wait_for_exit_or_signal(self, launcher: Launcher) -> tuple[int, int]:
        status, signo = 0, 0
        # Catch everything: a child must never fall back into the parent's
        # respawn loop and start forking children of its own.
        try:
            # Signals blocked since the fork (see _start_child) arrive here, in
            # the main thread, inside this try.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _handled_signals())
            launcher.wait()
        except SignalExit as exc:
            LOG.info("Child caught %s, exiting", _signo_to_signame(exc.signo))
            status, signo = exc.code, exc.signo
        except SystemExit as exc:
            status = exc.code
        except BaseException:
            LOG.exception("Unhandled exception")
            status = 2
        finally:
            launcher.stop()
        return status, signo

    def _child_process(self, service) -> Launcher:
        self._child_process_handle_signal()
        # (Juno re-created the eventlet hub here so no epoll fd is shared.)
        os.close(self.writepipe)
        threading.Thread(target=self._pipe_watcher, name="pipe_watcher", daemon=True).start()
        random.seed()  # or every worker would draw the same "random" numbers
        launcher = Launcher()
        launcher.launch_service(service)
        return launcher

    def _run_child(self, wrap: ServiceWrapper):
        """The whole life of a worker; it leaves only through os._exit()."""
        status = 2
        try:
            launcher = self._child_process(wrap.service)
            while True:
                self._child_process_handle_signal()
                status, signo = self._child_wait_for_exit_or_signal(launcher)
                if not _is_sighup_and_daemon(signo):
                    break
                launcher.restart()
        except BaseException:
            LOG.exception("Unhandled exception in child")
            status = 2
        finally:
            # SystemExit's code may be None (success) or a message (failure).
            os._exit(0 if status is None else status if isinstance(status, int) else 1)

    # --- the parent side -----------------------------------------------------

    def _start_child(self, wrap: ServiceWrapper) -> int:
        if len(wrap.forktimes) > wrap.workers:
            # At most one fork a second (over workers * 1 s): workers start
            # fast, but a worker that dies at once is not respawned in a tight loop.
            if time.time() - wrap.forktimes[0] < wrap.workers:
                LOG.info("Forking too fast, sleeping")
                time.sleep(1)
            wrap.forktimes.pop(0)
        wrap.forktimes.append(time.time())

        # NOVA-DIFF: block TERM/INT/HUP across fork().  In Juno a signal that
        # arrived before the child installed its own handlers ran the
        # parent's handler in the child and was lost.  Here it stays pending
        # until the child's main thread unblocks it, inside the try of
        # _child_wait_for_exit_or_signal; every thread the child starts
        # inherits the block, so these signals only ever reach the main thread.
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _handled_signals())
        pid = os.fork()
        if pid == 0:
            self._run_child(wrap)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)

        LOG.info("Started child %d", pid)
        wrap.children.add(pid)
        self.children[pid] = wrap
        return pid

    def launch_service(self, service, workers: int = 1) -> None:
        wrap = ServiceWrapper(service, workers)
        LOG.info("Starting %d workers", wrap.workers)
        # NOVA-DIFF: everything loaded so far (the app, its libraries) lives as
        # long as the workers; freezing it keeps the workers' full garbage
        # collections, which pause every request in flight, from scanning it.
        gc.freeze()
        while self.running and len(wrap.children) < wrap.workers:
            self._start_child(wrap)

    def _wait_child(self) -> ServiceWrapper | None:
        try:
            pid, status = os.waitpid(0, os.WNOHANG)
            if not pid:
                return None
        except OSError as exc:
            if exc.errno not in (errno.EINTR, errno.ECHILD):
                raise
            return None

        if os.WIFSIGNALED(status):
            LOG.info("Child %(pid)d killed by signal %(sig)d",
                     {"pid": pid, "sig": os.WTERMSIG(status)})
        else:
            LOG.info("Child %(pid)d exited with status %(code)d",
                     {"pid": pid, "code": os.WEXITSTATUS(status)})

        if pid not in self.children:
            LOG.warning("pid %d not in child list", pid)
            return None
        wrap = self.children.pop(pid)
        wrap.children.remove(pid)
        return wrap

    def _respawn_children(self) -> None:
        while self.running:
            wrap = self._wait_child()
            if not wrap:
                time.sleep(self.wait_interval)
                continue
            while self.running and len(wrap.children) < wrap.workers:
                self._start_child(wrap)

    def wait(self) -> None:
        """Respawn workers until a signal arrives; then stop them all (SIGHUP as a daemon: reload)."""
        LOG.debug("Full set of CONF:")
        CONF.log_opt_values(LOG, logging.DEBUG)
        while True:
            self.handle_signal()
            self._respawn_children()
            if self.sigcaught:
                LOG.info("Caught %s, stopping children", _signo_to_signame(self.sigcaught))
            if not _is_sighup_and_daemon(self.sigcaught):
                break
            for pid in self.children:
                os.kill(pid, signal.SIGHUP)
            self.running = True
            self.sigcaught = None
        self.stop()

    def stop(self) -> None:
        """SIGTERM every child and reap them all (Juno does this at the end of wait())."""
        self.running = False
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError as exc:
                if exc.errno != errno.ESRCH:
                    raise
        if self.children:
            LOG.info("Waiting on %d children to exit", len(self.children))
        while self.children:
            if not self._wait_child():
                # NOVA-DIFF: Juno spun on waitpid(WNOHANG) here; pause between polls.
                time.sleep(self.wait_interval)


class Service:
    """Base class for a long-running service: a thread group and a "done" event.

    Mirrors: nova.openstack.common.service.Service (nova/openstack/common/service.py:419, 2014.2)
    Simplified: threading.Event instead of eventlet.event.Event.
    """

    def __init__(self, threads: int = 1000):
        self.tg = threadgroup.ThreadGroup(threads)
        self._done = threading.Event()  # set once the service has shut itself down

    def reset(self) -> None:
        self._done = threading.Event()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self.tg.stop()
        self.tg.wait()
        self._done.set()

    def wait(self) -> None:
        threadgroup.wait_event(self._done)


class Services:
    """The services one Launcher runs; each gets a thread that starts it and waits for ``done``.

    Mirrors: nova.openstack.common.service.Services (nova/openstack/common/service.py:446, 2014.2)
    Simplified: no systemd notify_once() after start().
    """

    def __init__(self):
        self.services: list = []
        self.tg = threadgroup.ThreadGroup()
        self.done = threading.Event()
        self._started: list[threading.Event] = []  # one per run_service thread

    def add(self, service) -> None:
        self.services.append(service)
        self._add_run_service(service)

    def _add_run_service(self, service) -> None:
        started = threading.Event()
        self._started.append(started)
        self.tg.add_thread(self.run_service, service, self.done, started=started)

    def stop(self) -> None:
        # NOVA-DIFF: native threads really run side by side, so a signal handled
        # in the main thread can call stop() while start() is still running in
        # its thread (a green thread ran start() to its first yield before the
        # main greenlet woke up).  Let every start() return first.
        for started in self._started:
            threadgroup.wait_event(started)
        for service in self.services:  # graceful: each service cleans up first
            service.stop()
            service.wait()
        self.done.set()  # now the run_service threads may return
        self.tg.stop()

    def wait(self) -> None:
        self.tg.wait()

    def restart(self) -> None:
        self.stop()
        self.done = threading.Event()
        self._started = []
        for restart_service in self.services:
            restart_service.reset()
            self._add_run_service(restart_service)

    @staticmethod
    def run_service(service, done: threading.Event,
                    started: threading.Event | None = None) -> None:
        """Start ``service``, then keep this thread until ``done`` is set."""
        try:
            service.start()
        finally:
            if started is not None:
                started.set()
        done.wait()


def launch(service, workers: int | None = 1):
    """One worker: a ServiceLauncher in this process; more: a ProcessLauncher that forks."""
    if workers is None or workers == 1:
        launcher = ServiceLauncher()
        launcher.launch_service(service)
    else:
        launcher = ProcessLauncher()
        launcher.launch_service(service, workers=workers)
    return launcher
