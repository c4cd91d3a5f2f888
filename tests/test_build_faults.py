"""Kill -9 during a burst of creates: every instance ends ACTIVE or ERROR, none is built twice.

Issue 10, item 4, with real processes on loopback. A create has two hand-offs a
crash can cut (the API worker writes the row then casts; the conductor takes the
message then casts to a compute), so three mechanisms together settle every
instance:

- RabbitMQ redelivers what a killed service had not acknowledged; the broker-less
  bus deletes a message when a service takes it (what is still queued survives);
- the compute takes an instance only if it is still BUILD/scheduling (one
  ``UPDATE ... WHERE``), so a redelivered build builds nothing, and its
  ``init_host`` sets its own builds cut short to ERROR;
- the conductor sets to ERROR the instances no host took within
  ``instance_scheduling_timeout`` (here 4 s; 300 s by default).

"Built twice" is read from the compute's own log: one "Spawning instance <uuid>"
line per spawn, over every compute process of the test, the killed ones included.
"""

from __future__ import annotations

import collections
import os
import re
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from e2e_procs import api_up, delete_queues, http, topic_queues, write_conf

from minova import context
from minova.db import api as db

CREATES = 20
SCHEDULING_TIMEOUT = 4  # seconds
SETTLE_TIMEOUT = 45  # the restart, the timeout, a sweep, on a loaded 2-CPU machine


@pytest.fixture(params=["broker-less", "rabbit"])
def transport(request, tmp_path):
    """DEFAULT/conductor options of a transport; RabbitMQ gets per-test topics."""
    if request.param == "broker-less":
        yield {}, {}
        return
    rabbit_url = request.getfixturevalue("rabbit_url")
    suffix = uuid.uuid4().hex[:8]
    yield ({"transport_url": rabbit_url, "compute_topic": "compute_" + suffix,
            "host": "host_" + suffix}, {"topic": "conductor_" + suffix})
    delete_queues(rabbit_url, topic_queues(suffix))


def _conf(tmp_path, state_path, port, transport) -> object:
    default, conductor = transport
    sections = {"DEFAULT": {
        "state_path": state_path, "osapi_compute_listen": "127.0.0.1",
        "osapi_compute_listen_port": port, "osapi_compute_workers": 2,
        "fake_spawn_delay": 0.3,  # builds stay in flight long enough to be cut
        "report_interval": 1, "periodic_interval": 1,
        "instance_scheduling_timeout": SCHEDULING_TIMEOUT, **default}}
    if conductor:
        sections["conductor"] = conductor
    return write_conf(tmp_path / "minova.conf", sections)


def _kill9(proc) -> None:
    """A crash: SIGKILL to the whole process group (a launcher and its workers)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def _registered(*topics) -> bool:
    ctxt = context.get_admin_context()
    return all(db.service_get_all_by_topic(ctxt, topic) for topic in topics)


class Burst:
    """CREATES creates from 4 client threads; ``acknowledged`` holds the 202s' ids."""

    def __init__(self, base: str, image_id: str):
        self.base, self.image_id = base, image_id
        self.acknowledged: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _one(self, n: int) -> None:
        try:
            status, _, body = http("POST", self.base + "/servers", {"server": {
                "name": "burst-%d" % n, "imageRef": self.image_id, "flavorRef": "1"}})
        except (OSError, ValueError):
            return  # the API itself was killed: not acknowledged
        if status == 202:
            self.acknowledged.append(body["server"]["id"])

    def _run(self) -> None:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(self._one, range(CREATES)))

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count and self.thread.is_alive():
            assert time.monotonic() < deadline, "no %d creates acknowledged" % count
            time.sleep(0.01)


def _states(ids) -> dict[str, str]:
    """vm_state per uuid, read from the database (the API may be down)."""
    ctxt = context.get_admin_context(read_deleted="yes")
    return {uuid_: db.instance_get_by_uuid(ctxt, uuid_).vm_state for uuid_ in ids}


def _all_instances() -> list[str]:
    return [row.uuid for row in db.instance_get_all_by_filters(
        context.get_admin_context(), {})]


def _assert_settled_and_built_once(procs, ids, started: float) -> collections.Counter:
    procs.wait_until(lambda: set(_states(ids).values()) <= {"active", "error"},
                     timeout=SETTLE_TIMEOUT, message="every instance ACTIVE or ERROR")
    spawns = collections.Counter()
    for _proc, log in procs.started:
        spawns.update(re.findall(r"Spawning instance ([0-9a-f-]{36})", log.read_text(
            errors="replace")))
    assert [u for u, n in spawns.items() if n > 1] == [], "built twice"
    states = _states(ids)
    assert all(spawns[u] == 1 for u, state in states.items() if state == "active")
    outcome = collections.Counter(states.values())
    print("\n%d instances: %s, settled %.1f s after the restart" % (
        len(ids), dict(outcome), time.monotonic() - started))
    return outcome


@pytest.mark.timeout(180)
@pytest.mark.parametrize("victim", ["conductor", "compute"])
def test_kill9_mid_burst_then_restart_leaves_no_instance_in_build(
        procs, shared_db, tmp_path, free_port, transport, victim):
    conf_file = _conf(tmp_path, shared_db, free_port, transport)
    topics = (transport[0].get("compute_topic", "compute"),
              transport[1].get("topic", "conductor"))
    services = {name: procs.start("minova.cmd." + name, conf_file)
                for name in ("compute", "conductor")}
    procs.wait_until(lambda: _registered(*topics), message="services registered")
    procs.start("minova.cmd.api", conf_file)
    base = "http://127.0.0.1:%d/v2.1" % free_port
    procs.wait_until(lambda: api_up(base), message="API answers")

    burst = Burst(base, http("GET", base + "/images")[2]["images"][0]["id"])
    burst.thread.start()
    burst.wait_for(CREATES // 2)
    _kill9(services[victim])  # mid-burst: some builds taken, some still coming
    burst.thread.join(60)
    restarted = time.monotonic()
    procs.start("minova.cmd." + victim, conf_file)

    assert len(burst.acknowledged) == CREATES
    outcome = _assert_settled_and_built_once(procs, _all_instances(), restarted)
    assert set(_all_instances()) == set(burst.acknowledged)
    assert outcome["active"] > 0  # the restarted service works


def _start_all(procs, conf_file, transport, base) -> list:
    """minova-all on the broker-less default; on RabbitMQ the three commands (minova-all
    listens on the fixed topic "compute", as Juno's nova-all, and the broker is shared)."""
    if not transport[0]:
        started = [procs.start("minova.cmd.all", conf_file)]
        topics = ("compute", "conductor")
    else:
        started = [procs.start("minova.cmd." + name, conf_file)
                   for name in ("compute", "conductor", "api")]
        topics = (transport[0]["compute_topic"], transport[1]["topic"])
    procs.wait_until(lambda: _registered(*topics) and api_up(base), message="minova up")
    return started


@pytest.mark.timeout(180)
def test_kill9_every_process_mid_burst_keeps_every_acknowledged_create(
        procs, shared_db, tmp_path, free_port, transport):
    """Every minova process (API workers, conductor, compute) killed at once, mid-burst."""
    conf_file = _conf(tmp_path, shared_db, free_port, transport)
    base = "http://127.0.0.1:%d/v2.1" % free_port
    first = _start_all(procs, conf_file, transport, base)
    burst = Burst(base, http("GET", base + "/images")[2]["images"][0]["id"])
    burst.thread.start()
    burst.wait_for(CREATES // 2)
    for proc in first:
        _kill9(proc)
    burst.thread.join(60)
    acknowledged = list(burst.acknowledged)
    restarted = time.monotonic()
    _start_all(procs, conf_file, transport, base)

    rows = _all_instances()
    assert set(acknowledged) <= set(rows)  # every 202 has its row
    _assert_settled_and_built_once(procs, rows, restarted)
    status, _, body = http("POST", base + "/servers", {"server": {
        "name": "after", "imageRef": burst.image_id, "flavorRef": "1"}})
    assert status == 202, body
    procs.wait_until(lambda: _states([body["server"]["id"]]) == {
        body["server"]["id"]: "active"}, message="a create after the restart is ACTIVE")
