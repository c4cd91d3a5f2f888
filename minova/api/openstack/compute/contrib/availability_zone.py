"""The Availability Zone extension: ``GET /os-availability-zone`` and ``/detail``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/availability_zone.py (``AvailabilityZoneController``
at 70, ``Availability_zone`` at 159)
Now: nova/api/openstack/compute/availability_zone.py
"""

from __future__ import annotations

import webob.exc

from minova.api.openstack import extensions, wsgi
from minova.api.openstack.compute.contrib import services as services_ext
from minova.db import api as db


class AvailabilityZoneController(wsgi.Controller):
    """The zones of the enabled services; ``detail`` (admins) adds each host's services.

    Mirrors: nova.api.openstack.compute.contrib.availability_zone.AvailabilityZoneController
    (nova/api/openstack/compute/contrib/availability_zone.py:70, 2014.2)
    Simplified: no host aggregates: compute hosts are in zone 'nova', the rest in 'internal'.
    """

    def _zones(self, context):
        services = db.service_get_all(context, disabled=False)
        return services, sorted({services_ext.zone_of(s) for s in services})

    def index(self, req):
        """Zones a server can be created in (the internal zone is hidden)."""
        _services, zones = self._zones(req.environ["nova.context"])
        return {"availabilityZoneInfo": [
            {"zoneName": zone, "zoneState": {"available": True}, "hosts": None}
            for zone in zones if zone != services_ext.INTERNAL_ZONE]}

    def detail(self, req):
        context = req.environ["nova.context"]
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation="Policy doesn't allow availability_zone:detail.")
        services, zones = self._zones(context)
        result = []
        for zone in zones:
            hosts = {}
            for svc in services:
                if services_ext.zone_of(svc) == zone:
                    hosts.setdefault(svc.host, {})[svc.binary] = {
                        "available": services_ext.service_is_up(svc),
                        "active": not svc.disabled,
                        "updated_at": (svc.updated_at or svc.created_at).isoformat()}
            result.append({"zoneName": zone, "zoneState": {"available": True}, "hosts": hosts})
        return {"availabilityZoneInfo": result}


class Availability_zone(extensions.ExtensionDescriptor):
    """1. Add availability_zone to the Create Server v1.1 API.

    2. Add availability zones describing.
    """

    name = "AvailabilityZone"
    alias = "os-availability-zone"
    namespace = "http://docs.openstack.org/compute/ext/availabilityzone/api/v1.1"
    updated = "2012-12-21T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension("os-availability-zone",
                                             AvailabilityZoneController(),
                                             collection_actions={"detail": "GET"})]
