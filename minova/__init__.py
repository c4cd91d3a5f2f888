"""minova: OpenStack nova-api (Juno, 2014.2) rebuilt layer by layer, small enough to read.

The package mirrors nova's module paths and class names for everything the
nova-api article walks through, so that ``minova/wsgi.py`` can be read beside
``nova/wsgi.py``.  Teaching helpers (source viewer, diagrams, exercise checker,
doctor) live apart, in :mod:`minova.course`.
"""

__version__ = "0.1.0"
