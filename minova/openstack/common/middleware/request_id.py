"""Give every request an id (``req-<uuid4>``) and send it back in a response header.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/openstack/common/middleware/request_id.py
Now: oslo_middleware/request_id.py (``RequestId``; nova subclasses it in nova/api/compute_req_id.py)
"""

from __future__ import annotations

from typing import ClassVar

from minova import context
from minova.openstack.common.middleware import base

ENV_REQUEST_ID = "openstack.request_id"
HTTP_RESP_HEADER_REQUEST_ID = "x-openstack-request-id"


class RequestIdMiddleware(base.Middleware):
    """Store a fresh ``req-<uuid4>`` in ``environ['openstack.request_id']`` and echo it.

    Everything below (auth filter, controllers, logs, the RPC context) reads
    the id from the environ, so one id follows the request end to end.
    ``compat_headers`` lists extra header names that carry the same id.

    Mirrors: nova.openstack.common.middleware.request_id.RequestIdMiddleware
    (nova/openstack/common/middleware/request_id.py:32, 2014.2)
    """

    compat_headers: ClassVar[tuple[str, ...]] = ()

    def process_request(self, req):
        # Juno (request_id.py:34-41) did it all in one wsgify __call__ with the
        # id in a local; minova splits it into process_request/process_response
        # (the base Middleware's hooks) and carries the id in the request's environ.
        req.environ[ENV_REQUEST_ID] = context.generate_request_id()

    def process_response(self, response, request=None):
        req_id = request.environ[ENV_REQUEST_ID]
        for header in (HTTP_RESP_HEADER_REQUEST_ID, *self.compat_headers):
            if header not in response.headers:
                response.headers.add(header, req_id)
        return response
