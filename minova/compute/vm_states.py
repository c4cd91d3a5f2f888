"""The stable states an instance can be in (what the user sees, roughly).

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/compute/vm_states.py
Now: nova/compute/vm_states.py
"""

ACTIVE = "active"            # VM is running
BUILDING = "building"        # VM only exists in DB
PAUSED = "paused"
SUSPENDED = "suspended"      # VM is suspended to disk
STOPPED = "stopped"          # VM is powered off, the disk image is still there
RESCUED = "rescued"
RESIZED = "resized"
SOFT_DELETED = "soft-delete"
DELETED = "deleted"          # VM is permanently deleted
ERROR = "error"
SHELVED = "shelved"
SHELVED_OFFLOADED = "shelved_offloaded"

# Which states allow which actions (Juno: the same names in this module).
ALLOW_SOFT_REBOOT = [ACTIVE]
ALLOW_HARD_REBOOT = ALLOW_SOFT_REBOOT + [STOPPED, PAUSED, SUSPENDED, ERROR]
