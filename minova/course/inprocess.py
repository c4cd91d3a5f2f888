"""Run minova's messaging in ONE process: the memory:// transport and a private state folder.

Not a nova mirror: a teaching helper for exercise tests and cells that cast
and serve RPC in-process (layers 5-6).  Everything it sets is undone on exit,
so a test or a notebook can use it again in the same interpreter.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from oslo_config import cfg

from minova import paths, rpc  # noqa: F401  (paths registers state_path)
from minova.db.sqlalchemy import api as db_impl

CONF = cfg.CONF


@contextlib.contextmanager
def memory_bus(state_path: str | os.PathLike) -> Iterator[None]:
    """``transport_url = memory://`` and ``state_path`` for the block; exchange ``nova`` as nova's."""
    with bus(state_path):
        yield


@contextlib.contextmanager
def bus(state_path: str | os.PathLike, transport_url: str = "memory://",
        exchange: str = "nova") -> Iterator[None]:
    """``transport_url`` and ``state_path`` for the block, and nova's exchange (or ``exchange``)."""
    CONF.set_override("state_path", str(state_path))
    CONF.set_override("transport_url", transport_url)
    rpc.set_defaults(control_exchange=exchange)  # what config.parse_args does (Juno nova/config.py:35)
    rpc.init(CONF)
    try:
        yield
    finally:
        rpc.cleanup()
        rpc.set_defaults(control_exchange="openstack")
        db_impl.dispose_engine()
        CONF.clear_override("transport_url")
        CONF.clear_override("state_path")


def time_creates(transport_url: str = "memory://", count: int = 3, spawn_delay: float = 0.2,
                 timeout: float = 20.0) -> list[tuple[str, float, float, float]]:
    """``count`` creates through the in-process API, a conductor and a compute on one bus.

    The conductor and the compute run as ``service.Service``s in threads of this
    process (notebook 06, section 2), on ``transport_url``: ``memory://``,
    ``filesystem://`` or a RabbitMQ's ``rabbit://``. On a broker, everything is private
    to this call (a random suffix on the topics and the exchange) and deleted after.
    Returns ``(name, posted, answered, active)`` per server: seconds after the first
    POST when it was sent, when the API answered 202 (BUILD), when a GET saw ACTIVE.
    """
    import json
    import tempfile
    import time
    import uuid

    import webob

    import minova.virt.fake  # noqa: F401  (registers fake_spawn_delay)
    from minova import conductor, service, wsgi  # noqa: F401  (conductor: the [conductor] options)
    from minova.compute import rpcapi  # noqa: F401  (registers compute_topic)

    broker = not transport_url.startswith(("memory:", "filesystem:"))
    suffix = "_timeline_%s" % uuid.uuid4().hex[:6] if broker else ""
    topics = {("topic", "conductor"): "conductor" + suffix, ("compute_topic", None): "compute" + suffix}
    headers = {"X-Auth-Token": "alice:demo", "Content-Type": "application/json"}

    def request(app, method, path, body=None):
        req = webob.Request.blank("/v2.1" + path, method=method, headers=headers)
        if body is not None:
            req.body = json.dumps(body).encode()
        return req.get_response(app).json

    with tempfile.TemporaryDirectory(prefix="minova-timeline-") as state, \
            bus(state, transport_url, "nova" + suffix):
        for (name, group), value in topics.items():
            CONF.set_override(name, value, group=group)
        CONF.set_override("fake_spawn_delay", spawn_delay)
        services = [service.Service.create(binary="minova-conductor", host="conductor-1",
                                           topic=topics["topic", "conductor"],
                                           manager=CONF.conductor.manager),
                    service.Service.create(binary="minova-compute", host="compute-1",
                                           topic=topics["compute_topic", None])]
        try:
            for svc in services:
                svc.start()
            app = wsgi.Loader().load_app("osapi_compute")
            image = request(app, "GET", "/images")["images"][0]["id"]
            rows, started = [], time.monotonic()
            for n in range(1, count + 1):
                posted = time.monotonic() - started
                body = request(app, "POST", "/servers", {"server": {
                    "name": "vm%d" % n, "imageRef": image, "flavorRef": "1"}})
                rows.append(["vm%d" % n, body["server"]["id"], posted,
                             time.monotonic() - started, None])
            while any(r[4] is None for r in rows) and time.monotonic() - started < timeout:
                for row in rows:
                    if row[4] is None and request(app, "GET", "/servers/" + row[1])[
                            "server"]["status"] == "ACTIVE":
                        row[4] = time.monotonic() - started
                time.sleep(0.01)
        finally:
            for svc in services:
                svc.stop()
            if broker:
                conductor, compute = topics.values()
                _delete_private(transport_url, "nova" + suffix, [
                    conductor, conductor + ".conductor-1", compute, compute + ".compute-1"])
            for (name, group) in topics:
                CONF.clear_override(name, group=group)
            CONF.clear_override("fake_spawn_delay")
    return [(name, posted, answered, active) for name, _id, posted, answered, active in rows]


def _delete_private(transport_url: str, exchange: str, queues) -> None:
    """Delete what ``time_creates`` declared on a broker: its queues and its exchange."""
    import kombu

    from minova.messaging.transport import _kombu_connection_args

    with kombu.Connection(**_kombu_connection_args(transport_url)) as conn:
        channel = conn.default_channel
        for name in queues:
            channel.queue_delete(name)
        channel.exchange_delete(exchange)
