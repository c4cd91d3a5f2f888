"""Task 6.2: ping travels as a compute_task 1.10 call to a real RPC server on memory://."""

from __future__ import annotations

import json

import kombu
import pytest
from oslo_config import cfg

from exercises._target import load
from minova import context, messaging, paths, rpc  # noqa: F401  (paths registers state_path)
from minova.conductor import manager as conductor_manager
from minova.course import inprocess
from minova.messaging.rpc.dispatcher import version_is_compatible

ping = load("conductor_ping")
CONF = cfg.CONF


@pytest.fixture
def conductor_on(tmp_path):
    """Start an RPC server on topic 'conductor' with the given endpoint; stop everything after."""
    servers = []

    def start(endpoint):
        server = rpc.get_server(messaging.Target(topic="conductor", server="c1"), [endpoint])
        server.start()
        servers.append(server)
        return endpoint

    with inprocess.memory_bus(tmp_path):
        yield start
        for server in servers:
            server.stop()
            server.wait()


def _ctxt():
    return context.RequestContext("alice", "proj1")


def test_ping_call_returns_the_conductors_answer(conductor_on):
    conductor_on(ping.PingComputeTaskManager())
    assert ping.ping_conductor(_ctxt(), "hello") == {"pong": "hello",
                                                                "user_id": "alice"}


def test_ping_is_a_compute_task_1_10_call_on_the_conductor_topic(conductor_on):
    conductor_on(ping.PingComputeTaskManager())
    tap = kombu.Queue("tap-6-2", kombu.Exchange("nova", "topic", durable=False),
                      routing_key="conductor")
    with kombu.Connection("memory://") as conn:
        tap(conn.default_channel).declare()
        ping.ping_conductor(_ctxt(), 42)
        message = tap(conn.default_channel).get(no_ack=True)
    assert message is not None and message.delivery_info["exchange"] == "nova"
    inner = json.loads(message.payload["oslo.message"])
    assert (inner["method"], inner["namespace"], inner["version"]) == ("ping", "compute_task",
                                                                       "1.10")
    assert inner["args"] == {"arg": 42}
    assert inner.get("_reply_q"), "ping must be a call (with a reply queue), not a cast"


def test_a_conductor_still_at_1_9_refuses_ping(conductor_on):
    conductor_on(conductor_manager.ComputeTaskManager())
    with pytest.raises(messaging.UnsupportedVersion):
        ping.ping_conductor(_ctxt(), "hello")


def test_the_new_endpoint_still_serves_1_9_clients():
    target = ping.PingComputeTaskManager.target
    assert target.namespace == "compute_task" and target.version == "1.10"
    assert version_is_compatible(target.version, "1.9")
    assert issubclass(ping.PingComputeTaskManager, conductor_manager.ComputeTaskManager)
