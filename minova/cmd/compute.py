"""The ``minova-compute`` command: one RPC service on ``compute`` and ``compute.<host>``.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/cmd/compute.py
Now: nova/cmd/compute.py
"""

from __future__ import annotations

import logging
import sys

from oslo_config import cfg

from minova import config, service
from minova.cmd.api import LOG_DATE_FORMAT, LOG_FORMAT

CONF = cfg.CONF
CONF.import_opt("compute_topic", "minova.compute.rpcapi")


def main() -> None:
    config.parse_args(sys.argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=LOG_FORMAT,
                        datefmt=LOG_DATE_FORMAT)
    # (Juno also installs a guard that forbids direct DB access from compute
    # unless [conductor] use_local; minova's compute writes the DB itself.)
    server = service.Service.create(binary="minova-compute", topic=CONF.compute_topic)
    service.serve(server)
    service.wait()


if __name__ == "__main__":
    main()
