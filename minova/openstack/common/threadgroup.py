"""A bounded group of threads and timers that a service starts, stops and waits for together.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/openstack/common/threadgroup.py
Now: oslo_service/threadgroup.py (the oslo.service library, since Liberty)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

LOG = logging.getLogger(__name__)

# Every blocking wait that the main thread may sit in is cut into slices of
# this length.  A signal handler only runs in the main thread, between Python
# bytecodes; a slice guarantees the main thread wakes up soon even if the
# kernel delivered the signal to another thread, so a ``SignalExit`` raised by
# the handler comes out of the wait (see minova/openstack/common/service.py).
WAIT_SLICE = 0.1


def wait_event(event: threading.Event) -> None:
    """Block until ``event`` is set, in slices so signal handlers can interrupt us."""
    while not event.wait(WAIT_SLICE):
        pass


class Thread:
    """One thread of a ``ThreadGroup``; removes itself from the group when it ends.

    Mirrors: nova.openstack.common.threadgroup.Thread (nova/openstack/common/threadgroup.py:34, 2014.2)
    Simplified: wraps a native ``threading.Thread`` instead of an eventlet GreenThread.
    """

    def __init__(self, callback: Callable, args: tuple, kwargs: dict,
                 group: ThreadGroup | None = None):
        self._callback = callback
        self._args = args
        self._kwargs = kwargs
        self._finished = threading.Event()
        self._links: list[tuple[Callable, tuple, dict]] = []
        self._lock = threading.Lock()
        # daemon=True: a worker process must be able to exit even if some
        # service thread is stuck; eventlet green threads never held a process up either.
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       name=getattr(callback, "__name__", "thread"))
        if group is not None:
            self.link(group._thread_done)

    def _run(self) -> None:
        try:
            self._callback(*self._args, **self._kwargs)
        except Exception:
            # Juno's ThreadGroup.wait logged a thread's exception and went on;
            # here the thread logs it itself, so nothing is lost.
            LOG.exception("Thread %s raised", self.thread.name)
        finally:
            self._finished.set()
            with self._lock:
                links, self._links = self._links, []
            for func, args, kwargs in links:
                func(self, *args, **kwargs)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        # NOVA-DIFF: eventlet could kill a green thread (GreenThread.kill raises
        # GreenletExit inside it); a native thread cannot be killed from outside.
        # A thread here ends when its callback returns, which is why
        # Services.stop() first tells each service to stop and sets ``done``.
        LOG.debug("Thread %s cannot be killed; waiting for it to return", self.thread.name)

    def wait(self) -> None:
        wait_event(self._finished)

    def done(self) -> bool:
        return self._finished.is_set()

    def link(self, func: Callable, *args, **kwargs) -> None:
        """Call ``func(thread, *args, **kwargs)`` when the thread ends (now, if it already has)."""
        with self._lock:
            if not self._finished.is_set():
                self._links.append((func, args, kwargs))
                return
        func(self, *args, **kwargs)


class _LoopingTimer:
    """Calls ``callback`` every ``interval`` seconds until stopped (FixedIntervalLoopingCall's job)."""

    def __init__(self, interval: float, callback: Callable, initial_delay: float | None,
                 args: tuple, kwargs: dict):
        self.interval = interval
        self._stop = threading.Event()
        self._initial_delay = initial_delay
        self._call = (callback, args, kwargs)
        self.thread = Thread(self._loop, (), {})

    def _loop(self) -> None:
        callback, args, kwargs = self._call
        if self._initial_delay and self._stop.wait(self._initial_delay):
            return
        while not self._stop.is_set():
            callback(*args, **kwargs)
            if self._stop.wait(self.interval):
                return

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        self.thread.wait()


class ThreadGroup:
    """Runs callbacks in at most ``thread_pool_size`` threads at once, plus looping timers.

    Mirrors: nova.openstack.common.threadgroup.ThreadGroup (nova/openstack/common/threadgroup.py:53, 2014.2)
    Simplified: a semaphore over native threads replaces eventlet's GreenPool
    (add_thread blocks while the pool is full, as GreenPool.spawn did);
    no add_dynamic_timer; stop() cannot kill threads.
    """

    def __init__(self, thread_pool_size: int = 10):
        if thread_pool_size < 1:
            raise ValueError("thread_pool_size must be >= 1, got %r" % (thread_pool_size,))
        self.pool_size = thread_pool_size
        self._slots = threading.BoundedSemaphore(thread_pool_size)
        self.threads: list[Thread] = []
        self.timers: list[_LoopingTimer] = []
        self._lock = threading.Lock()

    def add_thread(self, callback: Callable, *args, **kwargs) -> Thread:
        self._slots.acquire()
        thread = Thread(callback, args, kwargs, group=self)
        with self._lock:
            self.threads.append(thread)
        thread.start()
        return thread

    def _thread_done(self, thread: Thread) -> None:
        """Link callback: forget a finished thread and free its pool slot."""
        with self._lock:
            if thread in self.threads:
                self.threads.remove(thread)
        self._slots.release()

    def add_timer(self, interval: float, callback: Callable, initial_delay: float | None = None,
                  *args, **kwargs) -> _LoopingTimer:
        timer = _LoopingTimer(interval, callback, initial_delay, args, kwargs)
        self.timers.append(timer)
        timer.start()
        return timer

    def stop_timers(self) -> None:
        # Juno also emptied the list here; minova keeps the timers until
        # wait() has seen their threads end.
        for timer in self.timers:
            timer.stop()

    def stop(self) -> None:
        """Stop the timers; threads are asked nothing (see Thread.stop) and end on their own."""
        current = threading.current_thread()
        with self._lock:
            threads = list(self.threads)
        for thread in threads:
            if thread.thread is not current:
                thread.stop()
        self.stop_timers()

    def wait(self) -> None:
        """Wait for every timer, then every thread except the calling one."""
        for timer in list(self.timers):
            timer.wait()
            self.timers.remove(timer)
        current = threading.current_thread()
        with self._lock:
            threads = list(self.threads)
        for thread in threads:
            if thread.thread is not current:
                thread.wait()
