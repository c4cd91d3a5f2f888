"""Transitional states: what is happening to an instance right now (None when idle).

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/compute/task_states.py
Now: nova/compute/task_states.py
"""

SCHEDULING = "scheduling"
BLOCK_DEVICE_MAPPING = "block_device_mapping"
NETWORKING = "networking"
SPAWNING = "spawning"

REBOOTING = "rebooting"
REBOOT_PENDING = "reboot_pending"
REBOOT_STARTED = "reboot_started"
REBOOTING_HARD = "rebooting_hard"
REBOOT_PENDING_HARD = "reboot_pending_hard"
REBOOT_STARTED_HARD = "reboot_started_hard"

POWERING_OFF = "powering-off"
POWERING_ON = "powering-on"

IMAGE_SNAPSHOT = "image_snapshot"
IMAGE_SNAPSHOT_PENDING = "image_snapshot_pending"
IMAGE_PENDING_UPLOAD = "image_pending_upload"
IMAGE_UPLOADING = "image_uploading"

PAUSING = "pausing"
UNPAUSING = "unpausing"
SUSPENDING = "suspending"
RESUMING = "resuming"

REBUILDING = "rebuilding"
REBUILD_SPAWNING = "rebuild_spawning"
RESIZE_PREP = "resize_prep"
MIGRATING = "migrating"

DELETING = "deleting"
