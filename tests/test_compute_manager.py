"""ComputeManager without RPC: the state machine BUILD -> spawning -> ACTIVE / ERROR / deleted."""

from __future__ import annotations

import uuid

import pytest

from minova import context, exception
from minova.compute import manager as compute_manager
from minova.db import api as db
from minova.db.sqlalchemy import api as db_impl


@pytest.fixture
def mgr(conf):
    yield compute_manager.ComputeManager(host="hostX")
    db_impl.dispose_engine()


def _instance(ctxt) -> dict:
    row = db.instance_create(ctxt, dict(uuid=str(uuid.uuid4()), project_id="p", user_id="u",
                                        vm_state="building", task_state="scheduling"))
    return {"uuid": row.uuid}


def _build(mgr, ctxt, instance):
    mgr.build_and_run_instance(ctxt, instance=instance, image={}, request_spec={},
                               filter_properties={})


def test_build_and_run_instance_sets_active_running_and_host(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    row = db.instance_get_by_uuid(ctxt, inst["uuid"])
    assert (row.vm_state, row.task_state, row.power_state, row.host) == (
        "active", None, 1, "hostX")
    assert mgr.driver.instances == {inst["uuid"]: 1}


def test_build_and_run_instance_driver_failure_sets_error(mgr, monkeypatch):
    def broken_spawn(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(mgr.driver, "spawn", broken_spawn)
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    row = db.instance_get_by_uuid(ctxt, inst["uuid"])
    assert (row.vm_state, row.task_state) == ("error", None)
    assert "disk full" in row.fault


def test_build_and_run_instance_of_deleted_instance_does_nothing(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    db.instance_destroy(ctxt, inst["uuid"])
    _build(mgr, ctxt, inst)  # no exception: the message is simply dropped
    assert mgr.driver.instances == {}


def test_delete_during_spawn_wins_over_active(mgr, monkeypatch):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)

    def spawn_then_user_deletes(context_, instance, *args):
        db.instance_update(ctxt, instance["uuid"], {"task_state": "deleting"})

    monkeypatch.setattr(mgr.driver, "spawn", spawn_then_user_deletes)
    _build(mgr, ctxt, inst)
    assert db.instance_get_by_uuid(ctxt, inst["uuid"]).task_state == "deleting"


def test_terminate_instance_destroys_and_soft_deletes(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    mgr.terminate_instance(ctxt, inst, bdms=[])
    assert mgr.driver.instances == {}
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ctxt, inst["uuid"])
    mgr.terminate_instance(ctxt, inst, bdms=[])  # twice is harmless


def test_build_allocates_the_network_before_spawning_mac_included(mgr, monkeypatch):
    """Issue 19: Juno allocates during the build (nova/compute/manager.py:1620-1668), so
    a server's addresses carry type and MAC (OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr)."""
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    order = []
    allocate = mgr.network_api.allocate_for_instance
    monkeypatch.setattr(mgr.network_api, "allocate_for_instance",
                        lambda *a, **k: order.append("allocate") or allocate(*a, **k))
    spawn = mgr.driver.spawn
    monkeypatch.setattr(mgr.driver, "spawn", lambda *a, **k: order.append("spawn") or spawn(*a, **k))
    _build(mgr, ctxt, inst)
    assert order == ["allocate", "spawn"]
    (ip,) = db.instance_get_by_uuid(ctxt, inst["uuid"]).addresses["private"]
    assert ip["type"] == "fixed" and ip["version"] == 4
    assert ip["mac_addr"].startswith("fa:16:3e:") and len(ip["mac_addr"]) == 17


def test_console_output_is_the_fake_drivers_tailed(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    assert mgr.get_console_output(ctxt, inst) == "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"
    assert mgr.get_console_output(ctxt, inst, tail_length=1) == "LAST LINE"


def test_pause_unpause_suspend_resume_move_vm_and_power_state(mgr):
    """Each expects its own task state (Juno's instance.save(expected_task_state=...))."""
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    for task_state, method, vm_state, power in [
            ("pausing", mgr.pause_instance, "paused", 3),
            ("unpausing", mgr.unpause_instance, "active", 1),
            ("suspending", mgr.suspend_instance, "suspended", 7),
            ("resuming", mgr.resume_instance, "active", 1)]:
        db.instance_update(ctxt, inst["uuid"], {"task_state": task_state})
        method(ctxt, inst)
        row = db.instance_get_by_uuid(ctxt, inst["uuid"])
        assert (row.vm_state, row.task_state, row.power_state) == (vm_state, None, power)
        assert mgr.driver.instances == {inst["uuid"]: power}


def test_pause_without_the_pausing_task_state_changes_nothing(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)  # task_state None: e.g. a delete cleared it meanwhile
    with pytest.raises(exception.InstanceInvalidState):  # Juno: UnexpectedTaskStateError
        mgr.pause_instance(ctxt, inst)
    assert db.instance_get_by_uuid(ctxt, inst["uuid"]).vm_state == "active"


def _snapshot_record(ctxt, inst) -> str:
    from minova import image
    return image.API().create(ctxt, {"name": "snap", "properties": {
        "instance_uuid": inst["uuid"]}})["id"]


def test_snapshot_instance_uploads_and_clears_the_task_state(mgr, monkeypatch):
    """IMAGE_SNAPSHOT_PENDING -> IMAGE_SNAPSHOT -> IMAGE_UPLOADING -> None; the image active."""
    from minova import image
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    image_id = _snapshot_record(ctxt, inst)
    assert image.API().get(ctxt, image_id)["status"] == "queued"
    db.instance_update(ctxt, inst["uuid"], {"task_state": "image_snapshot_pending"})
    seen, update = [], db.instance_update

    def recording(context, uuid, values, **kwargs):
        seen.append(values.get("task_state", "-"))
        return update(context, uuid, values, **kwargs)
    monkeypatch.setattr(db, "instance_update", recording)
    mgr.snapshot_instance(ctxt, image_id, inst)
    assert seen == ["image_snapshot", "image_uploading", None]
    assert db.instance_get_by_uuid(ctxt, inst["uuid"]).task_state is None
    assert image.API().get(ctxt, image_id)["status"] == "active"


def test_a_failed_snapshot_deletes_the_image_and_clears_the_task_state(mgr, monkeypatch):
    from minova import image
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    image_id = _snapshot_record(ctxt, inst)
    db.instance_update(ctxt, inst["uuid"], {"task_state": "image_snapshot_pending"})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(mgr.driver, "snapshot", broken)
    with pytest.raises(RuntimeError):
        mgr.snapshot_instance(ctxt, image_id, inst)
    assert db.instance_get_by_uuid(ctxt, inst["uuid"]).task_state is None
    with pytest.raises(exception.ImageNotFound):
        image.API().get(ctxt, image_id)


def test_init_host_puts_builds_cut_short_into_error(mgr):
    """Juno's _init_instance: what this host was building when it died will not finish."""
    ctxt = context.get_admin_context()
    spawning, active, elsewhere = (_instance(ctxt) for _ in range(3))
    db.instance_update(ctxt, spawning["uuid"], {"host": "hostX", "task_state": "spawning"})
    _build(mgr, ctxt, active)
    db.instance_update(ctxt, elsewhere["uuid"], {"host": "hostY", "task_state": "spawning"})
    mgr.init_host()
    states = {key: db.instance_get_by_uuid(ctxt, inst["uuid"])
              for key, inst in (("spawning", spawning), ("active", active),
                                ("elsewhere", elsewhere))}
    assert (states["spawning"].vm_state, states["spawning"].task_state) == ("error", None)
    assert states["active"].vm_state == "active"
    assert states["elsewhere"].task_state == "spawning"  # another host's business


def test_a_build_delivered_twice_builds_once(mgr, monkeypatch):
    """RabbitMQ redelivers what a killed service had not acknowledged: the second is a no-op."""
    spawned = []
    real_spawn = mgr.driver.spawn
    monkeypatch.setattr(mgr.driver, "spawn",
                        lambda ctxt, inst, *a, **kw: (spawned.append(inst["uuid"]),
                                                      real_spawn(ctxt, inst, *a, **kw)))
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    _build(mgr, ctxt, inst)
    _build(mgr, ctxt, inst)
    assert spawned == [inst["uuid"]]
    assert db.instance_get_by_uuid(ctxt, inst["uuid"]).vm_state == "active"


def test_a_build_arriving_after_the_instance_went_to_error_builds_nothing(mgr):
    ctxt = context.RequestContext("u", "p")
    inst = _instance(ctxt)
    db.instance_update(ctxt, inst["uuid"], {"vm_state": "error", "task_state": None})
    _build(mgr, ctxt, inst)
    row = db.instance_get_by_uuid(ctxt, inst["uuid"])
    assert (row.vm_state, row.host) == ("error", None)
    assert mgr.driver.instances == {}
