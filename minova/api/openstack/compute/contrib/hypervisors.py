"""The Hypervisors extension: ``GET /os-hypervisors``, ``/os-hypervisors/detail``, ``/{id}`` (admins).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/hypervisors.py (``HypervisorsController`` at 130,
``Hypervisors`` at 272)
Now: nova/api/openstack/compute/hypervisors.py
"""

from __future__ import annotations

import webob.exc

from minova import exception
from minova.api.openstack import extensions, wsgi
from minova.api.openstack.compute.contrib import services as services_ext
from minova.compute import api as compute_api


class HypervisorsController(wsgi.Controller):
    """The compute nodes: their totals, what is used, and whether their service is up.

    Mirrors: nova.api.openstack.compute.contrib.hypervisors.HypervisorsController
    (nova/api/openstack/compute/contrib/hypervisors.py:130, 2014.2)
    Simplified: index, detail and show (no uptime, search, servers or statistics).
    """

    DETAIL_FIELDS = ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
                     "local_gb_used", "hypervisor_type", "hypervisor_version", "free_ram_mb",
                     "free_disk_gb", "current_workload", "running_vms", "cpu_info",
                     "disk_available_least")

    def __init__(self, ext_mgr):
        super().__init__()
        self.host_api = compute_api.HostAPI()
        self.ext_mgr = ext_mgr

    def _view_hypervisor(self, hypervisor, detail: bool) -> dict:
        hyp_dict = {"id": hypervisor["id"],
                    "hypervisor_hostname": hypervisor["hypervisor_hostname"]}
        service = hypervisor["service"]
        status_loaded = self.ext_mgr.is_loaded("os-hypervisor-status")
        if status_loaded:
            hyp_dict["state"] = "up" if services_ext.service_is_up(service) else "down"
            hyp_dict["status"] = "disabled" if service.disabled else "enabled"
        if detail:
            fields = self.DETAIL_FIELDS
            if self.ext_mgr.is_loaded("os-extended-hypervisors"):
                fields += ("host_ip",)
            for field in fields:
                hyp_dict[field] = hypervisor[field]
            hyp_dict["service"] = {"id": hypervisor["service_id"], "host": service.host}
            if status_loaded:
                # NOVA-DIFF: minova's services have no disabled_reason column.
                hyp_dict["service"]["disabled_reason"] = None
        return hyp_dict

    @staticmethod
    def _authorize(context) -> None:
        """Juno's policy: ``compute_extension:hypervisors`` is ``rule:admin_api``."""
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(explanation="Policy doesn't allow hypervisors.")

    def index(self, req):
        context = req.environ["nova.context"]
        self._authorize(context)
        return {"hypervisors": [self._view_hypervisor(hyp, False)
                                for hyp in self.host_api.compute_node_get_all(context)]}

    def detail(self, req):
        context = req.environ["nova.context"]
        self._authorize(context)
        return {"hypervisors": [self._view_hypervisor(hyp, True)
                                for hyp in self.host_api.compute_node_get_all(context)]}

    def show(self, req, id):
        context = req.environ["nova.context"]
        self._authorize(context)
        try:
            hyp = self.host_api.compute_node_get(context, id)
        except (ValueError, exception.ComputeHostNotFound):
            raise webob.exc.HTTPNotFound(
                explanation="Hypervisor with ID '%s' could not be found." % id)
        return {"hypervisor": self._view_hypervisor(hyp, True)}


class Hypervisors(extensions.ExtensionDescriptor):
    """Admin-only hypervisor administration."""

    name = "Hypervisors"
    alias = "os-hypervisors"
    namespace = "http://docs.openstack.org/compute/ext/hypervisors/api/v1.1"
    updated = "2012-06-21T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension("os-hypervisors",
                                             HypervisorsController(self.ext_mgr),
                                             collection_actions={"detail": "GET"})]
