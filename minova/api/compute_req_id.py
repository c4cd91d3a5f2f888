"""The compute API's request id: ``x-compute-request-id`` (and ``x-openstack-request-id``).

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/compute_req_id.py
Now: nova/api/compute_req_id.py (a subclass of oslo_middleware's RequestId)
"""

from __future__ import annotations

from minova.openstack.common.middleware import request_id

ENV_REQUEST_ID = request_id.ENV_REQUEST_ID
HTTP_RESP_HEADER_REQUEST_ID = "x-compute-request-id"


class ComputeReqIdMiddleware(request_id.RequestIdMiddleware):
    """Like ``RequestIdMiddleware``, with the id also sent as ``x-compute-request-id``.

    python-novaclient reads ``x-compute-request-id``, openstacksdk reads
    ``x-openstack-request-id``; both headers carry the same value.

    Mirrors: nova.api.compute_req_id.ComputeReqIdMiddleware (nova/api/compute_req_id.py:36, 2014.2)
    """

    # NOVA-DIFF: Juno's class generated its own id and sent only
    # x-compute-request-id; nova master (compute_req_id.py:35-36) subclasses the
    # generic request-id filter with ``compat_headers`` so both headers go back.
    compat_headers = (HTTP_RESP_HEADER_REQUEST_ID,)
