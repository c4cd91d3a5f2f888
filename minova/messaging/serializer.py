"""Hooks that turn a request context and arguments into JSON-able data and back.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/serializer.py (oslo.messaging 1.4)
Now: oslo_messaging/serializer.py
"""

from __future__ import annotations

from typing import Any


class Serializer:
    """Base class: nova subclasses it to carry ``RequestContext`` and objects.

    Mirrors: oslo.messaging.Serializer (oslo/messaging/serializer.py, oslo.messaging 1.4.1)
    """

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        raise NotImplementedError

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        raise NotImplementedError

    def serialize_context(self, ctxt: Any) -> dict:
        raise NotImplementedError

    def deserialize_context(self, ctxt: dict) -> Any:
        raise NotImplementedError


class NoOpSerializer(Serializer):
    """Pass everything through unchanged (contexts must already be dicts).

    Mirrors: oslo.messaging.NoOpSerializer (oslo/messaging/serializer.py, oslo.messaging 1.4.1)
    """

    def serialize_entity(self, ctxt, entity):
        return entity

    def deserialize_entity(self, ctxt, entity):
        return entity

    def serialize_context(self, ctxt):
        return ctxt

    def deserialize_context(self, ctxt):
        return ctxt
