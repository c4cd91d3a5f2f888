"""The v2 API's middleware and router base: ``FaultWrapper``, the mappers, ``APIRouter``.

Layer 3 (``FaultWrapper``): notebooks/03_paste_urlmap.ipynb
Layer 4 (mappers, ``APIRouter``): notebooks/04_router.ipynb

Juno: nova/api/openstack/__init__.py
Now: nova/api/openstack/__init__.py (FaultWrapper 49-96, mappers 146-214)
"""

from __future__ import annotations

import logging

import webob.dec
import webob.exc

from minova.api.openstack import wsgi
from minova import wsgi as base_wsgi

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
    """All subclasses of ``clazz``, deepest first (Juno: nova/utils.py walk_class_hierarchy)."""
    for subclass in clazz.__subclasses__():
        yield from _walk_class_hierarchy(subclass)
        yield subclass
