"""minova.httpd.AppGate: requests enter the app one at a time, first come first served."""

from __future__ import annotations

import threading
import time

from conftest import wait_until

from minova import httpd


def _queue_behind(gate, names, order):
    """Start one thread per name, each after the previous one is waiting at the gate."""
    threads = []
    for n, name in enumerate(names):
        def enter(name=name):
            with gate.admitted():
                order.append(name)
        thread = threading.Thread(target=enter)
        thread.start()
        threads.append(thread)
        wait_until(lambda n=n: len(gate._waiting) == n + 1, timeout=5, message="queued")
    return threads


def test_requests_enter_in_arrival_order_one_at_a_time():
    gate = httpd.AppGate(1, patience=30)
    order, release = [], threading.Event()
    holder_in = threading.Event()

    def holder():
        with gate.admitted():
            holder_in.set()
            release.wait(10)
            order.append("holder")

    first = threading.Thread(target=holder)
    first.start()
    holder_in.wait(5)
    threads = _queue_behind(gate, ["a", "b", "c", "d"], order)
    assert order == []  # nobody passed the holder
    release.set()
    for thread in [first, *threads]:
        thread.join(5)
    assert order == ["holder", "a", "b", "c", "d"]
    assert (gate._free, list(gate._waiting)) == (1, [])


def test_a_request_that_lost_patience_goes_in_without_a_slot():
    """An app call blocked on the network delays the others by ``patience``, not more."""
    gate = httpd.AppGate(1, patience=0.2)
    release = threading.Event()
    holder_in = threading.Event()

    def holder():
        with gate.admitted():
            holder_in.set()
            release.wait(10)

    first = threading.Thread(target=holder)
    first.start()
    holder_in.wait(5)
    start = time.monotonic()
    with gate.admitted():
        waited = time.monotonic() - start
    assert 0.15 < waited < 2.0
    assert gate._free == 0 and not gate._waiting  # the holder still has the only slot
    release.set()
    first.join(5)
    assert gate._free == 1


def test_size_zero_is_no_gate():
    gate = httpd.AppGate(0)
    inside = []
    with gate.admitted():
        with gate.admitted():
            inside.append(True)
    assert inside == [True]
