"""Where a message goes: exchange, topic, server, namespace and version.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/target.py (oslo.messaging 1.4, the library nova imported)
Now: oslo_messaging/target.py
"""

from __future__ import annotations

_FIELDS = ("exchange", "topic", "namespace", "version", "server", "fanout")


class Target:
    """A plain value object; calling it with keyword overrides returns a modified copy.

    Clients use topic/namespace/version (+ ``server`` for one host); servers
    listen on topic + server; endpoints carry a ``target`` naming their
    namespace and version.

    Mirrors: oslo.messaging.Target (oslo/messaging/target.py, oslo.messaging 1.4.1)
    Simplified: no ``legacy_namespaces``, no ``accepted_namespaces``.
    """

    def __init__(self, exchange: str | None = None, topic: str | None = None,
                 namespace: str | None = None, version: str | None = None,
                 server: str | None = None, fanout: bool | None = None):
        self.exchange = exchange
        self.topic = topic
        self.namespace = namespace
        self.version = version
        self.server = server
        self.fanout = fanout

    def __call__(self, **kwargs) -> Target:
        for name in kwargs:
            if name not in _FIELDS:
                raise TypeError("Target has no field %r" % name)
        values = {name: getattr(self, name) for name in _FIELDS}
        values.update(kwargs)
        return Target(**values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and all(
            getattr(self, n) == getattr(other, n) for n in _FIELDS)

    def __repr__(self) -> str:
        attrs = ", ".join("%s=%s" % (n, getattr(self, n)) for n in _FIELDS
                          if getattr(self, n) is not None)
        return "<Target %s>" % attrs
