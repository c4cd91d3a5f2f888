"""The Used Limits extension: ``totalInstancesUsed``, ``totalCoresUsed``, ... in ``GET /limits``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/used_limits.py (``UsedLimitsController`` at 38,
``Used_limits`` at 88)
Now: the used keys are built by nova/api/openstack/compute/views/limits.py
"""

from __future__ import annotations

from minova import quota
from minova.api.openstack import extensions, wsgi


class UsedLimitsController(wsgi.Controller):
    """Runs after limits ``index`` and adds what the project uses of each quota.

    Mirrors: nova.api.openstack.compute.contrib.used_limits.UsedLimitsController
    (nova/api/openstack/compute/contrib/used_limits.py:38, 2014.2)
    Simplified: no os-used-limits-for-admin (``?tenant_id=`` is not honoured here, as in
    Juno without that extension) and no server-group quotas; nothing is ever reserved.
    """

    quota_map = {
        "totalRAMUsed": "ram",
        "totalCoresUsed": "cores",
        "totalInstancesUsed": "instances",
        "totalFloatingIpsUsed": "floating_ips",
        "totalSecurityGroupsUsed": "security_groups",
    }

    @wsgi.extends
    def index(self, req, resp_obj):
        context = req.environ["nova.context"]
        quotas = quota.get_project_quotas(context, context.project_id, usages=True)
        resp_obj.obj["limits"]["absolute"].update(
            {name: quotas[key]["in_use"] + quotas[key]["reserved"]
             for name, key in self.quota_map.items() if key in quotas})


class Used_limits(extensions.ExtensionDescriptor):
    """Provide data on limited resources that are being used."""

    name = "UsedLimits"
    alias = "os-used-limits"
    namespace = "http://docs.openstack.org/compute/ext/used_limits/api/v1.1"
    updated = "2012-07-13T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "limits", UsedLimitsController())]
