"""The images controller: the compute API's read-only view of the image service.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/images.py
Now: nova/api/openstack/compute/images.py (proxy API, deprecated since microversion 2.36)
"""

from __future__ import annotations

import webob.exc as exc

from minova import exception, image
from minova.api.openstack import common, wsgi
from minova.api.openstack.compute.views import images as views_images

# Query parameters the API accepts as image filters (Juno: SUPPORTED_FILTERS).
SUPPORTED_FILTERS = {"name": "name", "status": "status"}


class Controller(wsgi.Controller):
    """Base controller for retrieving/displaying images.

    Mirrors: nova.api.openstack.compute.images.Controller
    (nova/api/openstack/compute/images.py, 2014.2)
    Simplified: only snapshots can be deleted (the four fixed images: 403).
    """

    _view_builder_class = views_images.ViewBuilder

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._image_api = image.API()

    def show(self, req, id):
        """Return detailed information about a specific image."""
        try:
            image_dict = self._image_api.get(req.environ.get("nova.context"), id)
        except exception.ImageNotFound:
            raise exc.HTTPNotFound(explanation="Image not found.")
        return self._view_builder.show(req, image_dict)

    def delete(self, req, id):
        """Delete an image, if allowed (Juno: images.py:141-158)."""
        context = req.environ["nova.context"]
        try:
            self._image_api.delete(context, id)
        except exception.ImageNotFound:
            raise exc.HTTPNotFound(explanation="Image not found.")
        except exception.ImageNotAuthorized:
            raise exc.HTTPForbidden(explanation="You are not allowed to delete the image.")
        return exc.HTTPNoContent()

    def index(self, req):
        """Return an index listing of images available to the request."""
        return self._view_builder.index(req, self._get_images(req))

    def detail(self, req):
        """Return a detailed index listing of images available to the request."""
        return self._view_builder.detail(req, self._get_images(req))

    def _get_images(self, req) -> list[dict]:
        filters = {SUPPORTED_FILTERS[k]: v for k, v in req.GET.items() if k in SUPPORTED_FILTERS}
        if "status" in filters:
            filters["status"] = filters["status"].lower()
        limit, marker = common.get_limit_and_marker(req)
        try:
            return self._image_api.get_all(req.environ.get("nova.context"), filters=filters,
                                           limit=limit, marker=marker)
        except exception.MarkerNotFound:
            raise exc.HTTPBadRequest(explanation="marker [%s] not found" % marker)


def create_resource():
    return wsgi.Resource(Controller())
