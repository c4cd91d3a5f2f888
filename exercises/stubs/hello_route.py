"""Exercise 4.2: a new route and controller, ``GET /v2.1/os-hello``, through a router subclass.

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/compute/__init__.py:50-128 (``APIRouter._setup_routes``: one
``create_resource()`` and one ``mapper.resource(...)`` per collection).  Check it with
``./course check 4.2`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova.api.openstack import compute, wsgi


def _todo(what):
    return NotImplementedError(
        "Exercise 4.2: write %s in exercises/workspace/hello_route.py"
        " -- see notebooks/04_router.ipynb, section 'Exercise 4.2'" % what)


class HelloController(wsgi.Controller):
    """Answers ``GET /v2.1/os-hello`` with who is asking."""

    def index(self, req):
        """``{"hello": {"user": <user id>, "project": <project id>}}`` from the request context.

        NoAuthMiddleware has put a ``RequestContext`` in ``req.environ['nova.context']``.
        """
        raise _todo("HelloController.index")


def create_resource():
    """The ``Resource`` around a ``HelloController`` (as each Juno controller module has)."""
    raise _todo("create_resource()")


class APIRouter(compute.APIRouter):
    """minova's compute router plus the ``os-hello`` collection.

    ``_setup_routes`` keeps every route of the parent, then keeps the new
    ``Resource`` in ``self.resources['os-hello']`` and registers the
    collection ``os-hello`` (member name ``hello``) on the mapper with it.
    """

    def _setup_routes(self, mapper, ext_mgr, init_only):
        raise _todo("APIRouter._setup_routes")
