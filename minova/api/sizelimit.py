"""Refuse request bodies larger than ``osapi_max_request_body_size`` (112 KiB).

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/sizelimit.py
Now: removed in 14.0.0 (Newton); nova uses oslo_middleware's RequestBodySizeLimiter
"""

from __future__ import annotations

import logging

import webob.dec
import webob.exc
from oslo_config import cfg

from minova import wsgi
from minova.api.openstack import wsgi as os_wsgi

LOG = logging.getLogger(__name__)

max_request_body_size_opt = cfg.IntOpt(
    "osapi_max_request_body_size",
    default=114688,
    help="The maximum body size per each osapi request (bytes)")

CONF = cfg.CONF
CONF.register_opt(max_request_body_size_opt)

TOO_LARGE = "Request is too large."


class LimitingReader:
    """Wrap a body file and raise 413 once more than ``limit`` bytes were read.

    Used for bodies without a Content-Length (chunked uploads): their size
    is only known while reading, so the check happens in ``read``.

    Mirrors: nova.api.sizelimit.LimitingReader (nova/api/sizelimit.py:37, 2014.2)
    """

    def __init__(self, data, limit: int):
        self.data = data
        self.limit = limit
        self.bytes_read = 0

    def _count(self, chunk: bytes) -> bytes:
        self.bytes_read += len(chunk)
        if self.bytes_read > self.limit:
            raise webob.exc.HTTPRequestEntityTooLarge(explanation=TOO_LARGE)
        return chunk

    def __iter__(self):
        for chunk in self.data:
            yield self._count(chunk)

    def read(self, size: int | None = None) -> bytes:
        if size is None or size < 0:
            return self._count(self.data.read())
        return self._count(self.data.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self.data.readline(size))


class RequestBodySizeLimiter(wsgi.Middleware):
    """Answer 413 for bodies over ``osapi_max_request_body_size`` bytes.

    A declared Content-Length over the limit is refused before anything is
    read; a chunked body is wrapped in ``LimitingReader`` and refused when
    the app below reads past the limit.

    Mirrors: nova.api.sizelimit.RequestBodySizeLimiter (nova/api/sizelimit.py:67, 2014.2)
    """

    @staticmethod
    def _too_large(exc: webob.exc.HTTPException | None = None) -> os_wsgi.Fault:
        # NOVA-DIFF: Juno raised HTTPRequestEntityTooLarge inside wsgify, so the
        # client got webob's generic text/HTML page; minova answers nova's JSON
        # fault {"overLimit": {"code": 413, ...}}, as nova today does (its
        # oslo_middleware limiter sits behind FaultWrapper) and clients parse.
        return os_wsgi.Fault(exc or webob.exc.HTTPRequestEntityTooLarge(explanation=TOO_LARGE))

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        limit = CONF.osapi_max_request_body_size
        if req.content_length is not None and req.content_length > limit:
            LOG.info("Refused body of %d bytes (limit %d)", req.content_length, limit)
            return self._too_large()
        limiter = None
        if req.content_length is None and req.is_body_readable:
            limiter = req.body_file = LimitingReader(req.body_file, limit)
        try:
            response = req.get_response(self.application)
        except webob.exc.HTTPRequestEntityTooLarge as exc:
            # Raised by LimitingReader while an app below read the body.
            return self._too_large(exc)
        if limiter is not None and limiter.bytes_read > limit:
            # An app below (any @wsgify one) caught the 413 and rendered it
            # as webob's page; answer with the fault all the same.
            return self._too_large()
        return response
