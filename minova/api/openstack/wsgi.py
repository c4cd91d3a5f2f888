"""The second ``wsgi.py``: turning a routed request into a controller call, and errors into faults.

Layer 5: notebooks/05_resource_dispatch.ipynb (``Resource``, ``Controller``);
``Fault`` is also used by ``FaultWrapper`` in layer 3.

Not to be confused with ``minova/wsgi.py`` (server, loader, base classes).

Juno: nova/api/openstack/wsgi.py (1278 lines; XML and extensions left out here)
Now: nova/api/openstack/wsgi.py (JSON only since Newton)
"""

from __future__ import annotations

import json
import logging

import webob.dec
import webob.exc

LOG = logging.getLogger(__name__)

SUPPORTED_CONTENT_TYPES = (
    "application/json",
    "application/vnd.openstack.compute+json",
)
# NOVA-DIFF: Juno also lists the two XML types; minova speaks JSON only, as
# nova has since Newton.

_MEDIA_TYPE_MAP = {
    "application/vnd.openstack.compute+json": "json",
    "application/json": "json",
}


class Fault(webob.exc.HTTPException):
    """Wrap a webob HTTP error so it renders as nova's JSON fault body.

    ``{"itemNotFound": {"code": 404, "message": "..."}}``: the key comes from
    ``_fault_names`` by status code, ``computeFault`` for anything else.

    Mirrors: nova.api.openstack.wsgi.Fault (nova/api/openstack/wsgi.py:1166, 2014.2)
    Simplified: JSON only.
    """

    _fault_names = {
        400: "badRequest",
        401: "unauthorized",
        403: "forbidden",
        404: "itemNotFound",
        405: "badMethod",
        409: "conflictingRequest",
        413: "overLimit",
        415: "badMediaType",
        429: "overLimit",
        501: "notImplemented",
        503: "serviceUnavailable",
    }

    def __init__(self, exception: webob.exc.HTTPException):
        self.wrapped_exc = exception
        for key, value in list(self.wrapped_exc.headers.items()):
            self.wrapped_exc.headers[key] = str(value)
        self.status_int = exception.status_int

    @webob.dec.wsgify
    def __call__(self, req):
        """Render the JSON body onto the wrapped webob exception and return it."""
        code = self.wrapped_exc.status_int
        fault_name = self._fault_names.get(code, "computeFault")
        explanation = self.wrapped_exc.explanation
        fault_data = {fault_name: {"code": code, "message": explanation}}
        if code in (413, 429):
            retry = self.wrapped_exc.headers.get("Retry-After")
            if retry:
                fault_data[fault_name]["retryAfter"] = retry
        self.wrapped_exc.content_type = "application/json"
        self.wrapped_exc.charset = "UTF-8"
        self.wrapped_exc.body = json.dumps(fault_data).encode("utf-8")
        return self.wrapped_exc

    def __str__(self) -> str:
        return self.wrapped_exc.__str__()
