"""What the hypervisor reports about a domain (an int; the API shows it as-is).

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/compute/power_state.py
Now: nova/compute/power_state.py
"""

NOSTATE = 0x00
RUNNING = 0x01
PAUSED = 0x03
SHUTDOWN = 0x04  # the VM is powered off
CRASHED = 0x06
SUSPENDED = 0x07

STATE_MAP = {
    NOSTATE: "pending",
    RUNNING: "running",
    PAUSED: "paused",
    SHUTDOWN: "shutdown",
    CRASHED: "crashed",
    SUSPENDED: "suspended",
}
