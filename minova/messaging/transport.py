"""The transport: nova's AMQP message envelope carried by kombu over one of three buses.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/transport.py + _drivers/amqpdriver.py, amqp.py, common.py (oslo.messaging 1.4)
Now: oslo_messaging/transport.py, oslo_messaging/_drivers/amqpdriver.py

``transport_url`` picks the bus:

- ``rabbit://guest:guest@127.0.0.1:5672/`` -- RabbitMQ through kombu's py-amqp
  transport, as nova runs in production.
- ``memory://`` -- kombu's in-memory bus: one process only (notebooks, fast tests).
- ``filesystem://`` (the default) or ``filesystem:///some/folder`` -- kombu's
  filesystem transport: one file per message in ``$state_path/messaging``. No
  broker to install or start, and it works across processes.
- ``sqla+sqlite:///path/messages.sqlite`` -- kombu's SQLAlchemy transport (kept
  as an option; it lost the comparison below).

Why filesystem is the broker-less default. Measured with
``benchmarks/bench_rpc.py -n 30`` on a 2-core Debian VM: minova-api (2 forked
workers), two minova-conductor and one minova-compute process, create -> ACTIVE
seen by a polling client, median of 30 (two runs, the second on a quieter
machine), then 10 concurrent creates:

================  ==============  ================  =======================
transport         create->ACTIVE  idle CPU, 1 svc   2 conductors, 41 builds
================  ==============  ================  =======================
filesystem://     52 / 40 ms      1.1 %             each cast exactly once
sqla+sqlite:///   116 / 76 ms     12 %              each cast exactly once
rabbit:// (peer)  38 / 20 ms      ~0                each cast exactly once
================  ==============  ================  =======================

- both broker-less buses poll (``rpc_poll_interval``); each SQLAlchemy poll on
  SQLite is a ``BEGIN IMMEDIATE`` write transaction per queue, hence the CPU
  and the doubled latency (a create crosses two polled hops).
- exchanges: kombu keeps a virtual exchange's bindings in process memory; the
  filesystem transport also writes them to a shared control folder, so a
  publisher in another process routes ``compute.<host>``. The SQLAlchemy one
  does not (minova declares the destination queue when it publishes, which
  papers over it).
- consumed messages: filesystem deletes the file; SQLAlchemy only flags the row
  invisible, so its table grows forever.
- kombu's filesystem channel has three races (see ``_AtomicFilesystemChannel``);
  minova's small subclass fixes them.
Neither broker-less bus survives a crashed consumer: the message left the
folder/table before the handler ran. Only RabbitMQ redelivers it.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import logging
import os
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlparse

import kombu
from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.transport import sqlalchemy as sqlalchemy_transport
from oslo_config import cfg

from minova import exception, paths

LOG = logging.getLogger(__name__)

transport_opts = [
    cfg.StrOpt("transport_url", default="filesystem://",
               help="rabbit://user:pass@host:port/, memory:// (one process), "
                    "filesystem:// (broker-less, files in $state_path/messaging) "
                    "or sqla+sqlite:///file"),
    cfg.StrOpt("control_exchange", default="openstack",
               help="The exchange topics are published to (nova sets 'nova')"),
    cfg.IntOpt("rpc_response_timeout", default=60,
               help="Seconds to wait for the reply to a call"),
    cfg.IntOpt("rpc_thread_pool_size", default=64,
               help="Threads an RPC server uses to run endpoint methods"),
    # NOVA-DIFF: oslo.messaging retries a dead broker forever; minova gives up
    # after this long so a create answers 503 instead of hanging.
    cfg.FloatOpt("transport_connect_timeout", default=2.0,
                 help="Seconds to keep trying to reach the message bus"),
    # NOVA-DIFF: not in oslo.messaging; kombu's broker-less buses are polled.
    cfg.FloatOpt("rpc_poll_interval", default=0.02,
                 help="Seconds between polls of a broker-less bus"),
]

CONF = cfg.CONF
CONF.register_opts(transport_opts)

_VERSION_KEY, _MESSAGE_KEY = "oslo.version", "oslo.message"


def set_transport_defaults(control_exchange: str) -> None:
    """What ``nova.rpc.set_defaults`` calls: nova's topics live on exchange ``nova``."""
    cfg.set_defaults(transport_opts, control_exchange=control_exchange)


class _AtomicFilesystemChannel(filesystem.Channel):
    """kombu's filesystem channel, made safe for several consumers and writers.

    NOVA-DIFF (kombu, not nova): kombu writes a message file in place (a reader
    can see it empty) and claims it with ``shutil.move`` to /tmp (a copy when
    /tmp is another filesystem, so two consumers may both get it). Here a
    message is written under a temporary name and renamed into place, and
    claimed by a rename inside the same folder: exactly one consumer wins.
    The exchange table gets the same treatment (see ``_queue_bind``).
    """

    def _put(self, queue, payload, **kwargs):
        name = "%019d_%s.%s.msg" % (time.monotonic_ns(), uuid.uuid4().hex, queue)
        tmp = os.path.join(self.data_folder_out, ".new-" + name)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(payload))
        os.rename(tmp, os.path.join(self.data_folder_out, name))

    def _get(self, queue):
        wanted = queue + ".msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self.data_folder_in, ".claimed-%s-%s" % (os.getpid(), name))
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another consumer was faster
            with open(claimed, encoding="utf-8") as f:
                payload = json.loads(f.read())
            os.unlink(claimed)
            return payload
        raise filesystem.Empty()


    # The exchange table (``control/<exchange>.exchange``): which queues are bound
    # to an exchange. kombu 5.7 creates it with "wb" before taking any lock and
    # rewrites it in place, so two first binders (minova-all starts the conductor
    # and the compute at once) can tear it or lose a binding. Here every update
    # holds one lock file per exchange and replaces the table whole (temporary
    # file + rename); readers therefore never need the lock.

    @contextlib.contextmanager
    def _exchange_lock(self, exchange):
        self.control_folder.mkdir(parents=True, exist_ok=True)
        lock_path = str(self._exchange_file(exchange)) + ".lock"
        with open(lock_path, "a") as lock_file:  # "a": never truncates another's lock file
            filesystem.lock(lock_file, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(lock_file)

    def _read_table(self, file):
        try:
            with open(file, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError("Cannot open %s" % file) from exc
        try:
            return [filesystem.exchange_queue_t(*q) for q in json.loads(text)]
        except (ValueError, TypeError) as exc:
            raise ChannelError("Exchange table %s cannot be parsed (%s); stop every minova "
                               "service and delete the folder %s" %
                               (file, exc, self.control_folder)) from exc

    def _write_table(self, file, queues):
        tmp = "%s.%d.%s.tmp" % (file, os.getpid(), uuid.uuid4().hex)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(queues))
        os.replace(tmp, file)

    def get_table(self, exchange):
        return self._read_table(self._exchange_file(exchange))

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._exchange_lock(exchange):
            queues = self._read_table(file)
            if entry not in queues:
                self._write_table(file, [entry] + queues)

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # kombu's virtual channel forgets the queue; skip filesystem.Channel's in-place rewrite.
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        file = self._exchange_file(exchange)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._exchange_lock(exchange):
            queues = self._read_table(file)
            if entry in queues:
                queues.remove(entry)
                self._write_table(file, queues)


class _AtomicFilesystemTransport(filesystem.Transport):
    Channel = _AtomicFilesystemChannel


def _kombu_connection_args(url: str) -> dict[str, Any]:
    """Translate an oslo-style ``transport_url`` into kombu ``Connection`` arguments."""
    scheme = url.partition("://")[0]
    poll = {"polling_interval": CONF.rpc_poll_interval}
    if scheme == "rabbit":
        # py-amqp's connect timeout; kombu's retry loop is bounded separately.
        return {"hostname": "amqp" + url[len("rabbit"):],
                "connect_timeout": CONF.transport_connect_timeout}
    if scheme == "memory":
        return {"hostname": "memory://", "transport_options": poll}
    if scheme == "filesystem":
        folder = urlparse(url).path or paths.state_path_def("messaging")
        os.makedirs(os.path.join(folder, "control"), exist_ok=True)
        return {"transport": _AtomicFilesystemTransport,
                "transport_options": dict(poll, data_folder_in=folder, data_folder_out=folder,
                                          control_folder=os.path.join(folder, "control"))}
    if scheme in ("sqla+sqlite", "sqlalchemy+sqlite") and url.endswith(":///"):
        url = "sqla+sqlite:///" + paths.state_path_def("messaging.sqlite")
    if scheme.startswith(("sqla+", "sqlalchemy+")):
        # kombu hands every transport option of this transport to create_engine(),
        # so the poll interval goes on a subclass instead.
        polled = type("PolledSQLATransport", (sqlalchemy_transport.Transport,),
                      {"polling_interval": CONF.rpc_poll_interval})
        return {"hostname": url.partition("+")[2], "transport": polled}
    raise ValueError("Unsupported transport_url %r" % url)


def pack_message(ctxt: dict, message: dict, **extra: Any) -> dict:
    """Nova's wire format: ``_context_<key>`` entries beside the message, JSON in an envelope."""
    msg = dict(message, _unique_id=uuid.uuid4().hex, **extra)
    for key, value in (ctxt or {}).items():
        msg["_context_%s" % key] = value
    return {_VERSION_KEY: "2.0", _MESSAGE_KEY: json.dumps(msg, default=_to_primitive)}


def _to_primitive(value: Any) -> Any:
    """What json cannot encode by itself (oslo's jsonutils.to_primitive does the same)."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def unpack_message(body: dict) -> tuple[dict, dict]:
    """The reverse of :func:`pack_message`: ``(context dict, message dict)``."""
    msg = json.loads(body[_MESSAGE_KEY])
    ctxt = {key[len("_context_"):]: msg.pop(key)
            for key in list(msg) if key.startswith("_context_")}
    return ctxt, msg


@functools.lru_cache(maxsize=256)  # building kombu entities is slow next to a publish
def topic_queue(exchange: str, routing_key: str) -> kombu.Queue:
    """The queue behind a topic or ``topic.server`` key (oslo names queues after their key)."""
    # Non-durable, as oslo.messaging's default (amqp_durable_queues=False).
    return kombu.Queue(routing_key, kombu.Exchange(exchange, "topic", durable=False),
                       routing_key=routing_key, durable=False, auto_delete=False)


class Transport:
    """One message bus for this process: publishes casts, calls and replies.

    Publishing goes through one lock-protected kombu connection (kombu
    connections are not thread-safe); consumers and callers waiting for a
    reply open their own connections.

    Mirrors: oslo.messaging.Transport + AMQPDriverBase (oslo/messaging/transport.py,
    _drivers/amqpdriver.py, oslo.messaging 1.4.1)
    Simplified: one driver for every kombu transport; a reply queue per call
    instead of one per process with a waiter thread; no fanout.
    """

    def __init__(self, conf: cfg.ConfigOpts, url: str, allowed_remote_exmods: list[str]):
        self.conf = conf
        self.url = url
        self.allowed_remote_exmods = list(allowed_remote_exmods)
        self._lock = threading.Lock()
        self._producer_conn: kombu.Connection | None = None
        self._producer_pid: int | None = None

    def connection(self) -> kombu.Connection:
        """A new, connected kombu connection, or TransportUnavailable within the timeout."""
        conn = kombu.Connection(**_kombu_connection_args(self.url))
        try:
            conn.ensure_connection(max_retries=3, interval_start=0.1, interval_step=0.2,
                                   interval_max=0.5, timeout=self.conf.transport_connect_timeout)
        except Exception as exc:  # noqa: BLE001  (kombu raises OperationalError, OSError, ...)
            conn.release()
            raise exception.TransportUnavailable(reason="%s: %s" % (self._safe_url(), exc))
        return conn

    def _safe_url(self) -> str:
        parsed = urlparse(self.url)
        return self.url.replace(parsed.password, "***") if parsed.password else self.url

    def publish(self, exchange: str, routing_key: str, body: dict,
                declare: list[kombu.Queue] | None = None) -> None:
        """Publish once; on a broken connection reconnect once, then give up with 503."""
        with self._lock:
            for attempt in (1, 2):
                producer = self._get_producer()
                # Declaring costs a broker round trip: once per queue and connection.
                new = [q for q in declare or [] if q.name not in self._declared]
                try:
                    producer.publish(body, exchange=exchange, routing_key=routing_key,
                                     declare=new)
                    self._declared.update(q.name for q in new)
                    return
                except (OSError, *producer.connection.connection_errors,
                        *producer.connection.channel_errors) as exc:
                    LOG.warning("Publish to %s failed (attempt %d): %s", routing_key, attempt, exc)
                    self._drop_producer_connection()
            raise exception.TransportUnavailable(reason="%s: publish failed" % self._safe_url())

    def _get_producer(self) -> kombu.Producer:
        # A connection inherited through fork() shares its socket with the parent.
        if self._producer_conn is None or self._producer_pid != os.getpid():
            self._producer_conn = self.connection()
            self._producer_pid = os.getpid()
            self._producer = self._producer_conn.Producer(serializer="json")
            self._declared: set[str] = set()
        return self._producer

    def _drop_producer_connection(self) -> None:
        if self._producer_conn is not None and self._producer_pid == os.getpid():
            self._producer_conn.release()
        self._producer_conn = None

    def _send(self, target, ctxt: dict, message: dict, wait_for_reply: bool = False,
              timeout: float | None = None) -> Any:
        """Cast (or call) ``message``: exchange ``control_exchange``, key ``topic[.server]``."""
        exchange = target.exchange or self.conf.control_exchange
        routing_key = target.topic if not target.server else "%s.%s" % (target.topic, target.server)
        # NOVA-DIFF: oslo.messaging does not declare the destination queue when
        # it publishes; minova does, so a cast sent before its consumer starts
        # waits in the queue, and broker-less buses know the binding.
        declare = [topic_queue(exchange, routing_key)]
        if not wait_for_reply:
            self.publish(exchange, routing_key, pack_message(ctxt, message), declare)
            return None
        from minova.messaging.rpc import client  # the reply logic lives with the client
        return client.wait_for_reply(self, exchange, routing_key, ctxt, message, declare,
                                     timeout)

    def cleanup(self) -> None:
        """Close this process's connections; on ``memory://`` also forget every queue."""
        with self._lock:
            self._drop_producer_connection()
        if self.url.startswith("memory://"):
            # The in-memory "broker" is process global; tests and notebooks
            # start each run with an empty one.
            from kombu.transport import memory
            memory.Channel.queues.clear()
            memory.Transport.global_state.clear()


def get_transport(conf: cfg.ConfigOpts, url: str | None = None,
                  allowed_remote_exmods: list[str] | None = None,
                  aliases: dict | None = None) -> Transport:
    """Build the transport named by ``url`` or ``[DEFAULT] transport_url``.

    ``aliases`` (Juno's old ``rpc_backend`` names) is accepted and ignored.
    """
    url = url or conf.transport_url
    _kombu_connection_args(url)  # fail early on an unknown scheme
    return Transport(conf, url, allowed_remote_exmods or [])
