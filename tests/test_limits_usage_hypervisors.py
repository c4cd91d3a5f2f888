"""Three read-only APIs of issue 11: limits, os-hypervisors, os-simple-tenant-usage.

Juno: nova/api/openstack/compute/limits.py (LimitsController 87) with
contrib/used_limits.py (UsedLimitsController 38), contrib/hypervisors.py and
contrib/simple_tenant_usage.py.
"""

from __future__ import annotations

import datetime

import pytest
from test_servers_api import ADMIN, api, call, create, fault  # noqa: F401  (api: fixture)

from minova.db import api as db

JUNO_ABSOLUTE = {
    "maxTotalRAMSize": 51200, "maxTotalInstances": 10, "maxTotalCores": 20,
    "maxTotalKeypairs": 100, "maxTotalFloatingIps": 10, "maxServerMeta": 128,
    "maxImageMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240,
    "maxSecurityGroups": 10, "maxSecurityGroupRules": 20,
}


# --- limits ------------------------------------------------------------------------------

def test_limits_are_juno_defaults_plus_what_the_project_uses(api):  # noqa: F811
    """Juno: limits.py:91-101, views/limits.py:40-64, contrib/used_limits.py:46-73."""
    create(api)  # m1.tiny: 1 vcpu, 512 MB
    create(api, server={"flavorRef": "2"})  # m1.small: 1 vcpu, 2048 MB
    create(api, project="p2")
    limits = call(api, "GET", "/limits").json["limits"]
    assert limits["rate"] == []  # NOVA-DIFF: no ratelimit filter in the pipeline
    assert limits["absolute"] == dict(
        JUNO_ABSOLUTE, totalInstancesUsed=2, totalCoresUsed=2, totalRAMUsed=2560,
        totalFloatingIpsUsed=0, totalSecurityGroupsUsed=0)
    v2 = call(api, "GET", "/p2/limits", project="p2", script_name="/v2").json["limits"]
    assert v2["absolute"]["totalInstancesUsed"] == 1


def test_a_deleted_server_is_no_longer_used(api):  # noqa: F811
    server_id = create(api)
    db.instance_destroy(ADMIN, server_id)
    assert call(api, "GET", "/limits").json["limits"]["absolute"]["totalInstancesUsed"] == 0


def test_limits_other_verbs_are_501_and_without_extensions_no_used_keys(api, conf):  # noqa: F811
    """Juno: limits.py:103-121 (create, delete, show, update: HTTPNotImplemented)."""
    fault(call(api, "GET", "/limits/1"), "notImplemented", 501)
    conf.set_override("osapi_compute_extension", [])
    from minova.api.openstack.compute import APIRouter

    bare = APIRouter.factory({})
    absolute = call(type("Api", (), {"router": bare}), "GET", "/limits").json["limits"]["absolute"]
    assert absolute == JUNO_ABSOLUTE


# --- os-hypervisors ----------------------------------------------------------------------

def _compute_hosts():
    db.service_create(ADMIN, {"host": "h1", "binary": "minova-compute", "topic": "compute"})
    db.service_create(ADMIN, {"host": "h1", "binary": "minova-conductor", "topic": "conductor"})
    return db.service_create(ADMIN, {"host": "h2", "binary": "minova-compute",
                                     "topic": "compute"}).id


def test_hypervisors_list_each_compute_host_for_admins_only(api):  # noqa: F811
    """Juno: contrib/hypervisors.py:139-190 (os-hypervisor-status adds state and status)."""
    h2 = _compute_hosts()
    listed = call(api, "GET", "/os-hypervisors", user="admin").json["hypervisors"]
    assert listed == [
        {"id": 1, "hypervisor_hostname": "h1", "state": "up", "status": "enabled"},
        {"id": h2, "hypervisor_hostname": "h2", "state": "up", "status": "enabled"}]
    fault(call(api, "GET", "/os-hypervisors"), "forbidden", 403)
    fault(call(api, "GET", "/os-hypervisors/detail"), "forbidden", 403)


def test_hypervisor_detail_is_the_fake_drivers_totals_and_the_hosts_instances(api):  # noqa: F811
    """Juno: fake.py:92-116 (totals), resource_tracker.py:681-701 (512 MB reserved, usage)."""
    h2 = _compute_hosts()
    server_id = create(api, server={"flavorRef": "2"})  # m1.small: 2048 MB, 20 GB
    db.instance_update(ADMIN, server_id, {"host": "h2", "vm_state": "active",
                                          "task_state": None})
    detail = {h["hypervisor_hostname"]: h for h in
              call(api, "GET", "/os-hypervisors/detail", user="admin").json["hypervisors"]}
    shown = call(api, "GET", "/os-hypervisors/%d" % h2, user="admin").json["hypervisor"]
    assert shown == detail["h2"]
    assert shown == {
        "id": h2, "hypervisor_hostname": "h2", "state": "up", "status": "enabled",
        "vcpus": 1000, "memory_mb": 800000, "local_gb": 600000, "vcpus_used": 0,
        "memory_mb_used": 512 + 2048, "local_gb_used": 20, "hypervisor_type": "fake",
        "hypervisor_version": 1000, "free_ram_mb": 800000 - 2560, "free_disk_gb": 599980,
        "current_workload": 0, "running_vms": 1, "cpu_info": "?", "disk_available_least": 0,
        "host_ip": "127.0.0.1",
        "service": {"id": h2, "host": "h2", "disabled_reason": None}}
    assert (detail["h1"]["running_vms"], detail["h1"]["memory_mb_used"]) == (0, 512)


def test_an_unknown_hypervisor_is_404_item_not_found(api):  # noqa: F811
    """Juno: contrib/hypervisors.py:201-211 (ValueError or ComputeHostNotFound -> 404)."""
    _compute_hosts()
    for bad in ("99", "nope", "2"):  # 2 is the conductor: no compute node
        message = fault(call(api, "GET", "/os-hypervisors/" + bad, user="admin"),
                        "itemNotFound", 404)
        assert message == "Hypervisor with ID '%s' could not be found." % bad


# --- os-simple-tenant-usage --------------------------------------------------------------

def _launched(api, project, flavor, launched, terminated=None, **kwargs):  # noqa: F811
    server_id = create(api, project=project, server={"flavorRef": flavor, "name": "vm-" + flavor})
    db.instance_update(ADMIN, server_id, dict(vm_state="active", task_state=None,
                                              launched_at=launched, terminated_at=terminated))
    return server_id


def test_usage_index_sums_each_projects_hours_in_the_window(api):  # noqa: F811
    """Juno: simple_tenant_usage.py:78-112 (hours), 139-214 (sums), 258-277 (index)."""
    t = datetime.datetime(2014, 10, 16, 12, 0, 0)
    _launched(api, "p1", "1", t)  # m1.tiny, still running
    gone = _launched(api, "p1", "2", t, terminated=t + datetime.timedelta(hours=1))
    db.instance_destroy(ADMIN, gone)  # deleted rows are billed too
    _launched(api, "p2", "3", t - datetime.timedelta(days=30))  # m1.medium, from before
    create(api, project="p2")  # never launched: not billed
    query = "?start=2014-10-16T12:00:00&end=2014-10-16T14:00:00"
    usages = call(api, "GET", "/os-simple-tenant-usage" + query, user="admin").json
    by_tenant = {u["tenant_id"]: u for u in usages["tenant_usages"]}
    assert "server_usages" not in by_tenant["p1"]  # only with detailed=1
    assert by_tenant["p1"] == {
        "tenant_id": "p1", "total_hours": 3.0, "total_vcpus_usage": 3.0,
        "total_memory_mb_usage": 512 * 2 + 2048 * 1.0, "total_local_gb_usage": 1 * 2 + 20.0,
        "start": "2014-10-16T12:00:00.000000", "stop": "2014-10-16T14:00:00.000000"}
    assert by_tenant["p2"]["total_hours"] == 2.0 and by_tenant["p2"]["total_vcpus_usage"] == 4.0
    fault(call(api, "GET", "/os-simple-tenant-usage" + query), "forbidden", 403)


def test_usage_show_lists_the_server_usages_of_one_project(api):  # noqa: F811
    """Juno: simple_tenant_usage.py:280-305 (show: detailed, {} when nothing ran)."""
    t = datetime.datetime(2014, 10, 16, 12, 0, 0)
    server_id = _launched(api, "p1", "1", t, terminated=t + datetime.timedelta(minutes=30))
    query = "?start=2014-10-16T00:00:00&end=2014-10-17T00:00:00.000000"
    usage = call(api, "GET", "/os-simple-tenant-usage/p1" + query).json["tenant_usage"]
    (server,) = usage["server_usages"]
    assert server == {
        "instance_id": server_id, "name": "vm-1", "hours": 0.5, "flavor": "m1.tiny",
        "memory_mb": 512, "local_gb": 1, "vcpus": 1, "tenant_id": "p1",
        "started_at": "2014-10-16T12:00:00.000000", "ended_at": "2014-10-16T12:30:00.000000",
        "state": "terminated", "uptime": 1800}
    assert usage["total_memory_mb_usage"] == 256.0
    assert call(api, "GET", "/os-simple-tenant-usage/p9" + query,
                user="admin").json == {"tenant_usage": {}}
    fault(call(api, "GET", "/os-simple-tenant-usage/p2" + query), "forbidden", 403)


@pytest.mark.parametrize("query, message", [
    ("?start=yesterday", "Datetime is in invalid format"),
    ("?start=2014-13-01T00:00:00", "Datetime is in invalid format"),
    ("?end=2014-10-16", "Datetime is in invalid format"),
    ("?start=2014-10-16T00:00:00.1234567", "Datetime is in invalid format"),
    ("?start=%ff%00", "Datetime is in invalid format"),
    ("?start=2014-10-17T00:00:00&end=2014-10-16T00:00:00", "The start time cannot occur after"),
    ("?start=2014-10-16T00:00:00&end=2014-10-16T00:00:00", "The start time cannot occur after"),
    ("?start=2099-01-01T00:00:00", "The start time cannot occur after"),
])
@pytest.mark.parametrize("path", ["/os-simple-tenant-usage", "/os-simple-tenant-usage/p1"])
def test_bad_usage_windows_are_400_bad_request(api, path, query, message):  # noqa: F811
    """Juno: simple_tenant_usage.py:216-255 (InvalidStrTime and start >= end -> 400)."""
    resp = call(api, "GET", path + query, user="admin")
    assert message in fault(resp, "badRequest", 400)
