"""Layer 6 in one process on memory://: conductor and compute services, the build cast, delete."""

from __future__ import annotations

import datetime
import uuid

import pytest
from conftest import wait_until

from minova import conductor, context, rpc
from minova import service as nova_service
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import manager as conductor_manager
from minova.db import api as db
from minova.db.sqlalchemy import api as db_impl


@pytest.fixture
def memory_rpc(conf):
    conf.set_override("transport_url", "memory://")
    rpc.set_defaults(control_exchange="nova")
    rpc.init(conf)
    yield conf
    rpc.cleanup()
    rpc.set_defaults(control_exchange="openstack")


@pytest.fixture
def services(memory_rpc):
    """Start conductor and compute services; stop them (and their threads) afterwards."""
    started = []

    def start(binary, host, **kwargs):
        svc = nova_service.Service.create(binary=binary, host=host, **kwargs)
        svc.start()
        started.append(svc)
        return svc

    yield start
    for svc in started:
        svc.stop()
    db_impl.dispose_engine()


def _new_instance(ctxt, **values) -> dict:
    row = db.instance_create(ctxt, dict(
        uuid=str(uuid.uuid4()), project_id=ctxt.project_id, user_id=ctxt.user_id,
        display_name="vm", image_ref="img-1", flavor_id="1", vm_state="building",
        task_state="scheduling", **values))
    return conductor_manager._to_dict(row)


def _build(api, ctxt, instance):
    api.build_instances(ctxt, instances=[instance], image={"id": "img-1"},
                        filter_properties={}, admin_password="pw", injected_files=[],
                        requested_networks=None, security_groups=["default"],
                        block_device_mapping=None, legacy_bdm=False)


def _state(ctxt, uuid_):
    row = db.instance_get_by_uuid(context.get_admin_context(read_deleted="yes"), uuid_)
    return row.vm_state, row.task_state


def _start_both(services, memory_rpc, host="hostA"):
    services("minova-conductor", "cond1", topic="conductor",
             manager=memory_rpc.conductor.manager)
    return services("minova-compute", host, topic="compute")


def test_build_instances_cast_reaches_active(services, memory_rpc):
    _start_both(services, memory_rpc)
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _build(conductor.ComputeTaskAPI(), ctxt, instance)
    wait_until(lambda: _state(ctxt, instance["uuid"]) == ("active", None), message="ACTIVE")
    row = db.instance_get_by_uuid(ctxt, instance["uuid"])
    assert (row.host, row.node, row.power_state) == ("hostA", "hostA", 1)
    assert row.launched_at is not None and row.addresses["private"][0]["version"] == 4


def test_service_start_registers_compute_row(services, memory_rpc):
    _start_both(services, memory_rpc, host="hostB")
    rows = db.service_get_all_by_topic(context.get_admin_context(), "compute")
    assert [(r.host, r.binary) for r in rows] == [("hostB", "minova-compute")]


def test_build_without_compute_host_sets_error_with_fault(services, memory_rpc):
    services("minova-conductor", "cond1", topic="conductor",
             manager=memory_rpc.conductor.manager)
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _build(conductor.ComputeTaskAPI(), ctxt, instance)
    wait_until(lambda: _state(ctxt, instance["uuid"]) == ("error", None), message="ERROR")
    assert "No valid host was found" in db.instance_get_by_uuid(ctxt, instance["uuid"]).fault


def test_terminate_instance_soft_deletes_the_row(services, memory_rpc):
    _start_both(services, memory_rpc)
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _build(conductor.ComputeTaskAPI(), ctxt, instance)
    wait_until(lambda: _state(ctxt, instance["uuid"])[0] == "active")
    db.instance_update(ctxt, instance["uuid"], {"task_state": "deleting"})
    compute_rpcapi.ComputeAPI().terminate_instance(ctxt, dict(instance, host="hostA"), bdms=[])
    wait_until(lambda: db.instance_get_all_by_filters(ctxt, {"project_id": "proj1"}) == [],
               message="gone from the list")
    assert _state(ctxt, instance["uuid"]) == ("deleted", None)  # soft-deleted, row kept


@pytest.mark.parametrize("method, vm_state, power_state", [
    ("stop_instance", "stopped", 4), ("start_instance", "active", 1),
    ("reboot_instance", "active", 1)])
def test_power_actions_reach_the_instance_host(services, memory_rpc, method, vm_state,
                                               power_state):
    _start_both(services, memory_rpc)
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt, host="hostA")
    db.instance_update(ctxt, instance["uuid"], {"vm_state": "active", "task_state": "x"})
    getattr(compute_rpcapi.ComputeAPI(), method)(ctxt, instance)
    wait_until(lambda: _state(ctxt, instance["uuid"]) == (vm_state, None), message=method)
    assert db.instance_get_by_uuid(ctxt, instance["uuid"]).power_state == power_state


def test_local_compute_task_api_builds_without_a_conductor_service(services, memory_rpc):
    memory_rpc.set_override("use_local", True, group="conductor")
    services("minova-compute", "hostL", topic="compute")
    api = conductor.ComputeTaskAPI()
    assert type(api).__name__ == "LocalComputeTaskAPI"
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _build(api, ctxt, instance)
    wait_until(lambda: _state(ctxt, instance["uuid"]) == ("active", None), message="ACTIVE")


def test_schedule_spreads_over_least_loaded_hosts(memory_rpc):
    ctxt = context.get_admin_context()
    for host in ("h1", "h2"):
        db.service_create(ctxt, {"host": host, "binary": "minova-compute", "topic": "compute"})
    _new_instance(context.RequestContext("u", "p"), host="h1")
    mgr = conductor_manager.ComputeTaskManager()
    assert mgr._schedule(ctxt, 3) in (["h2", "h1", "h2"], ["h2", "h2", "h1"])
    db_impl.dispose_engine()


def _age(uuid_, seconds):
    created = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    db_impl.instance_update(context.get_admin_context(), uuid_,
                            {"created_at": created - datetime.timedelta(seconds=seconds)})


def test_builds_no_host_took_go_to_error_after_the_timeout(memory_rpc):
    """A crash between two hand-offs must not leave an instance in BUILD for ever."""
    memory_rpc.set_override("instance_scheduling_timeout", 30)
    ctxt = context.RequestContext("alice", "proj1")
    lost, fresh, on_host = (_new_instance(ctxt) for _ in range(3))
    for instance in (lost, on_host):
        _age(instance["uuid"], 60)
    db.instance_update(ctxt, on_host["uuid"], {"host": "h1", "task_state": "spawning"})
    mgr = conductor_manager.ComputeTaskManager()
    admin = context.get_admin_context()

    mgr._fail_unscheduled_builds(admin)  # just started: queued messages come first
    assert _state(ctxt, lost["uuid"]) == ("building", "scheduling")

    mgr._started -= 30
    mgr._fail_unscheduled_builds(admin)
    assert _state(ctxt, lost["uuid"]) == ("error", None)
    assert "no compute host took it within 30 seconds" in db.instance_get_by_uuid(
        ctxt, lost["uuid"]).fault
    assert _state(ctxt, fresh["uuid"]) == ("building", "scheduling")
    assert _state(ctxt, on_host["uuid"]) == ("building", "spawning")
    db_impl.dispose_engine()


def test_a_redelivered_build_request_casts_nothing_once_a_host_took_it(memory_rpc,
                                                                      monkeypatch):
    casts = []
    mgr = conductor_manager.ComputeTaskManager()
    monkeypatch.setattr(mgr.compute_rpcapi, "build_and_run_instance",
                        lambda ctxt, **kw: casts.append(kw["instance"]["uuid"]))
    monkeypatch.setattr(mgr, "_schedule", lambda ctxt, count: ["h1"] * count)
    ctxt = context.RequestContext("alice", "proj1")
    instance = _new_instance(ctxt)
    _build(mgr, ctxt, instance)
    db.instance_update(ctxt, instance["uuid"], {"host": "h1", "task_state": "spawning"})
    _build(mgr, ctxt, instance)
    assert casts == [instance["uuid"]]
    db_impl.dispose_engine()
