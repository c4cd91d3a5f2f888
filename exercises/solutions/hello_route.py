"""Exercise 4.2: a new route and controller, ``GET /v2.1/os-hello``, through a router subclass.

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/compute/__init__.py:50-128 (``APIRouter._setup_routes``: one
``create_resource()`` and one ``mapper.resource(...)`` per collection).  Check it with
``./course check 4.2`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova.api.openstack import compute, wsgi


class HelloController(wsgi.Controller):
    """Answers ``GET /v2.1/os-hello`` with who is asking."""

    def index(self, req):
        """``{"hello": {"user": <user id>, "project": <project id>}}`` from the request context."""
        context = req.environ["nova.context"]
        return {"hello": {"user": context.user_id, "project": context.project_id}}


def create_resource():
    """The ``Resource`` around a ``HelloController`` (as each Juno controller module has)."""
    return wsgi.Resource(HelloController())


class APIRouter(compute.APIRouter):
    """minova's compute router plus the ``os-hello`` collection."""

    def _setup_routes(self, mapper, ext_mgr, init_only):
        super()._setup_routes(mapper, ext_mgr, init_only)
        self.resources["os-hello"] = create_resource()
        mapper.resource("hello", "os-hello", controller=self.resources["os-hello"])
