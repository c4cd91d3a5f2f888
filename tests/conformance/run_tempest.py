"""Nova's own API tests (tempest) against a running minova-all: ``./course conformance``.

Installs tempest into its own virtual environment (.venv-tempest) when missing,
starts minova-all on free ports with a fresh state folder (its identity stand-in
answers tempest's logins), writes tempest.conf and a pre-provisioned accounts
file, runs a slice of tempest.api.compute serially, prints passed / failed /
skipped with the failures grouped by cause, and exits non-zero on a failure.

Every switch in [compute-feature-enabled] and [service_available] below states
a real gap of minova; a skipped test is one of those, never a hidden failure.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPEST = "tempest==47.0.0"
VENV = ROOT / ".venv-tempest"

# The slice: servers (create, list, list filters, negative, update, metadata,
# instance actions, delete), flavors, images, versions.
SLICE = (r"^tempest\.api\.compute\.("
         r"servers\.test_create_server\.|servers\.test_list_server_filters\.|"
         r"servers\.test_list_servers_negative\.|servers\.test_servers\.|"
         r"servers\.test_servers_negative\.|servers\.test_server_metadata|"
         r"servers\.test_instance_actions|servers\.test_delete_server\.|"
         r"flavors\.|images\.|test_versions\.)")

# What minova does not serve (yet): each line is a gap, each False skips its tests.
FEATURES_OFF = {
    "resize": "no resize/confirmResize", "cold_migration": "no migrations",
    "live_migration": "no migrations", "change_password": "no changePassword",
    "shelve": "no shelve",
    "rescue": "no rescue", "interface_attach": "no os-interface",
    "vnc_console": "no consoles", "spice_console": "no consoles",
    "serial_console": "no consoles", "rdp_console": "no consoles",
    "metadata_service": "no metadata service", "personality": "files are ignored",
    "config_drive": "no config drive", "lock": "no lock/unlock",
    "block_migration_for_live_migration": "no migrations",
    "attach_encrypted_volume": "no volumes", "swap_volume": "no volumes",
    "volume_multiattach": "no volumes", "disk_config": "diskConfig is always MANUAL",
    "nova_cert": "no nova-cert", "preserve_ports": "no neutron",
    "hostname_fqdn_sanitization": "2.1 only",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_tempest() -> pathlib.Path:
    tempest = VENV / "bin" / "tempest"
    if not tempest.exists():
        print("[conformance] installing %s into %s" % (TEMPEST, VENV.name), flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", TEMPEST], check=True)
    return tempest


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("minova-all exited with status %s" % proc.returncode)
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("minova-all did not answer at %s" % url)


def tempest_conf(identity_port: int) -> str:
    off = "\n".join("%s = False" % key for key in sorted(FEATURES_OFF))
    return """[DEFAULT]
log_file = tempest.log

[auth]
use_dynamic_credentials = False
test_accounts_file = etc/accounts.yaml
default_credentials_domain_name = Default
create_isolated_networks = False

[identity]
uri_v3 = http://127.0.0.1:%(port)d/v3
auth_version = v3
region = RegionOne

[identity-feature-enabled]
api_v2 = False
api_v3 = True

[compute]
image_ref = 155d900f-4e14-4e4c-a73d-069cbf4541e6
image_ref_alt = 155d900f-4e14-4e4c-a73d-069cbf4541e6
flavor_ref = 1
flavor_ref_alt = 2
min_microversion = 2.1
max_microversion = 2.1
build_timeout = 60
build_interval = 1
region = RegionOne

[compute-feature-enabled]
%(off)s

[service_available]
nova = True
glance = False
neutron = True
cinder = False
swift = False
horizon = False

[validation]
run_validation = False

[image-feature-enabled]
api_v1 = False
api_v2 = True
""" % {"port": identity_port, "off": off}


ACCOUNTS = """- username: tempest-primary
  project_name: tempest-project
  password: secret
  roles: [member]
- username: tempest-alt
  project_name: tempest-alt-project
  password: secret
  roles: [member]
- username: tempest-reader
  project_name: tempest-project
  password: secret
  roles: [reader]
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regex", default=SLICE, help="which tempest tests (default: the slice)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    tempest = ensure_tempest()
    import tempfile

    work = pathlib.Path(tempfile.mkdtemp(prefix="minova-conformance-"))
    port, identity_port = free_port(), free_port()
    (work / "minova.conf").write_text(
        "[DEFAULT]\nstate_path = %s\nosapi_compute_listen_port = %d\n"
        "identity_listen_port = %d\nosapi_compute_workers = 2\n"
        % (work / "state", port, identity_port))
    log = open(work / "minova-all.log", "wb")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "minova.cmd.all", "--config-file",
                             str(work / "minova.conf")], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=str(work), start_new_session=True)
    try:
        wait_up("http://127.0.0.1:%d/v2.1/" % port, proc)
        wait_up("http://127.0.0.1:%d/v3" % identity_port, proc)
        time.sleep(2)  # the compute service registers itself
        # its own workspace file: nothing is registered in the user's ~/.tempest
        subprocess.run([str(tempest), "init", "--name", work.name, "--workspace-path",
                        str(work / "workspace.yaml"), str(work / "tempest")], check=True,
                       capture_output=True)
        (work / "tempest" / "etc" / "tempest.conf").write_text(tempest_conf(identity_port))
        (work / "tempest" / "etc" / "accounts.yaml").write_text(ACCOUNTS)
        print("[conformance] minova-all on :%d (identity :%d); tempest in %s" % (
            port, identity_port, work / "tempest"), flush=True)
        run = subprocess.run([str(tempest), "run", "--serial", "--regex", args.regex],
                             cwd=work / "tempest", capture_output=True, text=True,
                             timeout=3600)
        (work / "tempest-run.txt").write_text(run.stdout + run.stderr)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    output = run.stdout + run.stderr
    failed = re.findall(r"\{\d+\} (\S+) \[[^]]*\] \.\.\. FAILED", output)
    skipped = re.findall(r"\{\d+\} (.+?) \.\.\. SKIPPED: (.*)", output)  # tests and classes
    totals = {k: int(v) for k, v in re.findall(r"- (Passed|Failed|Skipped): (\d+)", output)}
    print("[conformance] passed %s, failed %s, skipped %s (of %s)" % (
        totals.get("Passed", 0), totals.get("Failed", 0), totals.get("Skipped", 0),
        sum(totals.values())))
    reasons = collections.Counter(reason.strip() for _name, reason in skipped)
    for reason, count in reasons.most_common():
        print("  skipped %3d x: %s" % (count, reason[:150]))
    for name in failed:
        print("  FAILED %s" % name)
    print("[conformance] full output: %s" % (work / "tempest-run.txt"))
    return 0 if run.returncode == 0 and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
