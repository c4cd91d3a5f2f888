"""The Keypairs extension: ``key_name`` on each server (its /os-keypairs resource: not yet).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/keypairs.py (``Keypairs`` at 191)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class KeypairsServerController(wsgi.Controller):
    """Runs after servers ``show``/``detail`` and adds its keys to each server.

    Mirrors: nova.api.openstack.compute.contrib.keypairs.Controller
    (nova/api/openstack/compute/contrib/keypairs.py:161, 2014.2)
    Simplified: no policy check (Juno's soft authorizer allowed everyone by default).
    """

    def _extend_server(self, server, instance):
        server["key_name"] = instance.key_name

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Keypairs(extensions.ExtensionDescriptor):
    """Keypair Support."""

    name = "Keypairs"
    alias = "os-keypairs"
    namespace = "http://docs.openstack.org/compute/ext/keypairs/api/v1.1"
    updated = "2011-08-08T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", KeypairsServerController())]
