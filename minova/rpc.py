"""nova's glue to the messaging library: one transport per process, clients and servers on it.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/rpc.py
Now: nova/rpc.py (imports oslo_messaging)
"""

from __future__ import annotations

from oslo_config import cfg

from minova import context as nova_context
from minova import messaging

CONF = cfg.CONF

TRANSPORT: messaging.Transport | None = None
# NOVA-DIFF: no NOTIFIER; minova sends no notifications.

# Remote exceptions from these modules are re-raised as the real class on a call.
ALLOWED_EXMODS = ["minova.exception", "minova.messaging.exceptions"]


def init(conf: cfg.ConfigOpts) -> None:
    """Create the process's transport from ``transport_url`` (Juno: nova/rpc.py:58-65)."""
    global TRANSPORT
    TRANSPORT = messaging.get_transport(conf, allowed_remote_exmods=ALLOWED_EXMODS)


def cleanup() -> None:
    """Close the transport's connections and forget it (Juno: nova/rpc.py:68-73)."""
    global TRANSPORT
    if TRANSPORT is not None:
        TRANSPORT.cleanup()
    TRANSPORT = None


def set_defaults(control_exchange: str) -> None:
    messaging.set_transport_defaults(control_exchange)


class RequestContextSerializer(messaging.Serializer):
    """Sends a ``RequestContext`` as its dict and rebuilds it on the other side.

    Mirrors: nova.rpc.RequestContextSerializer (nova/rpc.py:98-117, 2014.2)
    Simplified: the base serializer is a NoOpSerializer; minova has no NovaObjects,
    so instances travel as plain dicts.
    """

    def __init__(self, base: messaging.Serializer | None = None):
        self._base = base or messaging.NoOpSerializer()

    def serialize_entity(self, ctxt, entity):
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt) -> dict:
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict):
        return nova_context.RequestContext.from_dict(ctxt)


def get_client(target: messaging.Target, version_cap: str | None = None,
               serializer: messaging.Serializer | None = None) -> messaging.RPCClient:
    """Juno: nova/rpc.py:124-130."""
    assert TRANSPORT is not None, "call minova.rpc.init(CONF) first"
    return messaging.RPCClient(TRANSPORT, target, version_cap=version_cap,
                               serializer=RequestContextSerializer(serializer))


def get_server(target: messaging.Target, endpoints: list,
               serializer: messaging.Serializer | None = None):
    """Juno: nova/rpc.py:133-140."""
    assert TRANSPORT is not None, "call minova.rpc.init(CONF) first"
    # NOVA-DIFF: executor 'threading' (Juno: 'eventlet'); minova uses native threads.
    return messaging.get_rpc_server(TRANSPORT, target, endpoints, executor="threading",
                                    serializer=RequestContextSerializer(serializer))
