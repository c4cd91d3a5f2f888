"""The Server Usage extension: ``OS-SRV-USG:launched_at`` and ``terminated_at``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/server_usage.py (``Server_usage`` at 66)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ServerUsageController(wsgi.Controller):
    """Runs after servers ``show``/``detail`` and adds its keys to each server.

    Mirrors: nova.api.openstack.compute.contrib.server_usage.ServerUsageController
    (nova/api/openstack/compute/contrib/server_usage.py:25, 2014.2)
    Simplified: no policy check (Juno's soft authorizer allowed everyone by default).
    """

    def _extend_server(self, server, instance):
        for key in ("launched_at", "terminated_at"):
            value = getattr(instance, key)
            # Juno: the naive datetime (tzinfo dropped), JSON-encoded as ISO 8601.
            server["%s:%s" % (Server_usage.alias, key)] = (
                value.replace(tzinfo=None).isoformat() if value else None)

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Server_usage(extensions.ExtensionDescriptor):
    """Adds launched_at and terminated_at on Servers."""

    name = "ServerUsage"
    alias = "OS-SRV-USG"
    namespace = "http://docs.openstack.org/compute/ext/server_usage/api/v1.1"
    updated = "2013-04-29T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ServerUsageController())]
