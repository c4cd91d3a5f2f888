"""Pick the endpoint for an incoming message by namespace and version, then call it.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/rpc/dispatcher.py (oslo.messaging 1.4)
Now: oslo_messaging/rpc/dispatcher.py
"""

from __future__ import annotations

import logging
from typing import Any

from minova.messaging import exceptions
from minova.messaging.target import Target

LOG = logging.getLogger(__name__)


def version_is_compatible(imp_version: str, version: str) -> bool:
    """Can an endpoint at ``imp_version`` serve ``version``? Same major, minor at least as high."""
    imp_major, imp_minor = (int(x) for x in imp_version.split(".")[:2])
    major, minor = (int(x) for x in version.split(".")[:2])
    return imp_major == major and imp_minor >= minor


class RPCDispatcher:
    """Walk the endpoints; the first in the right namespace, compatible, with the method wins.

    Mirrors: oslo.messaging.rpc.dispatcher.RPCDispatcher (oslo/messaging/rpc/dispatcher.py,
    oslo.messaging 1.4.1)
    Simplified: no ``_unique_id`` duplicate check; private (``_``) methods are refused.
    """

    def __init__(self, target: Target, endpoints: list, serializer):
        self.target = target
        self.endpoints = endpoints
        self.serializer = serializer
        self._default_target = Target()

    def __call__(self, ctxt_dict: dict, message: dict) -> Any:
        method = message.get("method")
        namespace = message.get("namespace")
        version = message.get("version") or "1.0"
        found_compatible = False
        for endpoint in self.endpoints:
            target = getattr(endpoint, "target", None) or self._default_target
            if namespace != target.namespace:
                continue
            if not version_is_compatible(target.version or "1.0", version):
                continue
            found_compatible = True
            if method and not method.startswith("_") and hasattr(endpoint, method):
                return self._do_dispatch(endpoint, method, ctxt_dict, message.get("args", {}))
        if found_compatible:
            raise exceptions.NoSuchMethod(method)
        raise exceptions.UnsupportedVersion(version, method=method)

    def _do_dispatch(self, endpoint, method: str, ctxt_dict: dict, args: dict) -> Any:
        ctxt = self.serializer.deserialize_context(ctxt_dict)
        kwargs = {name: self.serializer.deserialize_entity(ctxt, value)
                  for name, value in args.items()}
        result = getattr(endpoint, method)(ctxt, **kwargs)
        return self.serializer.serialize_entity(ctxt, result)
