"""Quotas: Juno's default limits, and what a project uses of them (read from the instances table).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/quota.py (the quota_* options at 35-80, ``QuotaEngine`` at 1079, ``QUOTAS`` at 1425);
the instance usage is ``_instance_data_get_for_user`` (nova/db/sqlalchemy/api.py:1652)
Now: nova/quota.py (usage counted from the tables since Pike, as minova does here)
"""

from __future__ import annotations

from minova import exception
from minova.compute import api as compute_api
from minova.compute import flavors
from minova.db import api as db

# As in Juno's options (nova/quota.py:35-80), in their order.
# NOVA-DIFF: minova enforces metadata_items only; the others are shown, not counted.
DEFAULT_QUOTAS = {
    "instances": 10, "cores": 20, "ram": 50 * 1024, "floating_ips": 10, "fixed_ips": -1,
    "metadata_items": compute_api.METADATA_ITEMS, "injected_files": 5,
    "injected_file_content_bytes": 10 * 1024, "injected_file_path_bytes": 255,
    "security_groups": 10, "security_group_rules": 20, "key_pairs": 100,
    "server_groups": 10, "server_group_members": 10,
}


def instance_usage(context, project_id: str) -> dict:
    """``{'instances', 'cores', 'ram'}`` in use by a project's undeleted instances.

    Juno's ``_sync_instances`` (nova/db/sqlalchemy/api.py:316) counted the rows and summed
    their vcpus and memory_mb columns.
    NOVA-DIFF: minova's rows keep only a flavorid, so vcpus and memory come from the flavor.
    """
    usage = {"instances": 0, "cores": 0, "ram": 0}
    for instance in db.instance_get_all_by_filters(context, {"project_id": project_id}):
        usage["instances"] += 1
        try:
            flavor = flavors.get_flavor_by_flavor_id(instance.flavor_id)
        except exception.FlavorNotFound:
            continue
        usage["cores"] += flavor["vcpus"]
        usage["ram"] += flavor["memory_mb"]
    return usage


def get_project_quotas(context, project_id: str, usages: bool = True) -> dict:
    """``{resource: {'limit': n[, 'in_use': n, 'reserved': 0]}}``, as Juno's QuotaEngine answers.

    Mirrors: nova.quota.QuotaEngine.get_project_quotas (nova/quota.py:1179, 2014.2)
    Simplified: every project has the defaults (no quotas table); only instances, cores and
    ram are counted (the other resources are in use 0); nothing is ever reserved.
    """
    in_use = instance_usage(context, project_id) if usages else {}
    result = {}
    for resource, limit in DEFAULT_QUOTAS.items():
        result[resource] = {"limit": limit}
        if usages:
            result[resource].update(in_use=in_use.get(resource, 0), reserved=0)
    return result
