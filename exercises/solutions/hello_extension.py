"""Exercise 5.4 (reference solution): a controller extension that greets every server shown.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno grew its API this way: a module in contrib/ holds an ``ExtensionDescriptor``
(nova/api/openstack/extensions.py:38) whose ``get_controller_extensions`` hands the
router a ``ControllerExtension`` (extensions.py:282); its controller's ``@wsgi.extends``
methods (nova/api/openstack/wsgi.py:1075) run after the servers controller's own.
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi

ALIAS = "OS-EXT-HELLO"


class HelloServerController(wsgi.Controller):
    """Runs after servers ``show`` and ``detail``; adds one key to each server."""

    @staticmethod
    def _greet(server: dict) -> None:
        server["%s:greeting" % ALIAS] = "hello, %s" % server["name"]

    @wsgi.extends
    def show(self, req, resp_obj, id):
        # resp_obj is the ResponseObject of the core method; its .obj is the dict
        # the servers controller returned, still to be serialized.
        self._greet(resp_obj.obj["server"])

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._greet(server)


class Hello(extensions.ExtensionDescriptor):
    """Greets every server."""

    name = "Hello"
    alias = ALIAS
    namespace = "http://docs.openstack.org/compute/ext/hello/api/v1.1"
    updated = "2014-10-16T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", HelloServerController())]


def load_extensions(ext_mgr) -> None:
    """What ``osapi_compute_extension`` names: registers ``Hello`` with ``ext_mgr``."""
    Hello(ext_mgr)  # ExtensionDescriptor.__init__ calls ext_mgr.register(self)
