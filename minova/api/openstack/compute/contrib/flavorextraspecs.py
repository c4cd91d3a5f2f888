"""The Flavor Extra Specs extension: ``GET /flavors/{flavor_id}/os-extra_specs`` (read only).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/flavorextraspecs.py
(``FlavorExtraSpecsController`` at 48, ``Flavorextraspecs`` at 166)
Now: nova/api/openstack/compute/flavors_extraspecs.py
"""

from __future__ import annotations

import webob.exc

from minova import exception
from minova.api.openstack import extensions, wsgi
from minova.compute import flavors


class FlavorExtraSpecsController(wsgi.Controller):
    """A flavor's extra specs: minova's flavors have none, so always ``{}``.

    Mirrors: nova.api.openstack.compute.contrib.flavorextraspecs.FlavorExtraSpecsController
    (nova/api/openstack/compute/contrib/flavorextraspecs.py:48, 2014.2)
    Simplified: read only (Juno's admins could create, update and delete specs).
    """

    def _get_extra_specs(self, context, flavor_id) -> dict:
        try:
            flavor = flavors.get_flavor_by_flavor_id(flavor_id, ctxt=context)
        except exception.FlavorNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return dict(flavor.get("extra_specs") or {})

    def index(self, req, flavor_id):
        return {"extra_specs": self._get_extra_specs(req.environ["nova.context"], flavor_id)}

    def show(self, req, flavor_id, id):
        specs = self._get_extra_specs(req.environ["nova.context"], flavor_id)
        if id not in specs:
            raise webob.exc.HTTPNotFound(
                explanation="Flavor %s has no extra specs with key %s." % (flavor_id, id))
        return {id: specs[id]}


class Flavorextraspecs(extensions.ExtensionDescriptor):
    """Instance type (flavor) extra specs."""

    name = "FlavorExtraSpecs"
    alias = "os-flavor-extra-specs"
    namespace = "http://docs.openstack.org/compute/ext/flavor_extra_specs/api/v1.1"
    updated = "2011-06-23T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension(
            "os-extra_specs", FlavorExtraSpecsController(),
            parent=dict(member_name="flavor", collection_name="flavors"))]
