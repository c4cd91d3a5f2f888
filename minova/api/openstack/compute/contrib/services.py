"""The Services extension: ``GET /os-services``, the compute and conductor services and their state.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/services.py (``ServiceController`` at 71,
``Services`` at 210)
Now: nova/api/openstack/compute/services.py
"""

from __future__ import annotations

import datetime

import webob.exc
from oslo_config import cfg

from minova.api.openstack import extensions, wsgi
from minova.db import api as db

CONF = cfg.CONF
CONF.import_opt("service_down_time", "minova.conductor.manager")
CONF.import_opt("compute_topic", "minova.compute.rpcapi")
INTERNAL_ZONE = "internal"  # Juno: internal_service_availability_zone
DEFAULT_ZONE = "nova"  # Juno: default_availability_zone


def service_is_up(service) -> bool:
    """Juno's DB servicegroup driver: a report within ``service_down_time`` seconds."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    last = service.updated_at or service.created_at
    return now - last <= datetime.timedelta(seconds=CONF.service_down_time)


def zone_of(service) -> str:
    """Juno's set_availability_zones: compute hosts in the default zone, the rest 'internal'."""
    return DEFAULT_ZONE if service.topic == CONF.compute_topic else INTERNAL_ZONE


class ServiceController(wsgi.Controller):
    """``index``: one entry per service row (admins only, Juno's default policy).

    Mirrors: nova.api.openstack.compute.contrib.services.ServiceController
    (nova/api/openstack/compute/contrib/services.py:71, 2014.2)
    Simplified: read only (no enable/disable, no delete).
    """

    def index(self, req):
        context = req.environ["nova.context"]
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(explanation="Policy doesn't allow os-services.")
        services = db.service_get_all(context)
        for key in ("host", "binary"):
            if req.GET.get(key):
                services = [s for s in services if getattr(s, key) == req.GET[key]]
        return {"services": [{
            "binary": s.binary, "host": s.host, "zone": zone_of(s),
            "status": "disabled" if s.disabled else "enabled",
            "state": "up" if service_is_up(s) else "down",
            "updated_at": (s.updated_at or s.created_at).isoformat()} for s in services]}


class Services(extensions.ExtensionDescriptor):
    """Services support."""

    name = "Services"
    alias = "os-services"
    namespace = "http://docs.openstack.org/compute/ext/services/api/v2"
    updated = "2012-10-28T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension("os-services", ServiceController())]
