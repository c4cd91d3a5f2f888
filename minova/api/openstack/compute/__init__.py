"""PLACEHOLDER until layer 4 lands: the compute ``APIRouter`` answers 501 for everything.

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/compute/__init__.py
"""

import webob.dec
import webob.exc

from minova.api.openstack import wsgi


class APIRouter:
    """Temporary stand-in: an honest ``notImplemented`` fault, never made-up data."""

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify
    def __call__(self, req):
        return wsgi.Fault(webob.exc.HTTPNotImplemented(
            explanation="The compute API (layer 4) is not built yet."))
