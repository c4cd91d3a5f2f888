"""The Quotas extension: ``GET /os-quota-sets/{project_id}`` and ``.../defaults`` (read only).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/quotas.py (``QuotaSetsController`` at 60,
``Quotas`` at 240); the defaults are nova/quota.py's quota_* options (35-80)
Now: nova/api/openstack/compute/quota_sets.py
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi
from minova.compute import api as compute_api

# As in Juno's options (nova/quota.py:35-80), in their order.
# NOVA-DIFF: minova enforces metadata_items only; the others are shown, not counted.
DEFAULT_QUOTAS = {
    "instances": 10, "cores": 20, "ram": 50 * 1024, "floating_ips": 10, "fixed_ips": -1,
    "metadata_items": compute_api.METADATA_ITEMS, "injected_files": 5,
    "injected_file_content_bytes": 10 * 1024, "injected_file_path_bytes": 255,
    "security_groups": 10, "security_group_rules": 20, "key_pairs": 100,
    "server_groups": 10, "server_group_members": 10,
}


class QuotaSetsController(wsgi.Controller):
    """A project's quota set: Juno's defaults (no per-project quotas in minova).

    Mirrors: nova.api.openstack.compute.contrib.quotas.QuotaSetsController
    (nova/api/openstack/compute/contrib/quotas.py:60, 2014.2)
    Simplified: read only (no update or delete), every project has the defaults.
    """

    @staticmethod
    def _format_quota_set(project_id, quota_set) -> dict:
        result = {"id": str(project_id)} if project_id else {}
        result.update(quota_set)
        return {"quota_set": result}

    def show(self, req, id):
        return self._format_quota_set(id, DEFAULT_QUOTAS)

    def defaults(self, req, id):
        return self._format_quota_set(id, DEFAULT_QUOTAS)


class Quotas(extensions.ExtensionDescriptor):
    """Quotas management support."""

    name = "Quotas"
    alias = "os-quota-sets"
    namespace = "http://docs.openstack.org/compute/ext/quotas-sets/api/v1.1"
    updated = "2011-08-08T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension("os-quota-sets", QuotaSetsController(),
                                             member_actions={"defaults": "GET"})]
