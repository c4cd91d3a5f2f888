"""The Keypairs extension: ``/os-keypairs`` (create or import, list, show, delete) and ``key_name``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/keypairs.py (``Keypairs`` at 191)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

import webob
import webob.exc

from minova import exception
from minova.api.openstack import extensions, wsgi
from minova.compute import api as compute_api


class KeypairController(wsgi.Controller):
    """Keypair API controller for the OpenStack API: the caller's own key pairs.

    Mirrors: nova.api.openstack.compute.contrib.keypairs.KeypairController
    (nova/api/openstack/compute/contrib/keypairs.py:49, 2014.2)
    Simplified: no policy checks or quota.
    """

    def __init__(self):
        super().__init__()
        self.api = compute_api.KeypairAPI()

    @staticmethod
    def _filter_keypair(keypair, **attrs) -> dict:
        clean = {"name": keypair.name, "public_key": keypair.public_key,
                 "fingerprint": keypair.fingerprint}
        for attr in attrs:
            clean[attr] = getattr(keypair, attr)
        return clean

    def create(self, req, body):
        """Import ``public_key``, or generate a key pair and return its ``private_key`` once."""
        context = req.environ["nova.context"]
        try:
            params = body["keypair"]
            name = params["name"]
        except (KeyError, TypeError):
            raise webob.exc.HTTPBadRequest(explanation="Invalid request body")
        try:
            if "public_key" in params:
                keypair = self.api.import_key_pair(context, context.user_id, name,
                                                   params["public_key"])
                return {"keypair": self._filter_keypair(keypair, user_id=True)}
            keypair, private_key = self.api.create_key_pair(context, context.user_id, name)
            return {"keypair": dict(self._filter_keypair(keypair, user_id=True),
                                    private_key=private_key)}
        except exception.InvalidKeypair as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        except exception.KeyPairExists as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())

    def delete(self, req, id):
        context = req.environ["nova.context"]
        try:
            self.api.delete_key_pair(context, context.user_id, id)
        except exception.KeypairNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return webob.Response(status_int=202)

    def show(self, req, id):
        context = req.environ["nova.context"]
        try:
            keypair = self.api.get_key_pair(context, context.user_id, id)
        except exception.KeypairNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return {"keypair": dict(self._filter_keypair(keypair, user_id=True), id=keypair.id,
                                deleted=False, deleted_at=None, updated_at=None,
                                created_at=keypair.created_at.isoformat())}

    def index(self, req):
        context = req.environ["nova.context"]
        return {"keypairs": [{"keypair": self._filter_keypair(kp)}
                             for kp in self.api.get_key_pairs(context, context.user_id)]}


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

    def get_resources(self):
        return [extensions.ResourceExtension("os-keypairs", KeypairController())]

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", KeypairsServerController())]
