"""Shared pytest fixtures: a clean global CONF per test, a private state folder, bounded waits."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable

import pytest
from oslo_config import cfg

# Tests never write into the real home (issue 12 item 16): minova's default
# state_path follows XDG_STATE_HOME, set here before minova is imported, and
# inherited by every subprocess and notebook kernel the tests start.
_TEST_STATE_HOME = tempfile.mkdtemp(prefix="minova-test-state-")
os.environ["XDG_STATE_HOME"] = _TEST_STATE_HOME


def pytest_unconfigure(config):
    shutil.rmtree(_TEST_STATE_HOME, ignore_errors=True)


@pytest.fixture
def conf(tmp_path):
    """The global ``cfg.CONF`` (as nova uses it), with overrides undone after the test.

    ``state_path`` points at a private temporary folder, so SQLite files and
    broker-less message folders never leak between tests.
    """
    import minova.paths  # noqa: F401  (registers state_path)

    CONF = cfg.CONF
    CONF.set_override("state_path", str(tmp_path / "state"))
    yield CONF
    _clear_all_overrides(CONF)


def _clear_all_overrides(CONF) -> None:
    """Undo every ``set_override`` in every group (oslo.config keeps them per option)."""
    for name in list(CONF._opts):
        CONF.clear_override(name)
    for group_name, group in CONF._groups.items():
        for name in list(group._opts):
            CONF.clear_override(name, group=group_name)


def wait_until(condition: Callable[[], object], timeout: float = 10.0,
               interval: float = 0.02, message: str = "condition") -> object:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, message))
        time.sleep(interval)


@pytest.fixture
def procs(tmp_path):
    """minova commands as subprocesses (tests/e2e_procs.py), all killed with their process
    groups at teardown."""
    from e2e_procs import Procs  # not at the top: e2e_procs imports this module
    helper = Procs(tmp_path)
    yield helper
    helper.stop_all()


@pytest.fixture
def shared_db(conf):
    """This test process reads the same SQLite file as the subprocesses (conf's state_path)."""
    from minova.db.sqlalchemy import api as db_impl
    yield conf.state_path
    db_impl.dispose_engine()


@pytest.fixture
def free_port() -> int:
    """A loopback port that was free a moment ago (for subprocesses that need a number)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RABBIT_ADDRESS = ("127.0.0.1", 5672)
REQUIRE_BROKER_ENV = "MINOVA_REQUIRE_BROKER"


def broker_reachable(address: tuple[str, int] = RABBIT_ADDRESS, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


@pytest.fixture
def rabbit_url() -> str:
    """The URL of the RabbitMQ at 127.0.0.1:5672 (guest/guest) for real-transport tests.

    Skips when nothing listens there (a learner's machine), but FAILS when
    ``MINOVA_REQUIRE_BROKER=1`` (.ci/run sets it), so CI never skips them silently.
    """
    if not broker_reachable():
        reason = "no RabbitMQ at 127.0.0.1:5672 (start one, or ignore on a learner's machine)"
        if os.environ.get(REQUIRE_BROKER_ENV) == "1":
            pytest.fail("%s=1 but %s" % (REQUIRE_BROKER_ENV, reason))
        pytest.skip(reason)
    return "rabbit://guest:guest@127.0.0.1:5672/"
