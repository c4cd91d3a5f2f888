"""Real OpenStack clients against a running ``minova-all`` (subprocess, random port).

python-novaclient through a keystoneauth1 session (``token_endpoint``), and
openstacksdk with ``auth_type='none'``: list, create (and see ACTIVE), show,
delete servers; list flavors and images.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from conftest import wait_until
from e2e_procs import Procs, api_up, write_conf

# openstacksdk warns about its own deprecations (the compute /images proxy, ...).
pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _services_up(db_file) -> bool:
    try:
        with sqlite3.connect(db_file) as db:
            topics = {row[0] for row in db.execute("SELECT topic FROM services")}
    except sqlite3.Error:
        return False
    return {"compute", "conductor"} <= topics


@pytest.fixture(scope="module")
def minova_url(tmp_path_factory):
    """One minova-all for the module; the clients only ever see its URL."""
    tmp = tmp_path_factory.mktemp("clients")
    port = _free_port()
    state = tmp / "state"
    conf_file = write_conf(tmp / "minova.conf", {"DEFAULT": {
        "state_path": state, "osapi_compute_listen": "127.0.0.1",
        "osapi_compute_listen_port": port, "osapi_compute_workers": 2}})
    procs = Procs(tmp)
    procs.start("minova.cmd.all", conf_file)
    try:
        url = "http://127.0.0.1:%d/v2.1" % port
        procs.wait_until(lambda: api_up(url) and _services_up(state / "minova.sqlite"),
                         message="minova-all up")
        yield url
    finally:
        procs.stop_all()


@pytest.fixture
def nova(minova_url):
    from keystoneauth1 import session, token_endpoint
    from novaclient import client

    auth = token_endpoint.Token(minova_url, "alice:proj_nova")
    return client.Client("2.1", session=session.Session(auth=auth))


@pytest.fixture
def sdk(minova_url):
    import openstack

    conn = openstack.connect(auth_type="none", auth={"endpoint": minova_url},
                             compute_api_version="2.1")
    yield conn
    conn.close()


def test_novaclient_lists_flavors_and_images(nova):
    flavors = {f.name: f.id for f in nova.flavors.list()}
    assert flavors["m1.tiny"] == "1"
    # novaclient 18 dropped the compute API's /images proxy: ask through its session.
    resp, body = nova.client.get("/images")
    assert resp.status_code == 200 and body["images"][0]["name"].startswith("cirros")


def test_novaclient_create_active_show_delete(nova):
    _resp, images = nova.client.get("/images")
    server = nova.servers.create("nc-vm", images["images"][0]["id"], "1")
    wait_until(lambda: nova.servers.get(server.id).status == "ACTIVE", message="ACTIVE")
    shown = nova.servers.get(server.id)
    assert shown.name == "nc-vm" and shown.tenant_id == "proj_nova"
    assert server.id in [s.id for s in nova.servers.list()]
    nova.servers.delete(server.id)
    wait_until(lambda: server.id not in [s.id for s in nova.servers.list()], message="deleted")


def test_openstacksdk_lists_flavors_and_images(sdk):
    assert "m1.small" in [f.name for f in sdk.compute.flavors()]
    assert any(i.name.startswith("cirros") for i in sdk.compute.images())


def test_openstacksdk_create_active_show_delete(sdk):
    image = next(iter(sdk.compute.images()))
    server = sdk.compute.create_server(name="sdk-vm", image_id=image.id, flavor_id="1")
    server = sdk.compute.wait_for_server(server, status="ACTIVE", interval=0.05, wait=20)
    assert sdk.compute.get_server(server.id).name == "sdk-vm"
    assert server.id in [s.id for s in sdk.compute.servers()]
    start = time.monotonic()
    sdk.compute.delete_server(server)
    sdk.compute.wait_for_delete(server, interval=0.05, wait=20)
    assert time.monotonic() - start < 20
