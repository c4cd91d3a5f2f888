"""Layer 3 for real: the version documents over a socket, read by novaclient and openstacksdk.

The stdlib ``wsgiref`` server stands in for minova's own (layer 2) so this
file tests only the paste graph; it binds 127.0.0.1 port 0 and is shut down
and joined after each test.
"""

from __future__ import annotations

import os
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import paste.deploy
import pytest
from keystoneauth1 import discover, noauth, session

import minova

PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def api_url(conf):
    app = paste.deploy.loadapp("config:" + PASTE_INI, name="osapi_compute")
    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="wsgiref-test")
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_clients_keystoneauth_discovers_v21_over_http(api_url):
    data = discover.Discover(session.Session(), api_url + "/").version_data()
    (v21,) = [d for d in data if d["version"] == (2, 1)]
    assert v21["url"] == api_url + "/v2.1/"
    assert (v21["min_microversion"], v21["max_microversion"]) == ((2, 1), (2, 1))


def test_clients_novaclient_negotiates_microversion_2_1(api_url):
    from novaclient import api_versions, client

    sess = session.Session(auth=noauth.NoAuth(endpoint=api_url + "/v2.1"))
    nova = client.Client("2.1", session=sess)
    assert api_versions.discover_version(
        nova, api_versions.APIVersion("2.latest")) == api_versions.APIVersion("2.1")


@pytest.mark.filterwarnings("ignore:Support for InfluxDB")  # openstacksdk's own notice
@pytest.mark.parametrize("endpoint", ["/v2.1", ""])
def test_clients_openstacksdk_endpoint_data(api_url, endpoint):
    import openstack

    conn = openstack.connect(auth_type="none", auth={"endpoint": api_url + endpoint},
                             load_yaml_config=False, load_envvars=False)
    try:
        data = conn.compute.get_endpoint_data()
        assert data.url == api_url + "/v2.1/"
        assert (data.min_microversion, data.max_microversion) == ((2, 1), (2, 1))
    finally:
        conn.close()
