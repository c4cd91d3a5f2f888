"""Task 6.3: choose_endpoint() agrees with minova's RPCDispatcher on every case."""

from __future__ import annotations

import pytest

from exercises._target import load
from minova import messaging
from minova.messaging.rpc.dispatcher import RPCDispatcher

rule = load("dispatch_rule")


def _endpoint(name, namespace=None, version=None, methods=("build_instances",)):
    attrs = {m: (lambda self, ctxt, _n=name: _n) for m in methods}
    if namespace is not None or version is not None:
        attrs["target"] = messaging.Target(namespace=namespace, version=version)
    return type(name, (), attrs)()


# The conductor's two endpoints (Juno nova/conductor/manager.py:82 and 451), plus one without a target.
CONDUCTOR = [_endpoint("ConductorManager", None, "2.0", ("object_action", "_private")),
             _endpoint("ComputeTaskManager", "compute_task", "1.9",
                       ("build_instances", "migrate_server"))]
PLAIN = [_endpoint("Plain", methods=("ping",))]

CASES = [
    (CONDUCTOR, "compute_task", "1.9", "build_instances"),
    (CONDUCTOR, "compute_task", "1.2", "migrate_server"),
    (CONDUCTOR, "compute_task", "1.10", "build_instances"),
    (CONDUCTOR, "compute_task", "2.0", "build_instances"),
    (CONDUCTOR, None, "2.0", "object_action"),
    (CONDUCTOR, None, "2.0", "build_instances"),
    (CONDUCTOR, None, "2.0", "_private"),
    (CONDUCTOR, None, "1.0", "object_action"),
    (CONDUCTOR, "compute_task", "1.9", "ping"),
    (CONDUCTOR, "other", "1.0", "build_instances"),
    (PLAIN, None, None, "ping"),
    (PLAIN, None, "1.0", "ping"),
    (PLAIN, None, "1.1", "ping"),
]


def _dispatcher_says(endpoints, namespace, version, method):
    message = {"method": method, "namespace": namespace, "version": version}
    try:
        return RPCDispatcher(messaging.Target(), endpoints, messaging.NoOpSerializer())({}, message)
    except (messaging.UnsupportedVersion, messaging.NoSuchMethod) as exc:
        return type(exc)


def _rule_says(endpoints, namespace, version, method):
    try:
        return type(rule.choose_endpoint(endpoints, namespace, version, method)).__name__
    except (messaging.UnsupportedVersion, messaging.NoSuchMethod) as exc:
        return type(exc)


def test_choose_endpoint_picks_compute_task_manager_for_build_instances_1_9():
    chosen = rule.choose_endpoint(CONDUCTOR, "compute_task", "1.9", "build_instances")
    assert chosen is CONDUCTOR[1]


@pytest.mark.parametrize("endpoints, namespace, version, method", CASES)
def test_choose_endpoint_agrees_with_minovas_dispatcher(endpoints, namespace, version, method):
    assert _rule_says(endpoints, namespace, version, method) == _dispatcher_says(
        endpoints, namespace, version, method)


def test_choose_endpoint_takes_the_first_qualifying_endpoint_with_the_method():
    first = _endpoint("First", "ns", "1.5", ("other",))
    second = _endpoint("Second", "ns", "1.3", ("go",))
    third = _endpoint("Third", "ns", "1.4", ("go",))
    assert rule.choose_endpoint([first, second, third], "ns", "1.2", "go") is second


def test_choose_endpoint_raises_with_the_version_and_method():
    with pytest.raises(messaging.UnsupportedVersion) as info:
        rule.choose_endpoint(CONDUCTOR, "compute_task", "1.10", "build_instances")
    assert (info.value.version, info.value.method) == ("1.10", "build_instances")
    with pytest.raises(messaging.NoSuchMethod) as info:
        rule.choose_endpoint(CONDUCTOR, "compute_task", "1.9", "ping")
    assert info.value.method == "ping"
