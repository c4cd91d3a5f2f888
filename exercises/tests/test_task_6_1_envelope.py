"""Task 6.1: make_envelope() builds exactly what minova's RPC client publishes on memory://."""

from __future__ import annotations

import json
import threading
import time

import kombu
import pytest
from oslo_config import cfg

from exercises._target import load
from minova import context, messaging, paths, rpc  # noqa: F401  (paths registers state_path)
from minova.course import inprocess
from minova.messaging.transport import topic_queue

envelope = load("envelope")
CONF = cfg.CONF


@pytest.fixture
def memory_bus(tmp_path):
    with inprocess.memory_bus(tmp_path):
        yield


def _wait(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
    return result


def _ctxt():
    return context.RequestContext("alice", "proj1", roles=["member"])


def test_make_envelope_matches_what_minovas_client_casts(memory_bus):
    tap = kombu.Queue("tap-6-1", kombu.Exchange("nova", "topic", durable=False),
                      routing_key="conductor")
    args = {"instances": [{"uuid": "u1"}], "image": {"id": "img"}, "security_groups": ["default"]}
    ctxt = _ctxt()  # one context: its request_id travels too
    mine = envelope.make_envelope(ctxt.to_dict(), "build_instances", args,
                                  namespace="compute_task", version="1.9")
    with kombu.Connection("memory://") as conn:
        tap(conn.default_channel).declare()
        client = rpc.get_client(messaging.Target(topic="conductor", namespace="compute_task"))
        client.prepare(version="1.9").cast(ctxt, "build_instances", **args)
        theirs = _wait(lambda: tap(conn.default_channel).get(no_ack=True)).payload
    assert set(mine) == {"oslo.version", "oslo.message"} and mine["oslo.version"] == "2.0"
    assert isinstance(mine["oslo.message"], str), "oslo.message is a JSON string inside the body"
    mine_inner, their_inner = json.loads(mine["oslo.message"]), json.loads(theirs["oslo.message"])
    assert len(mine_inner.pop("_unique_id")) == 32
    their_inner.pop("_unique_id")
    assert mine_inner == their_inner


def test_make_envelope_leaves_out_namespace_and_version_when_not_given():
    inner = json.loads(envelope.make_envelope({}, "ping", {})["oslo.message"])
    assert "namespace" not in inner and "version" not in inner
    assert inner["method"] == "ping" and inner["args"] == {}


def test_make_envelope_gives_every_message_its_own_unique_id():
    ids = {json.loads(envelope.make_envelope({}, "m", {})["oslo.message"])["_unique_id"]
           for _ in range(5)}
    assert len(ids) == 5 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_make_envelope_is_accepted_by_a_real_rpc_server(memory_bus):
    got, arrived = [], threading.Event()

    class Tasks:
        target = messaging.Target(namespace="compute_task", version="1.9")

        def build_instances(self, ctxt, instances):
            got.append((ctxt, instances))
            arrived.set()

    server = rpc.get_server(messaging.Target(topic="conductor", server="c1"), [Tasks()])
    server.start()
    try:
        body = envelope.make_envelope(_ctxt().to_dict(), "build_instances",
                                      {"instances": [{"uuid": "u1"}]},
                                      namespace="compute_task", version="1.2")
        rpc.TRANSPORT.publish("nova", "conductor", body, [topic_queue("nova", "conductor")])
        assert arrived.wait(5), "the server did not dispatch your message"
    finally:
        server.stop()
        server.wait()
    ctxt, instances = got[0]
    assert isinstance(ctxt, context.RequestContext)
    assert (ctxt.user_id, ctxt.project_id, ctxt.roles) == ("alice", "proj1", ["member"])
    assert instances == [{"uuid": "u1"}]
