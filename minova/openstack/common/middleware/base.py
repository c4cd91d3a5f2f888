"""Base class for the oslo-incubator middlewares (request id): ``factory`` returns the class.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/openstack/common/middleware/base.py
Now: oslo_middleware/base.py (the oslo.middleware library)
"""

from __future__ import annotations

import inspect

import webob.dec


class Middleware:
    """A filter whose ``factory`` hands paste.deploy the class itself.

    paste.deploy calls ``filter_factory(global_conf, **local_conf)`` and then
    calls the result with the next app; returning the class means the second
    call is simply ``Middleware(app)``.  Compare ``minova.wsgi.Middleware``,
    whose factory returns a closure: the same protocol, written twice in Juno.

    Mirrors: nova.openstack.common.middleware.base.Middleware
    (nova/openstack/common/middleware/base.py:20, 2014.2)
    """

    @classmethod
    def factory(cls, global_conf, **local_conf):
        return cls

    def __init__(self, application):
        self.application = application
        # oslo lets a subclass opt in to seeing the request by naming it.
        # Asked once here: inspect.signature costs ~20 µs, too much per request.
        self._response_wants_request = (
            "request" in inspect.signature(self.process_response).parameters)

    def process_request(self, req):
        """Return None to go on down the pipeline, or a response to stop here."""
        return None

    def process_response(self, response, request=None):
        return response

    @webob.dec.wsgify
    def __call__(self, req):
        response = self.process_request(req)
        if response:
            return response
        response = req.get_response(self.application)
        if self._response_wants_request:
            return self.process_response(response, request=req)
        return self.process_response(response)
