"""The RPC client: prepare a target, then cast (fire and forget) or call (wait for the reply).

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/rpc/client.py (oslo.messaging 1.4)
Now: oslo_messaging/rpc/client.py
"""

from __future__ import annotations

import builtins
import importlib
import time
import uuid
from typing import Any

import kombu

from minova import exception
from minova.messaging import exceptions
from minova.messaging.serializer import NoOpSerializer
from minova.messaging.transport import pack_message, unpack_message

_MARKER = object()


class _CallContext:
    """A client bound to one derived target: what ``RPCClient.prepare`` returns.

    Mirrors: oslo.messaging.rpc.client._CallContext (oslo/messaging/rpc/client.py,
    oslo.messaging 1.4.1)
    Simplified: no ``retry``; no ``ClientSendError`` wrapping (a dead bus raises
    minova.exception.TransportUnavailable).
    """

    def __init__(self, transport, target, serializer, timeout=None, version_cap=None):
        self.transport = transport
        self.target = target
        self.serializer = serializer
        self.timeout = timeout
        self.version_cap = version_cap

    def _make_message(self, ctxt, method: str, args: dict) -> dict:
        msg: dict[str, Any] = {"method": method}
        if self.target.namespace is not None:
            msg["namespace"] = self.target.namespace
        if self.target.version is not None:
            msg["version"] = self.target.version
        msg["args"] = {name: self.serializer.serialize_entity(ctxt, value)
                       for name, value in args.items()}
        return msg

    def can_send_version(self, version: str) -> bool:
        from minova.messaging.rpc.dispatcher import version_is_compatible
        return self.version_cap is None or version_is_compatible(self.version_cap, version)

    def _check_version_cap(self, version: str | None) -> None:
        if version and not self.can_send_version(version):
            raise exceptions.RPCVersionCapError(version=version, version_cap=self.version_cap)

    def cast(self, ctxt, method: str, **kwargs) -> None:
        """Publish and return at once: nobody learns whether it worked."""
        msg = self._make_message(ctxt, method, kwargs)
        self._check_version_cap(msg.get("version"))
        self.transport._send(self.target, self.serializer.serialize_context(ctxt), msg)

    def call(self, ctxt, method: str, **kwargs) -> Any:
        """Publish with a reply queue and block until the result (or MessagingTimeout)."""
        msg = self._make_message(ctxt, method, kwargs)
        self._check_version_cap(msg.get("version"))
        timeout = self.timeout or self.transport.conf.rpc_response_timeout
        result = self.transport._send(self.target, self.serializer.serialize_context(ctxt), msg,
                                      wait_for_reply=True, timeout=timeout)
        return self.serializer.deserialize_entity(ctxt, result)


class RPCClient:
    """Holds a default target; ``prepare`` overrides parts of it for one message.

    Mirrors: oslo.messaging.RPCClient (oslo/messaging/rpc/client.py, oslo.messaging 1.4.1)
    Simplified: no ``retry`` argument.
    """

    def __init__(self, transport, target, timeout=None, version_cap=None, serializer=None):
        self.transport = transport
        self.target = target
        self.timeout = timeout
        self.version_cap = version_cap
        self.serializer = serializer or NoOpSerializer()

    def prepare(self, exchange=_MARKER, topic=_MARKER, namespace=_MARKER, version=_MARKER,
                server=_MARKER, fanout=_MARKER, timeout=_MARKER,
                version_cap=_MARKER) -> _CallContext:
        overrides = {name: value for name, value in dict(
            exchange=exchange, topic=topic, namespace=namespace, version=version,
            server=server, fanout=fanout).items() if value is not _MARKER}
        return _CallContext(
            self.transport, self.target(**overrides), self.serializer,
            timeout=self.timeout if timeout is _MARKER else timeout,
            version_cap=self.version_cap if version_cap is _MARKER else version_cap)

    def cast(self, ctxt, method: str, **kwargs) -> None:
        self.prepare().cast(ctxt, method, **kwargs)

    def call(self, ctxt, method: str, **kwargs) -> Any:
        return self.prepare().call(ctxt, method, **kwargs)

    def can_send_version(self, version: str) -> bool:
        return self.prepare().can_send_version(version)


def wait_for_reply(transport, exchange: str, routing_key: str, ctxt: dict, message: dict,
                   declare: list, timeout: float) -> Any:
    """A call: private reply queue, publish with ``_msg_id``/``_reply_q``, drain until answered."""
    msg_id, reply_q = uuid.uuid4().hex, "reply_" + uuid.uuid4().hex
    replies: list[dict] = []
    conn = transport.connection()
    try:
        queue = kombu.Queue(reply_q, exclusive=True, auto_delete=True, durable=False)
        with conn.Consumer([queue], callbacks=[lambda body, m: replies.append(body)],
                           accept=["json"], no_ack=True):
            transport.publish(exchange, routing_key,
                              pack_message(ctxt, message, _msg_id=msg_id, _reply_q=reply_q),
                              declare)
            deadline = time.monotonic() + timeout
            while not replies:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise exception.MessagingTimeout(
                        reason="no reply to %s within %ss" % (message.get("method"), timeout))
                try:
                    conn.drain_events(timeout=min(remaining, 1.0))
                except TimeoutError:
                    pass
    finally:
        conn.release()
    _ctxt, reply = unpack_message(replies[0])
    if reply.get("failure"):
        raise deserialize_remote_exception(reply["failure"], transport.allowed_remote_exmods)
    return reply.get("result")


def serialize_remote_exception(exc: BaseException, tb: str) -> dict:
    return {"class": type(exc).__name__, "module": type(exc).__module__,
            "message": str(exc), "tb": tb, "kwargs": getattr(exc, "kwargs", {})}


def deserialize_remote_exception(failure: dict, allowed: list[str]) -> Exception:
    """Re-create the server's exception if its module is allowed, else a RemoteError."""
    module, name = failure.get("module"), failure.get("class")
    source = builtins if module == "builtins" else (
        importlib.import_module(module) if module in allowed else None)
    cls = getattr(source, name, None) if source is not None else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        # Skip the class's own __init__ (its arguments differ); keep message and kwargs.
        exc = cls.__new__(cls)
        Exception.__init__(exc, failure.get("message"))
        exc.kwargs = failure.get("kwargs", {})
        return exc
    return exceptions.RemoteError(name, failure.get("message"), failure.get("tb", ""))
