"""Layer 6 on a real RabbitMQ: the build reaches ACTIVE, and a killed conductor loses nothing.

Uses the ``rabbit_url`` fixture: skipped without a broker at 127.0.0.1:5672,
failed instead when MINOVA_REQUIRE_BROKER=1.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from pathlib import Path

import pytest
from conftest import wait_until
from e2e_procs import delete_queues, write_conf

from minova import conductor, context, messaging, rpc
from minova import service as nova_service
from minova.conductor import manager as conductor_manager
from minova.db import api as db
from minova.db.sqlalchemy import api as db_impl

MARKER_ENV = "MINOVA_TEST_BUILD_MARKER"


class BlockingComputeTaskManager(conductor_manager.ComputeTaskManager):
    """Says "I have the message" through a file, then never returns (until killed)."""

    def build_instances(self, context, *args, **kwargs):
        Path(os.environ[MARKER_ENV]).write_text("received")
        threading.Event().wait()


class BlockingConductorManager(conductor_manager.ConductorManager):
    """``[conductor] manager`` for the first conductor of the kill test."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compute_task_mgr = BlockingComputeTaskManager()
        self.additional_endpoints = [self.compute_task_mgr]


@pytest.fixture
def rabbit_conf(conf, rabbit_url):
    """RabbitMQ transport with per-test topics, so tests never share a queue on the broker."""
    suffix = uuid.uuid4().hex[:8]
    topics = {"conductor": "conductor_" + suffix, "compute": "compute_" + suffix}
    conf.set_override("transport_url", rabbit_url)
    conf.set_override("topic", topics["conductor"], group="conductor")
    conf.set_override("compute_topic", topics["compute"])
    rpc.set_defaults(control_exchange="nova")
    rpc.init(conf)
    yield conf, topics
    rpc.cleanup()
    rpc.set_defaults(control_exchange="openstack")
    db_impl.dispose_engine()
    delete_queues(rabbit_url, list(topics.values()) + ["%s.hostR" % topics["compute"],
                                                       "%s.cond" % topics["conductor"]])


@pytest.fixture
def compute_service(rabbit_conf):
    svc = nova_service.Service.create(binary="minova-compute", host="hostR",
                                      topic=rabbit_conf[1]["compute"])
    svc.start()
    yield svc
    svc.stop()


def _new_instance(ctxt) -> dict:
    row = db.instance_create(ctxt, dict(
        uuid=str(uuid.uuid4()), project_id=ctxt.project_id, user_id=ctxt.user_id,
        display_name="vm", vm_state="building", task_state="scheduling"))
    return conductor_manager._to_dict(row)


def _cast_build(ctxt, instance):
    conductor.ComputeTaskAPI().build_instances(
        ctxt, instances=[instance], image={"id": "img"}, filter_properties={},
        admin_password=None, injected_files=[], requested_networks=None,
        security_groups=["default"], block_device_mapping=None, legacy_bdm=False)


def _vm_state(uuid_):
    return db.instance_get_by_uuid(context.get_admin_context(), uuid_).vm_state


def test_rabbit_call_round_trip(rabbit_conf):
    class Echo:
        def echo(self, ctxt, value):
            return {"value": value, "user": ctxt.user_id}

    topic = rabbit_conf[1]["conductor"]  # deleted at teardown
    server = rpc.get_server(messaging.Target(topic=topic, server="cond"), [Echo()])
    server.start()
    try:
        client = rpc.get_client(messaging.Target(topic=topic))
        result = client.call(context.RequestContext("bob", "p"), "echo", value=[1, 2])
        assert result == {"value": [1, 2], "user": "bob"}
    finally:
        server.stop()
        server.wait()


def test_rabbit_build_reaches_active_in_process(rabbit_conf, compute_service):
    conf, topics = rabbit_conf
    svc = nova_service.Service.create(binary="minova-conductor", host="cond",
                                      topic=topics["conductor"], manager=conf.conductor.manager)
    svc.start()
    try:
        ctxt = context.RequestContext("alice", "proj1")
        instance = _new_instance(ctxt)
        _cast_build(ctxt, instance)
        wait_until(lambda: _vm_state(instance["uuid"]) == "active", message="ACTIVE")
    finally:
        svc.stop()


def test_rabbit_conductor_killed_mid_build_does_not_lose_request(rabbit_conf, compute_service,
                                                                  procs, tmp_path):
    conf, topics = rabbit_conf
    marker = tmp_path / "conductor1-received"
    sections = {"DEFAULT": {"state_path": conf.state_path, "transport_url": conf.transport_url,
                            "compute_topic": topics["compute"], "host": "cond"},
                "conductor": {"topic": topics["conductor"],
                              "manager": "test_conductor_rabbit.BlockingConductorManager"}}
    first = procs.start("minova.cmd.conductor", write_conf(tmp_path / "c1.conf", sections),
                        env={MARKER_ENV: str(marker)})
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _cast_build(ctxt, instance)  # waits in the queue even if conductor 1 is still starting
    procs.wait_until(marker.exists, message="conductor 1 got the build")

    procs.kill(first, signal.SIGKILL)  # mid-build: the message was not acknowledged
    assert _vm_state(instance["uuid"]) == "building"
    sections["conductor"]["manager"] = "minova.conductor.manager.ConductorManager"
    procs.start("minova.cmd.conductor", write_conf(tmp_path / "c2.conf", sections))
    procs.wait_until(lambda: _vm_state(instance["uuid"]) == "active",
                     message="redelivered build reaches ACTIVE")
