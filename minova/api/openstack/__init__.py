"""The v2 API's middleware and router base: ``FaultWrapper``, the mappers, ``APIRouter``.

Layer 3 (``FaultWrapper``): notebooks/03_paste_urlmap.ipynb
Layer 4 (mappers, ``APIRouter``): notebooks/04_router.ipynb

Juno: nova/api/openstack/__init__.py
Now: nova/api/openstack/__init__.py (FaultWrapper 49-96, mappers 146-214)
"""

from __future__ import annotations

import logging

import routes
import webob.dec
import webob.exc

from minova import wsgi as base_wsgi
from minova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class FaultWrapper(base_wsgi.Middleware):
    """Turn any exception escaping the layers below into nova's JSON fault.

    A nova exception keeps its ``code`` (404 stays 404); anything else is a
    500 ``computeFault`` whose message hides the internals unless the
    exception is marked ``safe``.

    Mirrors: nova.api.openstack.FaultWrapper (nova/api/openstack/__init__.py:78, 2014.2)
    Simplified: no ``api.fault`` notification.
    """

    _status_to_type: dict[int, type] = {}

    @staticmethod
    def status_to_type(status: int) -> type:
        if not FaultWrapper._status_to_type:
            for clazz in _walk_class_hierarchy(webob.exc.HTTPError):
                FaultWrapper._status_to_type[clazz.code] = clazz
        return FaultWrapper._status_to_type.get(status, webob.exc.HTTPInternalServerError)

    def _error(self, inner: Exception, req) -> wsgi.Fault:
        LOG.exception("Caught error: %s", inner)
        safe = getattr(inner, "safe", False)
        headers = getattr(inner, "headers", None)
        status = getattr(inner, "code", 500)
        if not isinstance(status, int) or status < 400:
            status = 500
        outer = self.status_to_type(status)()
        if headers:
            outer.headers.update(headers)
        # Unsafe messages could leak internals (SQL, paths): keep webob's text.
        if safe:
            outer.explanation = "%s: %s" % (inner.__class__.__name__, inner)
        return wsgi.Fault(outer)

    @webob.dec.wsgify(RequestClass=base_wsgi.Request)
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as ex:  # the WSGI boundary: nothing may escape as a traceback
            return self._error(ex, req)


def _walk_class_hierarchy(clazz: type):
    """All subclasses of ``clazz``, deepest first (Juno: nova/utils.py:776, named walk_class_hierarchy)."""
    for subclass in clazz.__subclasses__():
        yield from _walk_class_hierarchy(subclass)
        yield subclass


class APIMapper(routes.Mapper):
    """A ``routes.Mapper`` that matches the empty path and only lets ``.json`` be a format.

    Mirrors: nova.api.openstack.APIMapper (nova/api/openstack/__init__.py:129, 2014.2)
    """

    def routematch(self, url=None, environ=None):
        if url == "":
            # ``/v2`` arrives here as PATH_INFO "" (SCRIPT_NAME is /v2); let the
            # redirect route "" → "/" match it.
            result = self._match("", environ)
            return result[0], result[1]
        return routes.Mapper.routematch(self, url, environ)

    def connect(self, *args, **kargs):
        # Without this requirement ``.:(format)`` would swallow anything after a
        # dot in the last path segment.
        kargs.setdefault("requirements", {})
        if not kargs["requirements"].get("format"):
            # NOVA-DIFF: Juno accepts json|xml; minova speaks JSON only.
            kargs["requirements"]["format"] = "json"
        return routes.Mapper.connect(self, *args, **kargs)


class ProjectMapper(APIMapper):
    """Prefix every resource with ``{project_id}/``: that is where the id in v2 URLs comes from.

    Mirrors: nova.api.openstack.ProjectMapper (nova/api/openstack/__init__.py:146, 2014.2)
    """

    def resource(self, member_name, collection_name, **kwargs):
        # routes.Mapper.resource pops from kwargs: give each registration a copy.
        with_project = dict(kwargs)
        if "parent_resource" not in kwargs:
            with_project["path_prefix"] = "{project_id}/"
        else:
            parent = kwargs["parent_resource"]
            with_project["path_prefix"] = "{project_id}/%s/:%s_id" % (
                parent["collection_name"], parent["member_name"])
        routes.Mapper.resource(self, member_name, collection_name, **with_project)
        # NOVA-DIFF (as nova master, ProjectMapper.create_route): register every
        # route again without the project id, so /v2.1/servers and
        # /v2.1/<project>/servers both work.  Where both forms could match,
        # order alone does not decide: Routes >= 2.5 tries routes with a longer
        # fixed prefix first, so GET /servers/servers is show(id='servers'),
        # not the server list of a project called "servers" (notebook 04).
        without_project = dict(kwargs)
        if "parent_resource" in kwargs:
            parent = kwargs["parent_resource"]
            without_project["path_prefix"] = "%s/:%s_id" % (
                parent["collection_name"], parent["member_name"])
        routes.Mapper.resource(self, member_name, collection_name, **without_project)


class APIRouter(base_wsgi.Router):
    """Routes requests on the compute API to the ``Resource`` of each collection.

    Subclasses fill the mapper in ``_setup_routes``; ``self.resources`` keeps
    each ``Resource`` by name (``'servers'``, ...).

    Then the extensions: ``_setup_ext_routes`` routes each ``ResourceExtension``
    (a new collection), ``_setup_extensions`` hangs each ``ControllerExtension``'s
    methods on the ``Resource`` it extends.

    Mirrors: nova.api.openstack.APIRouter (nova/api/openstack/__init__.py:173, 2014.2)
    """

    ExtensionManager = None  # the compute API's subclass names its manager

    @classmethod
    def factory(cls, global_config, **local_config):
        """paste ``app_factory``: ``use = call:minova.api.openstack.compute:APIRouter.factory``."""
        return cls()

    def __init__(self, ext_mgr=None, init_only=None):
        if ext_mgr is None and self.ExtensionManager:
            ext_mgr = self.ExtensionManager()
        mapper = ProjectMapper()
        self.resources = {}
        self._setup_routes(mapper, ext_mgr, init_only)
        if ext_mgr is not None:
            self._setup_ext_routes(mapper, ext_mgr, init_only)
            self._setup_extensions(ext_mgr)
        super().__init__(mapper)

    def _setup_ext_routes(self, mapper, ext_mgr, init_only):
        """Route every ``ResourceExtension``: its own ``Resource`` and ``mapper.resource``."""
        for resource in ext_mgr.get_resources():
            LOG.debug("Extending resource: %s", resource.collection)
            if init_only is not None and resource.collection not in init_only:
                continue
            inherits = None
            if resource.inherits:
                inherits = self.resources.get(resource.inherits)
                if not resource.controller:
                    resource.controller = inherits.controller
            wsgi_resource = wsgi.Resource(resource.controller, inherits=inherits)
            self.resources[resource.collection] = wsgi_resource
            kargs = dict(controller=wsgi_resource, collection=resource.collection_actions,
                         member=resource.member_actions)
            if resource.parent:
                kargs["parent_resource"] = resource.parent
            mapper.resource(resource.member_name or resource.collection,
                            resource.collection, **kargs)
            if resource.custom_routes_fn:
                resource.custom_routes_fn(mapper, wsgi_resource)

    def _setup_extensions(self, ext_mgr):
        """Hang each ``ControllerExtension``'s actions and ``@extends`` methods on its resource."""
        for extension in ext_mgr.get_controller_extensions():
            collection = extension.collection
            controller = extension.controller
            if collection not in self.resources:
                LOG.warning("Extension %s: Cannot extend resource %s: No such resource",
                            extension.extension.name, collection)
                continue
            LOG.debug("Extension %s extended resource: %s", extension.extension.name,
                      collection)
            resource = self.resources[collection]
            resource.register_actions(controller)
            resource.register_extensions(controller)

    def _setup_routes(self, mapper, ext_mgr, init_only):
        raise NotImplementedError()

    @staticmethod
    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(req):
        """Hand the request to the matched ``Resource``; no match → a JSON fault.

        NOVA-DIFF: Juno answers an unmatched path with webob's 404 page (plain
        text, or HTML when Accept names html or */*, as curl's default does).
        minova answers every client mistake with nova's JSON fault: 404
        ``itemNotFound`` for an unknown path, and 405 ``badMethod`` with an
        ``Allow`` header when the path exists for other methods.
        """
        match = req.environ["wsgiorg.routing_args"][1]
        if match:
            return match["controller"]
        allowed = _allowed_methods(req.environ["wsgiorg.routing_args"][0].mapper,
                                   req.path_info)
        if allowed:
            fault = webob.exc.HTTPMethodNotAllowed(
                explanation="The method %s is not allowed for this resource." % req.method,
                headers=[("Allow", ", ".join(allowed))])
            return wsgi.Fault(fault)
        return wsgi.Fault(webob.exc.HTTPNotFound(
            explanation="The resource could not be found."))


def _allowed_methods(mapper, path: str) -> list[str]:
    """Which HTTP methods would have matched ``path`` (only asked on the error path)."""
    return [method for method in ("GET", "POST", "PUT", "DELETE")
            if mapper.match(path, environ={"REQUEST_METHOD": method, "PATH_INFO": path})]
