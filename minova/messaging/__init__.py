"""A small messaging layer on kombu that stands in for oslo.messaging 1.4.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/__init__.py (oslo.messaging 1.4.x; nova: ``from oslo import messaging``)
Now: oslo_messaging/__init__.py (nova/rpc.py imports ``oslo_messaging``)

This package is not nova: it rebuilds just the pieces of oslo.messaging that
nova's RPC path uses (Target, RPCClient.prepare/cast/call, an RPC server with a
dispatcher by namespace and version), with nova's message envelope on the wire.
"""

from minova.messaging.exceptions import (  # noqa: F401
    MessagingException,
    MessagingTimeout,
    NoSuchMethod,
    RemoteError,
    RPCVersionCapError,
    TransportUnavailable,
    UnsupportedVersion,
)
from minova.messaging.rpc.client import RPCClient  # noqa: F401
from minova.messaging.rpc.server import get_rpc_server  # noqa: F401
from minova.messaging.serializer import NoOpSerializer, Serializer  # noqa: F401
from minova.messaging.target import Target  # noqa: F401
from minova.messaging.transport import Transport, get_transport, set_transport_defaults  # noqa: F401
