"""Layer 6 (API side): compute.API() factory, reads scoped by project, create → build_instances,
delete and actions, and what happens when the cast fails."""

from __future__ import annotations

import json

import pytest

from minova import compute, context, exception
from minova.compute import api as compute_api
from minova.compute import flavors
from minova.db import api as db
from minova.db.sqlalchemy import api as sqla

IMAGE = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
ADMIN = context.get_admin_context()


class Recorder:
    """Any method call is recorded as (name, kwargs); ``error`` makes every call raise."""

    def __init__(self):
        self.calls, self.error = [], None

    def __getattr__(self, name):
        def method(ctxt, **kwargs):
            if self.error:
                raise self.error
            self.calls.append((name, kwargs))
        return method


@pytest.fixture
def capi(conf):
    api = compute.API()
    api._compute_task_api = Recorder()
    api.compute_rpcapi = Recorder()
    yield api
    sqla.dispose_engine()


def ctxt(project="p1", user="u1"):
    return context.RequestContext(user, project, is_admin=(user == "admin"))


def boot(capi, project="p1", **kwargs):
    instances, _resv_id = capi.create(ctxt(project), flavors.get_flavor_by_flavor_id("1"), IMAGE,
                                     display_name="vm", **kwargs)
    return instances


def test_compute_api_factory_imports_configured_class(conf):
    conf.set_override("compute_api_class", "tests_fake_module.Nope")
    with pytest.raises(ImportError):
        compute.API()
    conf.set_override("compute_api_class", "minova.compute.api.API")
    api = compute.API()
    assert type(api) is compute_api.API
    assert {"image_api", "network_api", "volume_api", "security_group_api"} <= set(vars(api))


def test_compute_api_task_api_is_lazy(conf):
    api = compute.API()
    assert api._compute_task_api is None and api._compute_rpcapi is None


def test_compute_api_create_writes_build_row_then_casts_once(capi):
    (inst,) = boot(capi)
    row = db.instance_get_by_uuid(ADMIN, inst.uuid)
    assert (row.vm_state, row.task_state, row.power_state) == ("building", "scheduling", 0)
    assert (row.project_id, row.user_id, row.flavor_id) == ("p1", "u1", "1")
    ((name, kwargs),) = capi.compute_task_api.calls
    assert name == "build_instances"
    assert set(kwargs) == {"instances", "image", "filter_properties", "admin_password",
                           "injected_files", "requested_networks", "security_groups",
                           "block_device_mapping", "legacy_bdm"}
    (prim,) = kwargs["instances"]
    assert prim["uuid"] == inst.uuid and prim["metadata"] == {}
    assert prim["vm_state"] == "building" and isinstance(prim["created_at"], str)
    json.dumps(kwargs)  # the whole message is JSON-friendly


def test_compute_api_cast_failure_sets_error_with_fault(capi):
    capi.compute_task_api.error = exception.TransportUnavailable(reason="no broker")
    with pytest.raises(exception.TransportUnavailable):
        boot(capi)
    (row,) = db.instance_get_all_by_filters(ADMIN, {})
    assert row.vm_state == "error" and row.task_state is None
    assert json.loads(row.fault)["code"] == 503


def test_compute_api_failed_row_write_undoes_earlier_rows(capi, monkeypatch):
    real_create, seen = db.instance_create, []

    def flaky(context, values):
        if seen:
            raise RuntimeError("disk full")
        seen.append(values)
        return real_create(context, values)
    monkeypatch.setattr(db, "instance_create", flaky)
    with pytest.raises(RuntimeError):
        boot(capi, min_count=2, max_count=2)
    assert db.instance_get_all_by_filters(ADMIN, {}) == []
    assert capi.compute_task_api.calls == []


def test_compute_api_unknown_image_writes_nothing(capi):
    with pytest.raises(exception.ImageNotFound):
        capi.create(ctxt(), flavors.get_flavor_by_flavor_id("1"),
                    "00000000-0000-0000-0000-000000000000", display_name="vm")
    assert db.instance_get_all_by_filters(ADMIN, {}) == []


def test_compute_api_get_hides_other_projects_and_bad_ids(capi):
    (inst,) = boot(capi, project="p2")
    for instance_id, who in ((inst.uuid, ctxt("p1")), ("not-a-uuid", ctxt("p2"))):
        with pytest.raises(exception.InstanceNotFound):
            capi.get(who, instance_id)
    assert capi.get(ctxt("p2"), inst.uuid).uuid == inst.uuid
    assert capi.get(ctxt("admin", "admin"), inst.uuid).uuid == inst.uuid


def test_compute_api_get_all_scopes_non_admin_to_project(capi):
    boot(capi, project="p1"), boot(capi, project="p2")
    assert {i.project_id for i in capi.get_all(ctxt("p1"), {})} == {"p1"}
    assert {i.project_id for i in capi.get_all(ctxt("admin", "admin"), {})} == {"p1", "p2"}
    other = capi.get_all(ctxt("p2"), {})[0].uuid
    with pytest.raises(exception.MarkerNotFound):  # another project's id is no marker
        capi.get_all(ctxt("p1"), {}, marker=other)


def test_compute_api_delete_local_without_host(capi):
    (inst,) = boot(capi)
    capi.delete(ctxt(), inst)
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ADMIN, inst.uuid)
    assert capi.compute_rpcapi.calls == []


def test_compute_api_delete_with_host_marks_deleting_and_casts(capi):
    (inst,) = boot(capi)
    inst = db.instance_update(ADMIN, inst.uuid, {"host": "h1", "vm_state": "active",
                                                 "task_state": None})
    capi.delete(ctxt(), inst)
    ((name, kwargs),) = capi.compute_rpcapi.calls
    assert name == "terminate_instance" and kwargs["instance"]["task_state"] == "deleting"
    assert kwargs["bdms"] == []


def test_compute_api_stop_start_without_host_change_state_locally(capi):
    (inst,) = boot(capi)
    inst = db.instance_update(ADMIN, inst.uuid, {"vm_state": "active", "task_state": None})
    capi.stop(ctxt(), inst)
    inst = db.instance_get_by_uuid(ADMIN, inst.uuid)
    assert (inst.vm_state, inst.power_state) == ("stopped", 4)
    capi.start(ctxt(), inst)
    assert db.instance_get_by_uuid(ADMIN, inst.uuid).vm_state == "active"
    assert capi.compute_rpcapi.calls == []


def test_compute_api_reboot_refused_while_building(capi):
    (inst,) = boot(capi)
    with pytest.raises(exception.InstanceInvalidState):
        capi.reboot(ctxt(), inst, "SOFT")


def test_compute_api_multi_create_names_instances(capi):
    instances = boot(capi, min_count=3, max_count=3)
    assert [i.display_name for i in instances] == ["vm-1", "vm-2", "vm-3"]
    with pytest.raises(exception.InvalidInput):
        boot(capi, max_count=compute_api.MAX_COUNT + 1)
