"""The flavors controller: ``GET /flavors``, ``/flavors/detail``, ``/flavors/{id}``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/flavors.py
Now: nova/api/openstack/compute/flavors.py
"""

from __future__ import annotations

import webob.exc as exc

from minova import exception
from minova.api.openstack import common, wsgi
from minova.api.openstack.compute.views import flavors as views_flavors
from minova.compute import flavors


class Controller(wsgi.Controller):
    """Flavor controller for the OpenStack API.

    Mirrors: nova.api.openstack.compute.flavors.Controller
    (nova/api/openstack/compute/flavors.py, 2014.2)
    Simplified: filters ``minRam``/``minDisk`` only; no private flavors.
    """

    _view_builder_class = views_flavors.ViewBuilder

    def index(self, req):
        """Return all flavors in brief."""
        return self._view_builder.index(req, self._get_flavors(req))

    def detail(self, req):
        """Return all flavors in detail."""
        return self._view_builder.detail(req, self._get_flavors(req))

    def show(self, req, id):
        """Return data about the given flavor id."""
        try:
            flavor = flavors.get_flavor_by_flavor_id(id, ctxt=req.environ.get("nova.context"))
        except exception.FlavorNotFound as e:
            raise exc.HTTPNotFound(explanation=e.format_message())
        return self._view_builder.show(req, flavor)

    def _get_flavors(self, req) -> list[dict]:
        filters = {}
        for param, key in (("minRam", "min_memory_mb"), ("minDisk", "min_root_gb")):
            if param in req.GET:
                try:
                    filters[key] = int(req.GET[param])
                except ValueError:
                    raise exc.HTTPBadRequest(explanation="Invalid %s filter [%s]"
                                             % (param, req.GET[param]))
        limit, marker = common.get_limit_and_marker(req)
        try:
            return flavors.get_all_flavors_sorted_list(req.environ.get("nova.context"),
                                                       filters=filters, limit=limit,
                                                       marker=marker)
        except exception.MarkerNotFound:
            raise exc.HTTPBadRequest(explanation="marker [%s] not found" % marker)


def create_resource():
    return wsgi.Resource(Controller())
