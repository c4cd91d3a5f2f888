"""Task 1.1: start_child() forks like ProcessLauncher._start_child, throttle included.

No real fork: a fake clock, sleep and fork drive both the learner's function
and minova's own ``ProcessLauncher._start_child`` (its os.fork and time patched).
"""

from __future__ import annotations

import itertools
import types

from exercises._target import load
from minova.openstack.common import service

fork_throttle = load("fork_throttle")


class FakeWorld:
    """A clock that only moves when told to (or when someone sleeps), and a fork counter."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._pids = itertools.count(101)

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def fork(self) -> int:
        return next(self._pids)


def learner_fork(wrap, world):
    return fork_throttle.start_child(wrap, world.fork, clock=world.time, sleep=world.sleep)


def test_start_child_first_forks_are_not_throttled():
    world, wrap = FakeWorld(), service.ServiceWrapper(object(), workers=2)
    pids = [learner_fork(wrap, world) for _ in range(3)]
    assert pids == [101, 102, 103]
    assert wrap.children == {101, 102, 103}
    assert wrap.forktimes == [1000.0] * 3
    assert world.sleeps == []


def test_start_child_sleeps_one_second_when_forking_too_fast():
    world, wrap = FakeWorld(), service.ServiceWrapper(object(), workers=2)
    for _ in range(3):  # workers + 1 forks within a second
        learner_fork(wrap, world)
        world.now += 0.1
    learner_fork(wrap, world)
    assert world.sleeps == [1]
    assert len(wrap.forktimes) == 3  # the oldest was forgotten: workers + 1 kept
    assert wrap.forktimes[-1] == world.now  # recorded after the sleep


def test_start_child_does_not_sleep_when_the_oldest_fork_is_old_enough():
    world, wrap = FakeWorld(), service.ServiceWrapper(object(), workers=2)
    for _ in range(3):
        learner_fork(wrap, world)
        world.now += 1.0  # the oldest is 3 s old by the 4th fork; workers = 2
    learner_fork(wrap, world)
    assert world.sleeps == []
    assert wrap.forktimes == [1001.0, 1002.0, 1003.0]


def minova_fork(monkeypatch, world):
    """minova's own _start_child, with os.fork and the time module replaced by ``world``."""
    launcher = service.ProcessLauncher.__new__(service.ProcessLauncher)  # no pipe, no handlers
    launcher.children = {}
    monkeypatch.setattr(service.os, "fork", world.fork)
    monkeypatch.setattr(service, "time", types.SimpleNamespace(time=world.time, sleep=world.sleep))
    return launcher._start_child


def crash_loop(start, wrap, world, forks: int = 12, lifetime: float = 0.05):
    """Workers that die ``lifetime`` seconds after they start, replaced at once."""
    for _ in range(forks):
        pid = start(wrap)
        world.now += lifetime
        wrap.children.discard(pid)


def test_start_child_matches_minova_in_a_crash_loop(monkeypatch):
    mine_world, mine = FakeWorld(), service.ServiceWrapper(object(), workers=2)
    crash_loop(lambda w: learner_fork(w, mine_world), mine, mine_world)
    ref_world, ref = FakeWorld(), service.ServiceWrapper(object(), workers=2)
    crash_loop(minova_fork(monkeypatch, ref_world), ref, ref_world)
    assert mine_world.sleeps == ref_world.sleeps == [1] * 6
    assert mine.forktimes == ref.forktimes
