"""The RPC server: consume a topic's queues, run endpoint methods on threads, ack when done.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/rpc/server.py, server.py, _executors/ (oslo.messaging 1.4)
Now: oslo_messaging/rpc/server.py, oslo_messaging/server.py
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor

from minova import exception
from minova.messaging.rpc import client
from minova.messaging.rpc.dispatcher import RPCDispatcher
from minova.messaging.serializer import NoOpSerializer
from minova.messaging.transport import pack_message, topic_queue, unpack_message

LOG = logging.getLogger(__name__)


class MessageHandlingServer:
    """Listens on ``topic`` and ``topic.server``; one consumer thread, a pool of worker threads.

    The consumer thread owns the kombu connection (not thread-safe), so workers
    hand finished messages back to it and it acknowledges them there.

    Mirrors: oslo.messaging.server.MessageHandlingServer (oslo/messaging/server.py,
    oslo.messaging 1.4.1) with the ``threading`` executor
    Simplified: no fanout queue; no ``blocking``/``eventlet`` executors.
    """

    def __init__(self, transport, target, dispatcher: RPCDispatcher, executor: str = "threading"):
        if executor != "threading":
            # NOVA-DIFF: Juno used executor='eventlet'; minova has native threads only.
            raise ValueError("minova supports executor='threading' only, not %r" % executor)
        self.transport = transport
        self.target = target
        self.dispatcher = dispatcher
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._finished: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start consuming; return once the queues exist (or after the connect timeout)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="rpc-%s" % self.target.topic)
        self._thread.start()
        self._ready.wait(self.transport.conf.transport_connect_timeout + 1)

    def stop(self) -> None:
        """Stop taking new messages (in-flight ones still finish and are acked in ``wait``)."""
        self._stopping.set()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _queues(self) -> list:
        exchange = self.target.exchange or self.transport.conf.control_exchange
        return [topic_queue(exchange, self.target.topic),
                topic_queue(exchange, "%s.%s" % (self.target.topic, self.target.server))]

    def _run(self) -> None:
        """Connect, consume until stopped; on a lost bus, reconnect after a pause."""
        pool = ThreadPoolExecutor(self.transport.conf.rpc_thread_pool_size,
                                  thread_name_prefix="rpc-worker-%s" % self.target.topic)
        while not self._stopping.is_set():
            try:
                self._consume(pool)
            except exception.TransportUnavailable as exc:
                LOG.warning("RPC server %s: %s; retrying", self.target.topic, exc.format_message())
                self._stopping.wait(1.0)
            except Exception:
                LOG.exception("RPC server %s lost its connection; reconnecting", self.target.topic)
                self._stopping.wait(1.0)
        pool.shutdown(wait=True)

    def _consume(self, pool: ThreadPoolExecutor) -> None:
        conn = self.transport.connection()
        try:
            consumer = conn.Consumer(
                self._queues(), accept=["json"],
                callbacks=[lambda body, message: pool.submit(self._process, body, message)],
                prefetch_count=self.transport.conf.rpc_thread_pool_size)
            with consumer:
                self._ready.set()
                while not self._stopping.is_set():
                    self._ack_finished()
                    try:
                        conn.drain_events(timeout=0.1)
                    except TimeoutError:
                        pass
                # Let in-flight handlers finish so their messages are acked, not lost.
                pool.shutdown(wait=True)
                self._ack_finished()
        finally:
            conn.release()

    def _ack_finished(self) -> None:
        while True:
            try:
                message = self._finished.get_nowait()
            except queue.Empty:
                return
            message.ack()

    def _process(self, body: dict, message) -> None:
        """Worker thread: dispatch, reply if it was a call, then hand the message back for ack."""
        # NOVA-DIFF: oslo.messaging 1.4 acknowledged a message as soon as it
        # arrived, so a conductor killed mid-build lost the request; minova
        # acknowledges only after the endpoint returned.
        try:
            ctxt, msg = unpack_message(body)
            reply_q, msg_id = msg.pop("_reply_q", None), msg.pop("_msg_id", None)
            msg.pop("_unique_id", None)
            result, failure = None, None
            try:
                result = self.dispatcher(ctxt, msg)
            except Exception as exc:
                LOG.log(logging.DEBUG if reply_q else logging.ERROR,
                        "Exception during message handling: %s", exc, exc_info=not reply_q)
                failure = client.serialize_remote_exception(exc, traceback.format_exc())
            if reply_q:
                reply = {"result": result, "failure": failure, "ending": True, "_msg_id": msg_id}
                self.transport.publish("", reply_q, pack_message({}, reply))
        except Exception:
            LOG.exception("Could not process message %r", body)
        finally:
            self._finished.put(message)


def get_rpc_server(transport, target, endpoints: list, executor: str = "threading",
                   serializer=None) -> MessageHandlingServer:
    """Mirrors oslo.messaging.get_rpc_server: a dispatcher over ``endpoints`` and a server."""
    dispatcher = RPCDispatcher(target, endpoints, serializer or NoOpSerializer())
    return MessageHandlingServer(transport, target, dispatcher, executor=executor)
