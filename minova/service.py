"""nova's own service classes: WSGIService for the API; the RPC Service for conductor and compute.

Layer 1 (``WSGIService``, ``process_launcher``, ``serve``, ``wait``): notebooks/01_launcher.ipynb
Layer 6 (``Service``, the RPC service): notebooks/06_conductor_cast.ipynb

Not to be confused with ``minova/openstack/common/service.py`` (the
launchers and the base ``Service``): this module builds on that one.

Juno: nova/service.py
Now: nova/service.py (``Service`` only; ``WSGIService`` and the launcher
helpers were removed in 32.0.0, the API runs under uWSGI or gunicorn)
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

from oslo_config import cfg

from minova import context, exception, messaging, rpc, wsgi
from minova.db import api as db_api
from minova.openstack.common import processutils, service

LOG = logging.getLogger(__name__)

service_opts = [
    # NOVA-DIFF: Juno's default is ['ec2', 'osapi_compute', 'metadata'];
    # minova builds only the compute API.
    cfg.ListOpt("enabled_apis", default=["osapi_compute"],
                help="A list of APIs to enable by default"),
    cfg.ListOpt("enabled_ssl_apis", default=[],
                help="A list of APIs with enabled SSL"),
    # NOVA-DIFF: Juno listens on 0.0.0.0 (every interface). minova's default
    # token scheme is noauth ("user:project", no password) and it runs on a
    # learner's laptop, so it listens on the loopback only. To serve other
    # machines set ``osapi_compute_listen = 0.0.0.0`` in a config file.
    cfg.StrOpt("osapi_compute_listen", default="127.0.0.1",
               help="The IP address on which the OpenStack API will listen "
                    "(minova: 127.0.0.1; 0.0.0.0 for every interface, as Juno)."),
    cfg.PortOpt("osapi_compute_listen_port", default=8774,
                help="The port on which the OpenStack API will listen (0: any free port)."),
    cfg.IntOpt("osapi_compute_workers",
               help="Number of workers for OpenStack API service. The default will "
                    "be the number of CPUs available."),
]

CONF = cfg.CONF
CONF.register_opts(service_opts)


class WSGIService:
    """Loads one paste app and binds its socket in the parent; each worker then serves it.

    Duck-typed as a service for the launchers (start/stop/wait/reset and
    ``backdoor_port``); it is NOT a subclass of either ``Service``.

    Mirrors: nova.service.WSGIService (nova/service.py:319, 2014.2)
    Simplified: no manager hooks are ever called (osapi_compute has no manager).
    """

    def __init__(self, name: str, loader: wsgi.Loader | None = None, use_ssl: bool = False,
                 max_url_len: int | None = None):
        self.name = name
        self.manager = self._get_manager()
        self.loader = loader or wsgi.Loader()
        # The whole paste graph is built here, once, before any fork: every
        # worker inherits the same app objects (copy-on-write).
        self.app = self.loader.load_app(name)
        self.host = getattr(CONF, "%s_listen" % name, "127.0.0.1")
        self.port = getattr(CONF, "%s_listen_port" % name, 0)
        self.workers = (getattr(CONF, "%s_workers" % name, None)
                        or processutils.get_worker_count())
        if self.workers and self.workers < 1:
            worker_name = "%s_workers" % name
            msg = ("%(worker_name)s value of %(workers)s is invalid, must be greater than 0"
                   % {"worker_name": worker_name, "workers": str(self.workers)})
            raise exception.InvalidInput(reason=msg)
        self.use_ssl = use_ssl
        # Binding happens in Server.__init__, so the listening socket exists in
        # the parent and every forked worker accepts on the same one.
        self.server = wsgi.Server(name, self.app, host=self.host, port=self.port,
                                  use_ssl=self.use_ssl, max_url_len=max_url_len)
        self.port = self.server.port  # the real port when 0 was asked for
        self.backdoor_port = None

    def reset(self) -> None:
        self.server.reset()

    def _get_manager(self):
        """The class named by option ``<name>_manager``, or None (the compute API has none)."""
        manager_opt = "%s_manager" % self.name
        if manager_opt not in CONF:
            return None
        manager_class_name = CONF.get(manager_opt, None)
        if not manager_class_name:
            return None
        # NOVA-DIFF: Juno imported and instantiated the manager here (only the
        # metadata API had one); minova has no such API.
        raise NotImplementedError("minova has no API managers: %s" % manager_class_name)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def wait(self) -> None:
        self.server.wait()


def process_launcher() -> service.ProcessLauncher:
    return service.ProcessLauncher()


# NOTE: the API never uses serve()/wait(); nova-api-os-compute and the RPC
# services (conductor, compute) do.
_launcher = None


def serve(server, workers: int | None = None) -> None:
    global _launcher
    if _launcher:
        raise RuntimeError("serve() can only be called once")
    _launcher = service.launch(server, workers=workers)


def wait() -> None:
    _launcher.wait()


# --- RPC Service (layer 6) ---------------------------------------------------

rpc_service_opts = [
    cfg.IntOpt("report_interval", default=10,
               help="Seconds between nodes reporting state to the datastore"),
    cfg.StrOpt("compute_manager", default="minova.compute.manager.ComputeManager",
               help="Full class name for the Manager for compute"),
    # Juno: nova/service.py:50 (periodic_enable). NOVA-DIFF: Juno ran a dynamic timer,
    # each periodic task keeping its own spacing; minova runs the manager's
    # periodic_tasks() every periodic_interval seconds.
    cfg.BoolOpt("periodic_enable", default=True, help="Enable periodic tasks"),
    cfg.IntOpt("periodic_interval", default=60,
               help="Seconds between two runs of the manager's periodic tasks"),
]
CONF.register_opts(rpc_service_opts)
CONF.import_opt("host", "minova.manager")


class Service(service.Service):
    """A conductor or compute process: its manager, a row in ``services``, an RPC server.

    Listens on ``topic`` (shared by every server of the topic) and
    ``topic.host`` (this host only); endpoints are the manager plus its
    ``additional_endpoints``.

    Mirrors: nova.service.Service (nova/service.py:122, 2014.2; start() at 159-217)
    Simplified: no BaseRPCAPI endpoint, no backdoor, no servicegroup API (the
    heartbeat writes the row directly); the periodic tasks are one method.
    """

    def __init__(self, host: str, binary: str, topic: str, manager: str,
                 report_interval: int | None = None, *args, **kwargs):
        super().__init__()
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager_class_name = manager
        self.report_interval = report_interval
        self.manager = importutils_import_class(manager)(*args, host=self.host, **kwargs)
        self.rpcserver = None
        self.service_id: int | None = None

    @classmethod
    def create(cls, host: str | None = None, binary: str | None = None,
               topic: str | None = None, manager: str | None = None,
               report_interval: int | None = None) -> Service:
        """Fill in the defaults nova derives from the binary name (Juno: Service.create)."""
        binary = binary or os.path.basename(sys.argv[0])
        topic = topic or binary.rpartition("minova-")[2]
        manager = manager or CONF.get("%s_manager" % binary.rpartition("minova-")[2], None)
        if report_interval is None:
            report_interval = CONF.report_interval
        return cls(host or CONF.host, binary, topic, manager, report_interval=report_interval)

    def start(self) -> None:
        LOG.info("Starting %s node on %s (topic %s)", self.binary, self.host, self.topic)
        self.manager.init_host()
        self.service_id = self._create_service_ref()
        self.manager.pre_start_hook()
        self.rpcserver = self._start_rpc_server()
        self.manager.post_start_hook()
        if self.report_interval:
            self.tg.add_timer(self.report_interval, self.report_state,
                              initial_delay=self.report_interval)
        if CONF.periodic_enable and CONF.periodic_interval > 0:
            self.tg.add_timer(CONF.periodic_interval, self.periodic_tasks,
                              initial_delay=CONF.periodic_interval)

    def _create_service_ref(self) -> int:
        """Register (or find) this host's row, so the conductor can choose it."""
        ctxt = context.get_admin_context()
        ref = db_api.service_get_by_host_and_topic(ctxt, self.host, self.topic)
        if ref is None:
            ref = db_api.service_create(ctxt, {"host": self.host, "binary": self.binary,
                                               "topic": self.topic, "report_count": 0})
        else:
            db_api.service_update(ctxt, ref.id, {"report_count": ref.report_count + 1})
        return ref.id

    def _start_rpc_server(self):
        target = messaging.Target(topic=self.topic, server=self.host)
        endpoints = [self.manager] + self.manager.additional_endpoints
        server = rpc.get_server(target, endpoints)
        server.start()
        return server

    def report_state(self) -> None:
        """Heartbeat: bump ``report_count`` so ``updated_at`` says we are alive."""
        ctxt = context.get_admin_context()
        try:
            ref = db_api.service_get_by_host_and_topic(ctxt, self.host, self.topic)
            db_api.service_update(ctxt, ref.id, {"report_count": ref.report_count + 1})
        except Exception:  # noqa: BLE001  (timer thread: a DB hiccup must not kill the heartbeat)
            LOG.exception("Model server went away")

    def periodic_tasks(self) -> None:
        """Juno: Service.periodic_tasks -> manager.periodic_tasks (nova/service.py)."""
        try:
            self.manager.periodic_tasks(context.get_admin_context())
        except Exception:  # noqa: BLE001  (timer thread: one failed run must not stop the next)
            LOG.exception("Periodic tasks of %s failed", self.binary)

    def stop(self) -> None:
        if self.rpcserver is not None:
            self.rpcserver.stop()
            self.rpcserver.wait()
            self.rpcserver = None
        self.manager.cleanup_host()
        super().stop()


def importutils_import_class(import_str: str):
    """Juno: nova.openstack.common.importutils.import_class."""
    module_name, _, class_name = import_str.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)
