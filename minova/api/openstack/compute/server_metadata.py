"""The server metadata API: ``/servers/{server_id}/metadata`` and ``.../metadata/{key}``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/server_metadata.py (``Controller`` at 25-195, routed by
``APIRouter._setup_routes``, nova/api/openstack/compute/__init__.py:114-128)
Now: nova/api/openstack/compute/server_metadata.py
"""

from __future__ import annotations

import webob
import webob.exc as exc

from minova import compute, exception
from minova.api.openstack import common, wsgi


class Controller(wsgi.Controller):
    """The server metadata API controller for the OpenStack API.

    Mirrors: nova.api.openstack.compute.server_metadata.Controller
    (nova/api/openstack/compute/server_metadata.py:25, 2014.2)
    """

    def __init__(self):
        super().__init__()
        self.compute_api = compute.API()

    def _get_metadata(self, context, server_id) -> dict:
        try:
            server = self.compute_api.get(context, server_id, want_objects=True)
        except exception.InstanceNotFound:
            raise exc.HTTPNotFound(explanation="Server does not exist")
        return self.compute_api.get_instance_metadata(context, server)

    def index(self, req, server_id):
        """Returns the list of metadata for a given instance."""
        return {"metadata": self._get_metadata(req.environ["nova.context"], server_id)}

    @staticmethod
    def _body(body, key: str, what: str) -> dict:
        try:
            value = body[key]
        except (KeyError, TypeError):
            raise exc.HTTPBadRequest(explanation="Malformed request body")
        if not isinstance(value, dict):
            raise exc.HTTPBadRequest(
                explanation="Malformed request body. %s must be object" % what)
        return value

    def create(self, req, server_id, body):
        """POST: merge these items into the metadata; answers all of it."""
        metadata = self._body(body, "metadata", "metadata")
        return {"metadata": self._update_instance_metadata(
            req.environ["nova.context"], server_id, metadata, delete=False)}

    def update(self, req, server_id, id, body):
        """PUT .../metadata/{key} with ``{"meta": {key: value}}``."""
        meta_item = self._body(body, "meta", "meta item")
        if id not in meta_item:
            raise exc.HTTPBadRequest(explanation="Request body and URI mismatch")
        if len(meta_item) > 1:
            raise exc.HTTPBadRequest(explanation="Request body contains too many items")
        self._update_instance_metadata(req.environ["nova.context"], server_id, meta_item,
                                       delete=False)
        return {"meta": meta_item}

    def update_all(self, req, server_id, body):
        """PUT .../metadata: replace all of it."""
        metadata = self._body(body, "metadata", "metadata")
        return {"metadata": self._update_instance_metadata(
            req.environ["nova.context"], server_id, metadata, delete=True)}

    def _update_instance_metadata(self, context, server_id, metadata, delete=False) -> dict:
        try:
            server = self.compute_api.get(context, server_id, want_objects=True)
            return self.compute_api.update_instance_metadata(context, server, metadata, delete)
        except exception.InstanceNotFound:
            raise exc.HTTPNotFound(explanation="Server does not exist")
        except exception.InvalidMetadata as error:
            raise exc.HTTPBadRequest(explanation=error.format_message())
        except exception.InvalidMetadataSize as error:
            raise exc.HTTPRequestEntityTooLarge(explanation=error.format_message())
        except exception.MetadataLimitExceeded as error:
            raise exc.HTTPForbidden(explanation=error.format_message())
        except exception.InstanceInvalidState as state_error:
            common.raise_http_conflict_for_instance_invalid_state(
                state_error, "update metadata", server_id)

    def show(self, req, server_id, id):
        """Return a single metadata item."""
        data = self._get_metadata(req.environ["nova.context"], server_id)
        if id not in data:
            raise exc.HTTPNotFound(explanation="Metadata item was not found")
        return {"meta": {id: data[id]}}

    @wsgi.response(204)
    def delete(self, req, server_id, id):
        """Deletes an existing metadata item."""
        context = req.environ["nova.context"]
        metadata = self._get_metadata(context, server_id)
        if id not in metadata:
            raise exc.HTTPNotFound(explanation="Metadata item was not found")
        server = self.compute_api.get(context, server_id, want_objects=True)
        self.compute_api.delete_instance_metadata(context, server, id)
        return webob.Response(status_int=204)


def create_resource():
    return wsgi.Resource(Controller())
