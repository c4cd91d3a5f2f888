"""minova.messaging + minova.rpc on memory:// (and the broker-less buses in one process)."""

from __future__ import annotations

import json
import threading
import time

import kombu
import pytest
from conftest import wait_until

from minova import context, exception, messaging, rpc
from minova.messaging.rpc.dispatcher import RPCDispatcher, version_is_compatible
from minova.messaging.transport import pack_message, unpack_message


@pytest.fixture
def memory_rpc(conf):
    conf.set_override("transport_url", "memory://")
    rpc.set_defaults(control_exchange="nova")
    rpc.init(conf)
    yield rpc.TRANSPORT
    rpc.cleanup()
    rpc.set_defaults(control_exchange="openstack")


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.stop()
        server.wait()


def _serve(servers, endpoints, topic="t", host="h1"):
    server = rpc.get_server(messaging.Target(topic=topic, server=host), endpoints)
    server.start()
    servers.append(server)
    return server


class Calculator:
    target = messaging.Target(version="1.3")

    def __init__(self):
        self.seen = []

    def add(self, ctxt, a, b):
        self.seen.append((ctxt, a, b))
        return a + b

    def not_found(self, ctxt):
        raise exception.InstanceNotFound(instance_id="abc")

    def _private(self, ctxt):
        return "secret"


def _ctxt():
    return context.RequestContext("alice", "proj1", roles=["member"])


def test_target_call_returns_modified_copy():
    base = messaging.Target(topic="conductor", namespace="compute_task", version="1.0")
    derived = base(version="1.9", server="h2")
    assert (derived.topic, derived.namespace, derived.version, derived.server) == (
        "conductor", "compute_task", "1.9", "h2")
    assert base.version == "1.0" and base.server is None
    with pytest.raises(TypeError):
        base(colour="red")


def test_pack_message_has_nova_envelope_and_flat_context():
    body = pack_message({"user_id": "alice", "roles": ["member"]},
                        {"method": "build_instances", "namespace": "compute_task",
                         "version": "1.9", "args": {"x": 1}})
    assert set(body) == {"oslo.version", "oslo.message"}
    assert body["oslo.version"] == "2.0"
    inner = json.loads(body["oslo.message"])  # a JSON string inside the JSON body, as nova's
    assert inner["method"] == "build_instances" and inner["args"] == {"x": 1}
    assert inner["_context_user_id"] == "alice" and inner["_context_roles"] == ["member"]
    assert len(inner["_unique_id"]) == 32
    ctxt, msg = unpack_message(body)
    assert ctxt == {"user_id": "alice", "roles": ["member"]}
    assert "_context_user_id" not in msg


def test_cast_goes_to_exchange_nova_with_topic_server_routing_key(memory_rpc):
    exchange = kombu.Exchange("nova", "topic", durable=False)
    probe = kombu.Queue("probe", exchange, routing_key="compute.hostA")
    with kombu.Connection("memory://") as conn:
        probe(conn.default_channel).declare()
        client = rpc.get_client(messaging.Target(topic="compute", version="3.0"))
        client.prepare(server="hostA", version="3.33").cast(_ctxt(), "build_and_run_instance",
                                                             instance={"uuid": "u1"})
        message = wait_until(lambda: probe(conn.default_channel).get(no_ack=True))
    assert message.delivery_info["exchange"] == "nova"
    assert message.delivery_info["routing_key"] == "compute.hostA"
    inner = json.loads(message.payload["oslo.message"])
    assert inner["version"] == "3.33" and inner["args"] == {"instance": {"uuid": "u1"}}
    assert inner["_context_project_id"] == "proj1"


def test_cast_delivers_with_context_rebuilt(memory_rpc, servers):
    calc = Calculator()
    _serve(servers, [calc])
    rpc.get_client(messaging.Target(topic="t")).cast(_ctxt(), "add", a=2, b=3)
    wait_until(lambda: calc.seen, message="cast delivered")
    ctxt, a, b = calc.seen[0]
    assert isinstance(ctxt, context.RequestContext)
    assert (ctxt.user_id, ctxt.project_id, a, b) == ("alice", "proj1", 2, 3)


def test_call_returns_result_over_reply_queue(memory_rpc, servers):
    _serve(servers, [Calculator()])
    client = rpc.get_client(messaging.Target(topic="t", version="1.2"))
    assert client.call(_ctxt(), "add", a=20, b=22) == 42
    assert client.prepare(server="h1").call(_ctxt(), "add", a=1, b=1) == 2


def test_call_times_out_without_a_server(memory_rpc):
    client = rpc.get_client(messaging.Target(topic="nobody"))
    start = time.monotonic()
    with pytest.raises(exception.MessagingTimeout):
        client.prepare(timeout=0.3).call(_ctxt(), "add", a=1, b=2)
    assert time.monotonic() - start < 2


def test_call_reraises_allowed_remote_exception(memory_rpc, servers):
    _serve(servers, [Calculator()])
    client = rpc.get_client(messaging.Target(topic="t"))
    with pytest.raises(exception.InstanceNotFound, match="abc"):
        client.call(_ctxt(), "not_found")


@pytest.mark.parametrize("version, method, error", [
    ("2.0", "add", messaging.UnsupportedVersion),   # other major
    ("1.4", "add", messaging.UnsupportedVersion),   # newer minor than the endpoint's 1.3
    ("1.1", "missing", messaging.NoSuchMethod),
    ("1.1", "_private", messaging.NoSuchMethod),    # private methods are not RPC methods
])
def test_call_refused_by_dispatcher(memory_rpc, servers, version, method, error):
    _serve(servers, [Calculator()])
    client = rpc.get_client(messaging.Target(topic="t"))
    with pytest.raises(error):
        client.prepare(version=version).call(_ctxt(), method)


def test_dispatcher_picks_endpoint_by_namespace_then_version():
    class Plain:
        target = messaging.Target(version="2.0")

        def ping(self, ctxt):
            return "plain"

    class Tasks:
        target = messaging.Target(namespace="compute_task", version="1.9")

        def ping(self, ctxt):
            return "tasks"

    dispatcher = RPCDispatcher(messaging.Target(), [Plain(), Tasks()], messaging.NoOpSerializer())
    assert dispatcher({}, {"method": "ping", "version": "2.0"}) == "plain"
    assert dispatcher({}, {"method": "ping", "namespace": "compute_task",
                           "version": "1.9"}) == "tasks"
    with pytest.raises(messaging.UnsupportedVersion):
        dispatcher({}, {"method": "ping", "namespace": "other", "version": "1.0"})


def test_version_is_compatible_same_major_minor_at_least():
    assert version_is_compatible("1.9", "1.2")
    assert version_is_compatible("3.35", "3.33")
    assert not version_is_compatible("1.9", "1.10")
    assert not version_is_compatible("2.0", "1.0")


def test_version_cap_refuses_a_newer_message(memory_rpc):
    client = rpc.get_client(messaging.Target(topic="t"), version_cap="1.5")
    assert client.can_send_version("1.5") and not client.can_send_version("1.9")
    with pytest.raises(messaging.RPCVersionCapError):
        client.prepare(version="1.9").cast(_ctxt(), "add", a=1, b=2)


def test_cast_fails_fast_when_rabbit_is_down(conf, free_port):
    # free_port was free a moment ago: nothing listens there.
    conf.set_override("transport_url", "rabbit://guest:guest@127.0.0.1:%d/" % free_port)
    rpc.init(conf)
    try:
        client = rpc.get_client(messaging.Target(topic="conductor"))
        start = time.monotonic()
        with pytest.raises(exception.TransportUnavailable) as info:
            client.cast(_ctxt(), "build_instances")
        assert time.monotonic() - start <= 2.5
        assert "guest:guest" not in str(info.value)  # no password in the fault
    finally:
        rpc.cleanup()


def test_get_transport_rejects_unknown_scheme(conf):
    with pytest.raises(ValueError, match="zmq"):
        messaging.get_transport(conf, "zmq://127.0.0.1")


def test_server_stop_waits_for_in_flight_handler(memory_rpc, servers):
    release, entered, finished = threading.Event(), threading.Event(), []

    class Slow:
        def work(self, ctxt):
            entered.set()
            release.wait(5)
            finished.append(True)

    server = rpc.get_server(messaging.Target(topic="slow", server="h1"), [Slow()])
    server.start()
    rpc.get_client(messaging.Target(topic="slow")).cast(_ctxt(), "work")
    assert entered.wait(5)
    server.stop()
    threading.Timer(0.2, release.set).start()
    server.wait()  # returns only after the handler finished (and its message was acked)
    assert finished == [True]


# kombu's SQLAlchemy transport uses a loader strategy SQLAlchemy 2.1 deprecates.
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")
@pytest.mark.parametrize("url", ["filesystem://", "sqla+sqlite:///"])
def test_broker_less_competing_consumers_get_each_message_once(conf, servers, url):
    conf.set_override("transport_url", url)
    rpc.init(conf)
    try:
        got, lock = [], threading.Lock()

        class Sink:
            def __init__(self, name):
                self.name = name

            def take(self, ctxt, n):
                with lock:
                    got.append((self.name, n))

        # Two servers on one topic: two kombu connections polling the same queue.
        _serve(servers, [Sink("a")], topic="work", host="a")
        _serve(servers, [Sink("b")], topic="work", host="b")
        client = rpc.get_client(messaging.Target(topic="work"))
        for n in range(60):
            client.cast(_ctxt(), "take", n=n)
        wait_until(lambda: len(got) >= 60, message="60 casts consumed")
        time.sleep(0.2)  # not a sync: gives a duplicate delivery time to show up
        assert sorted(n for _, n in got) == list(range(60))
    finally:
        for server in servers:
            server.stop()
            server.wait()
        servers.clear()
        rpc.cleanup()
