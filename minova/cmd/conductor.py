"""The ``minova-conductor`` command: one RPC service on topic ``conductor``.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/cmd/conductor.py
Now: nova/cmd/conductor.py
"""

from __future__ import annotations

import logging
import sys

from oslo_config import cfg

from minova import config, service
from minova.cmd.api import LOG_DATE_FORMAT, LOG_FORMAT

CONF = cfg.CONF
CONF.import_opt("topic", "minova.conductor.api", group="conductor")


def main() -> None:
    """Juno: nova/cmd/conductor.py:34-47."""
    config.parse_args(sys.argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=LOG_FORMAT,
                        datefmt=LOG_DATE_FORMAT)
    server = service.Service.create(binary="minova-conductor", topic=CONF.conductor.topic,
                                    manager=CONF.conductor.manager)
    # NOVA-DIFF: [conductor] workers defaults to 1, not one per CPU.
    service.serve(server, workers=CONF.conductor.workers)
    service.wait()


if __name__ == "__main__":
    main()
