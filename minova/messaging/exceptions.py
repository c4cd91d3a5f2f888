"""Errors the messaging layer raises (timeouts and a dead broker live in minova.exception).

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/exceptions.py, rpc/client.py, rpc/dispatcher.py (oslo.messaging 1.4)
Now: oslo_messaging/exceptions.py
"""

from __future__ import annotations

from minova.exception import MessagingTimeout, TransportUnavailable  # noqa: F401  (re-export)


class MessagingException(Exception):
    """Base class of oslo.messaging's own errors."""


class UnsupportedVersion(MessagingException):
    """No endpoint in the message's namespace implements a compatible version."""

    def __init__(self, version: str, method: str | None = None):
        super().__init__("Endpoint does not support RPC version %s. Attempted method: %s"
                         % (version, method))
        self.version = version
        self.method = method


class NoSuchMethod(MessagingException, AttributeError):
    """A compatible endpoint exists but has no such method."""

    def __init__(self, method: str):
        super().__init__("Endpoint does not support RPC method %s" % method)
        self.method = method


class RPCVersionCapError(MessagingException):
    def __init__(self, version: str, version_cap: str):
        super().__init__("Requested message version, %s is too high. It needs to be lower "
                         "than the specified version cap %s." % (version, version_cap))


class RemoteError(MessagingException):
    """A ``call`` failed on the server with an exception the client may not re-create."""

    def __init__(self, exc_type: str, value: str, traceback: str = ""):
        super().__init__("Remote error: %s %s\n%s" % (exc_type, value, traceback))
        self.exc_type, self.value, self.traceback = exc_type, value, traceback
