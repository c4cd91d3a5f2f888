"""The limits resource: ``GET /limits``, a project's absolute limits (and rate limits).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/limits.py (``LimitsController`` at 87, a core resource
routed by ``APIRouter._setup_routes``, nova/api/openstack/compute/__init__.py:87-90); the
"used" keys come from the os-used-limits extension (contrib/used_limits.py)
Now: nova/api/openstack/compute/limits.py
"""

from __future__ import annotations

import webob.exc

from minova import quota
from minova.api.openstack import wsgi
from minova.api.openstack.compute.views import limits as limits_views


class LimitsController(wsgi.Controller):
    """Controller for accessing limits in the OpenStack API.

    Mirrors: nova.api.openstack.compute.limits.LimitsController
    (nova/api/openstack/compute/limits.py:87, 2014.2)
    NOVA-DIFF: Juno's v2 pipeline had the ``ratelimit`` filter (RateLimitingMiddleware,
    nova/api/openstack/compute/limits.py:238), which put its in-memory limits into
    ``environ['nova.limits']``; minova leaves that filter out (as Juno's v2.1 and nova
    master do), so ``rate`` is always ``[]``.
    """

    _view_builder_class = limits_views.ViewBuilder

    def index(self, req):
        """Return all global and rate limit information."""
        context = req.environ["nova.context"]
        # Juno read ?tenant_id= too; every minova project has the same defaults.
        project_id = req.params.get("tenant_id", context.project_id)
        quotas = quota.get_project_quotas(context, project_id, usages=False)
        abs_limits = {k: v["limit"] for k, v in quotas.items()}
        rate_limits = req.environ.get("nova.limits", [])
        return self._view_builder.build(rate_limits, abs_limits)

    # The rest of the REST verbs mapper.resource routes here: 501, as in Juno.
    def create(self, req, body):
        raise webob.exc.HTTPNotImplemented()

    def delete(self, req, id):
        raise webob.exc.HTTPNotImplemented()

    def show(self, req, id):
        raise webob.exc.HTTPNotImplemented()

    def update(self, req, id, body):
        raise webob.exc.HTTPNotImplemented()


def create_resource():
    return wsgi.Resource(LimitsController())
