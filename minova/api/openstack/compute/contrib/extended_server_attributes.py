"""The Extended Server Attributes extension: ``OS-EXT-SRV-ATTR:host`` and friends (admins).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_server_attributes.py (``Extended_server_attributes`` at 65)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedServerAttributesController(wsgi.Controller):
    """Runs after servers ``show``/``detail`` and adds its keys to each server.

    Mirrors: nova.api.openstack.compute.contrib.extended_server_attributes.ExtendedServerAttributesController
    (nova/api/openstack/compute/contrib/extended_server_attributes.py:25, 2014.2)
    Simplified: the policy check is ``context.is_admin`` (Juno's default
    policy for compute_extension:extended_server_attributes: rule:admin_api).
    """

    def _extend_server(self, server, instance):
        alias = Extended_server_attributes.alias
        server["%s:hypervisor_hostname" % alias] = instance.node
        server["%s:host" % alias] = instance.host
        server["%s:instance_name" % alias] = "instance-%08x" % instance.id

    @wsgi.extends
    def show(self, req, resp_obj, id):
        context = req.environ["nova.context"]
        if not context.is_admin:  # Juno's policy rule:admin_api
            return
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        context = req.environ["nova.context"]
        if not context.is_admin:  # Juno's policy rule:admin_api
            return
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_server_attributes(extensions.ExtensionDescriptor):
    """Extended Server Attributes support."""

    name = "ExtendedServerAttributes"
    alias = "OS-EXT-SRV-ATTR"
    namespace = "http://docs.openstack.org/compute/ext/extended_status/api/v1.1"
    updated = "2011-11-03T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedServerAttributesController())]
