"""Real OpenStack clients against a running ``minova-all`` (subprocess, random port).

python-novaclient through a keystoneauth1 session (``token_endpoint``), and
openstacksdk with ``auth_type='none'``: list, create (and see ACTIVE), show,
delete servers; list flavors and images.
"""

from __future__ import annotations

import re
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

    # load_yaml_config=False: the repository's clouds.yaml (cloud "minova") is not this one
    conn = openstack.connect(auth_type="none", auth={"endpoint": minova_url},
                             compute_api_version="2.1", load_yaml_config=False,
                             load_envvars=False)
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


# --- the openstack CLI, configured as users configure it (clouds.yaml, password) -------

@pytest.fixture(scope="module")
def cli_cloud(tmp_path_factory):
    """minova-all with its identity stand-in, and a copy of the repository's clouds.yaml."""
    import pathlib

    tmp = tmp_path_factory.mktemp("cli")
    port, identity_port = _free_port(), _free_port()
    state = tmp / "state"
    conf_file = write_conf(tmp / "minova.conf", {"DEFAULT": {
        "state_path": state, "osapi_compute_listen_port": port, "osapi_compute_workers": 1,
        "identity_listen_port": identity_port}})
    clouds = (pathlib.Path(__file__).resolve().parent.parent / "clouds.yaml").read_text()
    assert "http://127.0.0.1:5000/v3" in clouds
    (tmp / "clouds.yaml").write_text(clouds.replace(":5000/", ":%d/" % identity_port))
    procs = Procs(tmp)
    procs.start("minova.cmd.all", conf_file)
    try:
        procs.wait_until(lambda: api_up("http://127.0.0.1:%d/v2.1" % port)
                         and api_up("http://127.0.0.1:%d/v3" % identity_port)
                         and _services_up(state / "minova.sqlite"), message="minova-all up")
        yield tmp
    finally:
        procs.stop_all()


def openstack(cloud_dir, *args: str) -> str:
    import os
    import shutil
    import subprocess
    import sys

    exe = shutil.which("openstack", path=os.path.dirname(sys.executable))
    proc = subprocess.run([exe, *args], cwd=cloud_dir, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, OS_CLOUD="minova"), check=False)
    assert proc.returncode == 0, "openstack %s:\n%s%s" % (" ".join(args), proc.stdout,
                                                          proc.stderr[-2000:])
    return proc.stdout


@pytest.mark.timeout(400)
def test_openstack_cli_with_clouds_yaml_creates_lists_shows_and_deletes(cli_cloud):
    assert "m1.tiny" in openstack(cli_cloud, "flavor", "list", "-f", "value", "-c", "Name")
    assert "cirros-0.3.2-x86_64-disk" in openstack(cli_cloud, "image", "list", "-f", "value")
    assert openstack(cli_cloud, "server", "create", "--flavor", "m1.tiny", "--image",
                     "cirros-0.3.2-x86_64-disk", "--wait", "cli-vm", "-f", "value",
                     "-c", "status").strip() == "ACTIVE"
    assert "cli-vm ACTIVE" in openstack(cli_cloud, "server", "list", "-f", "value",
                                        "-c", "Name", "-c", "Status")
    assert "'private': ['10.0." in openstack(cli_cloud, "server", "list", "--long", "-f",
                                             "value")
    assert openstack(cli_cloud, "server", "show", "cli-vm", "-f", "value",
                     "-c", "OS-EXT-STS:vm_state").strip() == "active"
    openstack(cli_cloud, "server", "set", "--property", "role=web", "cli-vm")  # metadata API
    assert "role" in openstack(cli_cloud, "server", "show", "cli-vm", "-f", "value",
                               "-c", "properties")
    # --wait polls until ACTIVE again; the answer itself shows REBUILD (as nova's did)
    assert "REBUILD" in openstack(cli_cloud, "server", "rebuild", "--image",
                                  "cirros-0.3.2-x86_64-disk", "--wait", "cli-vm", "-f",
                                  "value", "-c", "status")
    assert openstack(cli_cloud, "server", "show", "cli-vm", "-f", "value",
                     "-c", "status").strip() == "ACTIVE"
    events = openstack(cli_cloud, "server", "event", "list", "cli-vm", "-f", "value",
                       "-c", "Action")
    assert set(events.split()) >= {"create", "rebuild"}
    # os-getConsoleOutput: a call from the API worker to the compute service and back
    assert "LAST LINE" in openstack(cli_cloud, "console", "log", "show", "cli-vm")
    openstack(cli_cloud, "server", "delete", "--wait", "cli-vm")
    assert "cli-vm" not in openstack(cli_cloud, "server", "list", "-f", "value")


# A CLI call takes 1-3 s (python-openstackclient starts up each time): more than the
# default per-test timeout for a whole flow on a busy machine.
@pytest.mark.timeout(400)
def test_openstack_cli_pauses_unpauses_suspends_and_resumes(cli_cloud):
    """os-admin-actions: each a cast to the compute host; the CLI has no --wait for these."""
    openstack(cli_cloud, "server", "create", "--flavor", "m1.tiny", "--image",
              "cirros-0.3.2-x86_64-disk", "--wait", "cli-pause")
    for command, status in [("pause", "PAUSED"), ("unpause", "ACTIVE"),
                            ("suspend", "SUSPENDED"), ("resume", "ACTIVE")]:
        openstack(cli_cloud, "server", command, "cli-pause")
        wait_until(lambda: openstack(cli_cloud, "server", "show", "cli-pause", "-f", "value",
                                     "-c", "status").strip() == status,  # noqa: B023
                   timeout=60, interval=0.5,
                   message="cli-pause %s after server %s" % (status, command))
    events = openstack(cli_cloud, "server", "event", "list", "cli-pause", "-f", "value",
                       "-c", "Action")
    assert set(events.split()) >= {"create", "pause", "unpause", "suspend", "resume"}
    # createImage: the record is queued, the compute host "uploads", the CLI polls glance
    assert openstack(cli_cloud, "server", "image", "create", "--name", "cli-snap", "--wait",
                     "cli-pause", "-f", "value", "-c", "status").strip() == "active"
    assert "cli-snap" in openstack(cli_cloud, "image", "list", "-f", "value", "-c", "Name")
    openstack(cli_cloud, "image", "delete", "cli-snap")
    assert "cli-snap" not in openstack(cli_cloud, "image", "list", "-f", "value", "-c", "Name")
    openstack(cli_cloud, "server", "delete", "--wait", "cli-pause")


def test_openstack_cli_reads_zones_services_and_flavor_details(cli_cloud):
    assert "nova available" in openstack(cli_cloud, "availability", "zone", "list", "-f",
                                         "value")
    listed = openstack(cli_cloud, "--os-username", "admin", "compute", "service", "list",
                       "-f", "value", "-c", "Binary", "-c", "State")
    assert "minova-compute up" in listed and "minova-conductor up" in listed
    assert openstack(cli_cloud, "flavor", "show", "m1.tiny", "-f", "value",
                     "-c", "ram").strip() == "512"
    assert "128" in openstack(cli_cloud, "quota", "show", "--compute")  # metadata items


def test_openstack_cli_keypairs_and_a_server_with_a_key(cli_cloud, tmp_path):
    from test_extensions import PUBLIC_KEY

    (tmp_path / "id.pub").write_text(PUBLIC_KEY + "\n")
    openstack(cli_cloud, "keypair", "create", "--public-key", str(tmp_path / "id.pub"), "k1")
    assert "k1" in openstack(cli_cloud, "keypair", "list", "-f", "value", "-c", "Name")
    assert openstack(cli_cloud, "server", "create", "--flavor", "m1.tiny", "--image",
                     "cirros-0.3.2-x86_64-disk", "--key-name", "k1", "--property", "tier=web",
                     "--wait", "key-vm", "-f", "value", "-c", "key_name").strip() == "k1"
    assert "tier" in openstack(cli_cloud, "server", "show", "key-vm", "-f", "value",
                               "-c", "properties")
    openstack(cli_cloud, "server", "delete", "--wait", "key-vm")
    openstack(cli_cloud, "keypair", "delete", "k1")
    assert "k1" not in openstack(cli_cloud, "keypair", "list", "-f", "value")


# --- the nova CLI (python-novaclient 18: deprecated, still what many runbooks use) -----

def nova_cli(cloud_dir, *args: str, user: str = "demo") -> str:
    """``nova <args>`` configured the way its docs say: OS_* variables (it reads no clouds.yaml)."""
    import os
    import shutil
    import subprocess
    import sys

    import yaml

    auth = yaml.safe_load((cloud_dir / "clouds.yaml").read_text())["clouds"]["minova"]["auth"]
    env = dict(os.environ, OS_AUTH_URL=auth["auth_url"], OS_USERNAME=user, OS_PASSWORD="pw",
               OS_PROJECT_NAME="demo", OS_USER_DOMAIN_NAME="Default",
               OS_PROJECT_DOMAIN_NAME="Default")
    env.pop("OS_CLOUD", None)
    exe = shutil.which("nova", path=os.path.dirname(sys.executable))
    proc = subprocess.run([exe, *args], cwd=cloud_dir, capture_output=True, text=True,
                          timeout=120, env=env, check=False)
    assert proc.returncode == 0, "nova %s:\n%s%s" % (" ".join(args), proc.stdout,
                                                     proc.stderr[-2000:])
    return proc.stdout


def _nova_field(cloud_dir, server: str, field: str) -> str:
    for line in nova_cli(cloud_dir, "show", server).splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 2 and cells[1] == field:
            return cells[2]
    raise AssertionError("no %s in nova show %s" % (field, server))


@pytest.mark.timeout(400)
def test_nova_cli_boots_acts_on_and_deletes_a_server(cli_cloud):
    nova_cli(cli_cloud, "keypair-add", "nova-key")
    assert "nova-key" in nova_cli(cli_cloud, "keypair-list")
    assert "Finished" in nova_cli(cli_cloud, "boot", "--flavor", "m1.tiny", "--image",
                              "cirros-0.3.2-x86_64-disk", "--key-name", "nova-key",
                              "--meta", "role=db", "--poll", "nova-vm")
    assert re.search(r"\| nova-vm +\| ACTIVE", nova_cli(cli_cloud, "list"))
    assert _nova_field(cli_cloud, "nova-vm", "key_name") == "nova-key"
    assert "role" in _nova_field(cli_cloud, "nova-vm", "metadata")
    for command, status in [("pause", "PAUSED"), ("unpause", "ACTIVE")]:
        nova_cli(cli_cloud, command, "nova-vm")
        wait_until(lambda: _nova_field(cli_cloud, "nova-vm", "status") == status,  # noqa: B023
                   timeout=60, interval=0.5, message="nova-vm %s" % status)
    assert "Finished" in nova_cli(cli_cloud, "rebuild", "--poll", "nova-vm",
                              "cirros-0.3.2-x86_64-disk")
    assert "LAST LINE" in nova_cli(cli_cloud, "console-log", "nova-vm")
    assert "Finished" in nova_cli(cli_cloud, "image-create", "--poll", "nova-vm", "nova-snap")
    actions = nova_cli(cli_cloud, "instance-action-list", "nova-vm")
    assert all(name in actions for name in ("create", "pause", "unpause", "rebuild"))
    assert "nova | available" in nova_cli(cli_cloud, "availability-zone-list")
    assert "m1.tiny" in nova_cli(cli_cloud, "flavor-list")
    assert "m1.tiny" in nova_cli(cli_cloud, "flavor-show", "1")
    assert "metadata_items" in nova_cli(cli_cloud, "quota-show")
    assert "nova-compute" in nova_cli(cli_cloud, "service-list", user="admin")
    assert re.search(r"\| Instances +\| 1 +\| 10 ", nova_cli(cli_cloud, "limits"))
    assert re.search(r"\| up +\| enabled \|", nova_cli(cli_cloud, "hypervisor-list",
                                                       user="admin"))
    assert re.search(r"\| demo +\|", nova_cli(cli_cloud, "usage-list", user="admin"))
    nova_cli(cli_cloud, "delete", "nova-vm")
    wait_until(lambda: "nova-vm" not in nova_cli(cli_cloud, "list"), timeout=60, interval=0.5,
               message="nova-vm deleted")
    nova_cli(cli_cloud, "keypair-delete", "nova-key")


def test_openstack_cli_limits_show_absolute(cli_cloud):
    """GET /limits (Juno's core resource) with the os-used-limits keys."""
    absolute = openstack(cli_cloud, "limits", "show", "--absolute", "-f", "value").splitlines()
    # openstacksdk renames the keys: maxTotalInstances -> instances, totalRAMUsed -> total_ram_used
    assert {"instances 10", "server_meta 128", "total_cores 20", "instances_used 0",
            "total_ram_used 0"} <= set(absolute), absolute


def test_openstack_cli_hypervisor_list_as_admin(cli_cloud):
    """GET /os-hypervisors/detail: one fake hypervisor per compute host (admins only)."""
    listed = openstack(cli_cloud, "--os-username", "admin", "hypervisor", "list", "-f", "value",
                       "-c", "Hypervisor Type", "-c", "State")
    assert listed.splitlines() == ["fake up"]


def test_openstack_cli_usage_list_as_admin_and_usage_show(cli_cloud):
    """GET /os-simple-tenant-usage?start=&end=&detailed=... (list: admins; show: the project)."""
    import json

    assert openstack(cli_cloud, "server", "create", "--flavor", "m1.tiny", "--image",
                     "cirros-0.3.2-x86_64-disk", "--wait", "usage-vm", "-f", "value",
                     "-c", "status").strip() == "ACTIVE"
    try:
        listed = json.loads(openstack(cli_cloud, "--os-username", "admin", "usage", "list",
                                      "-f", "json"))
        assert listed and all("RAM MB-Hours" in usage for usage in listed), listed
        shown = openstack(cli_cloud, "usage", "show", "-f", "value", "-c", "Servers")
        assert "name=usage-vm" in shown and "flavor=m1.tiny" in shown, shown
    finally:
        openstack(cli_cloud, "server", "delete", "--wait", "usage-vm")


# --- Juno's keystone pipeline: keystonemiddleware's auth_token against the identity stand-in

@pytest.mark.timeout(400)
def test_keystone_pipeline_validates_tokens_with_keystonemiddleware(tmp_path):
    """auth_strategy = keystone: api-paste.ini's ``keystone`` line (authtoken, keystonecontext).

    auth_token asks the identity stand-in (``GET /v3/auth/tokens``) about every new
    token, with its own service credentials from ``[keystone_authtoken]``, and passes
    the user, project and roles on as headers for NovaKeystoneContext.
    """
    pytest.importorskip("keystonemiddleware", reason="pip install keystonemiddleware")
    import pathlib
    import urllib.request

    port, identity_port = _free_port(), _free_port()
    state = tmp_path / "state"
    identity = "http://127.0.0.1:%d/v3" % identity_port
    conf_file = write_conf(tmp_path / "minova.conf", {
        "DEFAULT": {"state_path": state, "osapi_compute_listen_port": port,
                    "osapi_compute_workers": 1, "identity_listen_port": identity_port,
                    "auth_strategy": "keystone"},
        "keystone_authtoken": {"auth_type": "password", "auth_url": identity,
                               "www_authenticate_uri": identity, "username": "nova",
                               "password": "nova", "project_name": "service",
                               "user_domain_name": "Default",
                               "project_domain_name": "Default"}})
    clouds = (pathlib.Path(__file__).resolve().parent.parent / "clouds.yaml").read_text()
    (tmp_path / "clouds.yaml").write_text(clouds.replace(":5000/", ":%d/" % identity_port))
    procs = Procs(tmp_path)
    procs.start("minova.cmd.all", conf_file)
    try:
        procs.wait_until(lambda: api_up("http://127.0.0.1:%d/v2.1" % port)
                         and api_up(identity) and _services_up(state / "minova.sqlite"),
                         message="minova-all up")
        assert openstack(tmp_path, "server", "create", "--flavor", "m1.tiny", "--image",
                         "cirros-0.3.2-x86_64-disk", "--wait", "ks-vm", "-f", "value",
                         "-c", "status").strip() == "ACTIVE"
        assert "ks-vm" in openstack(tmp_path, "server", "list", "-f", "value", "-c", "Name")
        # the context came from auth_token's headers: the user the token was issued to
        assert openstack(tmp_path, "server", "show", "ks-vm", "-f", "value",
                         "-c", "user_id").strip() == "demo"
        # a token the identity service does not know: auth_token answers 401 itself
        request = urllib.request.Request("http://127.0.0.1:%d/v2.1/servers" % port,
                                          headers={"X-Auth-Token": "bogus"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 401
        assert "WWW-Authenticate" in refused.value.headers
        openstack(tmp_path, "server", "delete", "--wait", "ks-vm")
    finally:
        procs.stop_all()
