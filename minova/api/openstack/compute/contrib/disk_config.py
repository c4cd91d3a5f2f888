"""The Disk Config extension: ``OS-DCF:diskConfig`` on servers (show, detail, create, update).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/disk_config.py (``Disk_config`` at 171;
``ServerDiskConfigController`` at 102)
Now: the key is in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi

ALIAS = "OS-DCF"
API_DISK_CONFIG = "%s:diskConfig" % ALIAS


class ServerDiskConfigController(wsgi.Controller):
    """Adds ``OS-DCF:diskConfig`` to what servers ``show``/``detail``/``create``/``update`` return.

    Mirrors: nova.api.openstack.compute.contrib.disk_config.ServerDiskConfigController
    (nova/api/openstack/compute/contrib/disk_config.py:102, 2014.2)
    Simplified: always ``MANUAL`` (minova keeps no ``auto_disk_config``); Juno's
    create and update were generators that also read the key from the request.
    """

    def _add_disk_config(self, servers):
        for server in servers:
            server[API_DISK_CONFIG] = "MANUAL"

    @wsgi.extends
    def show(self, req, resp_obj, id):
        self._add_disk_config([resp_obj.obj["server"]])

    @wsgi.extends
    def detail(self, req, resp_obj):
        self._add_disk_config(resp_obj.obj["servers"])

    @wsgi.extends
    def create(self, req, resp_obj, body):
        self._add_disk_config([resp_obj.obj["server"]])

    @wsgi.extends
    def update(self, req, resp_obj, id, body):
        self._add_disk_config([resp_obj.obj["server"]])


class Disk_config(extensions.ExtensionDescriptor):
    """Disk Management Extension."""

    name = "DiskConfig"
    alias = ALIAS
    namespace = "http://docs.openstack.org/compute/ext/disk_config/api/v1.1"
    updated = "2011-09-27T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers",
                                               ServerDiskConfigController())]
