"""The Extended Status extension: ``OS-EXT-STS:vm_state``, ``task_state``, ``power_state``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_status.py (``Extended_status`` at 61)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedStatusController(wsgi.Controller):
    """Runs after servers ``show``/``detail``: adds the three state keys.

    Mirrors: nova.api.openstack.compute.contrib.extended_status.ExtendedStatusController
    (nova/api/openstack/compute/contrib/extended_status.py:25, 2014.2)
    Simplified: no policy check (Juno's soft authorizer allowed everyone by default).
    """

    def _extend_server(self, server, instance):
        for state in ("task_state", "vm_state", "power_state"):
            server["%s:%s" % (Extended_status.alias, state)] = getattr(instance, state)

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        # The servers controller cached the row it showed: no second query.
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_status(extensions.ExtensionDescriptor):
    """Extended Status support."""

    name = "ExtendedStatus"
    alias = "OS-EXT-STS"
    namespace = "http://docs.openstack.org/compute/ext/extended_status/api/v1.1"
    updated = "2011-11-03T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedStatusController())]
