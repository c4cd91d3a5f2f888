"""The ``minova-all`` command: the API, the conductor and the compute service under ONE launcher.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/cmd/all.py
Now: removed in 32.0.0 (with the other eventlet WSGI entry points)

Every service is a forked child of one ProcessLauncher, so they talk over the
transport exactly as separate processes would: with the default
``transport_url`` (filesystem://) that needs no broker at all.
"""

from __future__ import annotations

import logging
import sys

from oslo_config import cfg

from minova import config, identity, service  # noqa: F401  (identity: the stand-in's options)
from minova.cmd.api import LOG_DATE_FORMAT, LOG_FORMAT

CONF = cfg.CONF
CONF.import_opt("topic", "minova.conductor.api", group="conductor")
LOG = logging.getLogger(__name__)


def main() -> None:
    config.parse_args(sys.argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=LOG_FORMAT,
                        datefmt=LOG_DATE_FORMAT)
    LOG.warning("minova-all is best used for testing and development only")
    launcher = service.process_launcher()

    for api in CONF.enabled_apis:
        try:
            server = service.WSGIService(api, use_ssl=api in CONF.enabled_ssl_apis)
            launcher.launch_service(server, workers=server.workers or 1)
        except (Exception, SystemExit):
            LOG.exception("Failed to load %s-api", api)

    # NOVA-DIFF: not nova's: the identity stand-in (minova/identity.py), so that
    # clients configured with a password (clouds.yaml) can log in.
    if CONF.identity_in_all:
        try:
            server = service.WSGIService("identity")
            launcher.launch_service(server, workers=server.workers or 1)
        except (Exception, SystemExit):
            LOG.exception("Failed to load the identity stand-in")

    # NOVA-DIFF: Juno also starts nova-network, nova-scheduler and nova-cert
    # here; minova has none of those services.
    for binary in ("minova-compute", "minova-conductor"):
        # As in Juno: conductor keeps its options in [conductor] (conductor/api.py),
        # the others in DEFAULT, so conductor is special-cased here.
        if binary == "minova-conductor":
            topic, manager = CONF.conductor.topic, CONF.conductor.manager
        else:
            topic, manager = None, None
        try:
            launcher.launch_service(service.Service.create(
                binary=binary, topic=topic, manager=manager))
        except (Exception, SystemExit):
            LOG.exception("Failed to load %s", binary)
    launcher.wait()


if __name__ == "__main__":
    main()
