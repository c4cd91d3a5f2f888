"""The Quotas extension: ``GET /os-quota-sets/{project_id}`` and ``.../defaults`` (read only).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/quotas.py (``QuotaSetsController`` at 60,
``Quotas`` at 240); the defaults are nova/quota.py's quota_* options (35-80),
kept in minova/quota.py
Now: nova/api/openstack/compute/quota_sets.py
"""

from __future__ import annotations

from minova import quota
from minova.api.openstack import extensions, wsgi

DEFAULT_QUOTAS = quota.DEFAULT_QUOTAS  # Juno's quota_* options (minova/quota.py)


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
