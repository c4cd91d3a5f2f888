"""The "Done when" set-ups: a create over HTTP reaches ACTIVE with real processes.

(a) ``minova-all`` with the default config (only state_path and the listen address set);
(b) minova-api + minova-conductor + minova-compute as separate processes, broker-less default;
(c) the same three on RabbitMQ at 127.0.0.1:5672 (``rabbit_url``: skip, or fail in CI).
"""

from __future__ import annotations

import json
import uuid

from e2e_procs import api_up, delete_queues, http, topic_queues, write_conf

from minova import context
from minova.db import api as db


def _base_sections(state_path, port) -> dict:
    return {"DEFAULT": {"state_path": state_path, "osapi_compute_listen": "127.0.0.1",
                        "osapi_compute_listen_port": port, "osapi_compute_workers": 2}}


def _services_registered(*topics):
    ctxt = context.get_admin_context()
    return all(db.service_get_all_by_topic(ctxt, topic) for topic in topics)


def _create_active_delete(procs, port: int) -> None:
    base = "http://127.0.0.1:%d/v2.1" % port
    procs.wait_until(lambda: api_up(base), message="API answers")
    image_id = http("GET", base + "/images")[2]["images"][0]["id"]
    status, headers, body = http("POST", base + "/servers", {"server": {
        "name": "e2e", "imageRef": image_id, "flavorRef": "1"}})
    assert status == 202, body
    server_url = base + "/servers/" + body["server"]["id"]
    assert headers["Location"] == server_url
    procs.wait_until(lambda: http("GET", server_url)[2]["server"]["status"] == "ACTIVE",
                     message="server ACTIVE")
    server = http("GET", server_url)[2]["server"]
    assert server["addresses"] and server["OS-EXT-STS:power_state"] == 1
    assert http("DELETE", server_url)[0] == 204
    procs.wait_until(lambda: http("GET", server_url)[0] == 404, message="server deleted")


def test_e2e_minova_all_default_config_reaches_active(procs, shared_db, tmp_path, free_port):
    conf_file = write_conf(tmp_path / "minova.conf", _base_sections(shared_db, free_port))
    procs.start("minova.cmd.all", conf_file)
    procs.wait_until(lambda: _services_registered("compute", "conductor"),
                     message="compute and conductor registered")
    _create_active_delete(procs, free_port)


def _start_separately(procs, conf_file, *topics):
    procs.start("minova.cmd.compute", conf_file)
    procs.start("minova.cmd.conductor", conf_file)
    procs.wait_until(lambda: _services_registered(*topics), message="services registered")
    procs.start("minova.cmd.api", conf_file)


def test_e2e_separate_processes_broker_less_default(procs, shared_db, tmp_path, free_port):
    conf_file = write_conf(tmp_path / "minova.conf", _base_sections(shared_db, free_port))
    _start_separately(procs, conf_file, "compute", "conductor")
    _create_active_delete(procs, free_port)


def test_e2e_separate_processes_on_rabbitmq(procs, shared_db, tmp_path, free_port, rabbit_url):
    suffix = uuid.uuid4().hex[:8]
    sections = _base_sections(shared_db, free_port)
    # Per-test topics: queues on a shared broker never mix runs.
    sections["DEFAULT"].update(transport_url=rabbit_url, compute_topic="compute_" + suffix,
                               host="host_" + suffix)
    sections["conductor"] = {"topic": "conductor_" + suffix}
    conf_file = write_conf(tmp_path / "minova.conf", sections)
    try:
        _start_separately(procs, conf_file, "compute_" + suffix, "conductor_" + suffix)
        _create_active_delete(procs, free_port)
    finally:
        procs.stop_all()
        delete_queues(rabbit_url, topic_queues(suffix))


FRESH_STARTS = 5


def test_minova_all_fresh_starts_bind_every_queue(procs, tmp_path):
    """Issue 19, section 1: conductor and compute bind on a fresh folder at once, every time.

    Before the exchange table was written under a lock, 1 fresh start in 5-12
    left a torn ``nova.exchange`` (every create then answered 500) or lost a binding.
    """
    for n in range(FRESH_STARTS):
        state = tmp_path / ("fresh%d" % n)
        state.mkdir()
        conf_file = write_conf(state / "minova.conf", {"DEFAULT": {
            "state_path": state, "host": "h%d" % n, "osapi_compute_listen": "127.0.0.1",
            "osapi_compute_listen_port": 0, "osapi_compute_workers": 1}})
        proc = procs.start("minova.cmd.all", conf_file)
        table_file = state / "messaging" / "control" / "nova.exchange"
        wanted = {"conductor", "conductor.h%d" % n, "compute", "compute.h%d" % n}

        def bound(table_file=table_file, wanted=wanted):
            try:
                return wanted <= {queue for _, _, queue in json.loads(table_file.read_text())}
            except FileNotFoundError:
                return False

        procs.wait_until(bound, message="start %d: every queue bound in %s" % (n, table_file))
        procs.kill(proc)
        assert "JSONDecodeError" not in procs.logs()
