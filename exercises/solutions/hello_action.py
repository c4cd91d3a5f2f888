"""Exercise 5.2 (reference solution): a new server action, ``{"os-hello": {}}``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: ``@wsgi.action`` methods such as ``_action_reboot``
(nova/api/openstack/compute/servers.py:1132-1163), collected by ``ControllerMetaclass``
(nova/api/openstack/wsgi.py:1104-1133).
"""

from __future__ import annotations

import webob.exc

from minova import exception
from minova.api.openstack import wsgi
from minova.api.openstack.compute import servers


class HelloController(servers.Controller):
    """The servers controller plus one action: ``{"os-hello": {}}`` → 202 and a greeting."""

    @wsgi.response(202)
    @wsgi.action("os-hello")
    def _action_hello(self, req, id, body):
        context = req.environ["nova.context"]
        try:
            instance = self.compute_api.get(context, id, want_objects=True)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation="Instance could not be found")
        return {"hello": {"id": instance.uuid, "name": instance.display_name}}


def create_resource(ext_mgr=None):
    """The ``wsgi.Resource`` the router mounts at ``/servers``, with a ``HelloController`` inside."""
    return wsgi.Resource(HelloController(ext_mgr))
