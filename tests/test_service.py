"""Layer 1: minova.service (WSGIService and the serve/wait helpers), in-process with fakes."""

from __future__ import annotations

import threading
from typing import ClassVar

import pytest

from minova import exception, service, wsgi
from minova.openstack.common import processutils
from minova.openstack.common import service as os_service


class FakeLoader:
    def __init__(self):
        self.loaded: list[str] = []

    def load_app(self, name):
        self.loaded.append(name)
        return "app-for-%s" % name


class FakeServer:
    """Records what WSGIService asks of minova.wsgi.Server; "binds" port 0 to 4242."""

    instances: ClassVar[list[FakeServer]] = []

    def __init__(self, name, app, host="0.0.0.0", port=0, pool_size=None, backlog=128,
                 use_ssl=False, max_url_len=None):
        self.args = {"name": name, "app": app, "host": host, "port": port,
                     "use_ssl": use_ssl, "max_url_len": max_url_len}
        self.host, self.port = host, port or 4242
        self.calls: list[str] = []
        self.started = threading.Event()
        FakeServer.instances.append(self)

    def start(self):
        self.calls.append("start")
        self.started.set()

    def stop(self):
        self.calls.append("stop")

    def wait(self):
        self.calls.append("wait")

    def reset(self):
        self.calls.append("reset")


@pytest.fixture
def fake_server(monkeypatch):
    FakeServer.instances = []
    monkeypatch.setattr(wsgi, "Server", FakeServer, raising=False)
    return FakeServer


def test_service_options_have_juno_defaults_except_enabled_apis_and_listen(conf):
    assert conf.enabled_apis == ["osapi_compute"]  # NOVA-DIFF: Juno adds ec2, metadata
    assert conf.enabled_ssl_apis == []
    # NOVA-DIFF: Juno listens on 0.0.0.0; minova (noauth, a laptop) on the loopback only.
    assert conf.osapi_compute_listen == "127.0.0.1"
    assert conf.osapi_compute_listen_port == 8774
    assert conf.osapi_compute_workers is None


def test_wsgi_service_loads_app_and_binds_server_in_init(conf, fake_server):
    conf.set_override("osapi_compute_listen", "127.0.0.1")
    conf.set_override("osapi_compute_listen_port", 0)
    conf.set_override("osapi_compute_workers", 3)
    loader = FakeLoader()
    svc = service.WSGIService("osapi_compute", loader=loader)
    assert loader.loaded == ["osapi_compute"]
    assert svc.app == "app-for-osapi_compute"
    (server,) = fake_server.instances
    assert server.args == {"name": "osapi_compute", "app": "app-for-osapi_compute",
                           "host": "127.0.0.1", "port": 0, "use_ssl": False, "max_url_len": None}
    assert svc.server is server
    assert svc.port == 4242  # the port the server really bound, not the 0 asked for
    assert (svc.host, svc.workers, svc.manager, svc.backdoor_port) == ("127.0.0.1", 3, None, None)


def test_wsgi_service_workers_default_to_cpu_count(conf, fake_server, monkeypatch):
    monkeypatch.setattr(processutils.multiprocessing, "cpu_count", lambda: 7)
    svc = service.WSGIService("osapi_compute", loader=FakeLoader())
    assert svc.workers == 7


def test_get_worker_count_is_one_when_cpu_count_unknown(monkeypatch):
    def unknown():
        raise NotImplementedError
    monkeypatch.setattr(processutils.multiprocessing, "cpu_count", unknown)
    assert processutils.get_worker_count() == 1


def test_wsgi_service_rejects_negative_workers(conf, fake_server):
    conf.set_override("osapi_compute_workers", -1)
    with pytest.raises(exception.InvalidInput, match="osapi_compute_workers value of -1"):
        service.WSGIService("osapi_compute", loader=FakeLoader())
    assert fake_server.instances == []  # nothing was bound


def test_wsgi_service_delegates_start_stop_wait_reset_to_server(conf, fake_server):
    svc = service.WSGIService("osapi_compute", loader=FakeLoader())
    svc.start()
    svc.stop()
    svc.wait()
    svc.reset()
    assert svc.server.calls == ["start", "stop", "wait", "reset"]


def test_wsgi_service_runs_under_a_launcher(conf, fake_server):
    svc = service.WSGIService("osapi_compute", loader=FakeLoader())
    launcher = os_service.Launcher()
    launcher.launch_service(svc)
    assert svc.server.started.wait(5)
    launcher.stop()
    launcher.wait()
    assert svc.server.calls == ["start", "stop", "wait"]


def test_serve_refuses_a_second_call(conf, fake_server, monkeypatch):
    monkeypatch.setattr(service, "_launcher", None)
    svc = service.WSGIService("osapi_compute", loader=FakeLoader())
    service.serve(svc, workers=1)  # one worker: a ServiceLauncher, no fork
    try:
        assert isinstance(service._launcher, os_service.ServiceLauncher)
        with pytest.raises(RuntimeError, match="only be called once"):
            service.serve(svc)
    finally:
        service._launcher.stop()
        service._launcher.wait()
