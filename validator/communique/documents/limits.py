"""What a record file may not exceed: bounds that keep hostile input from exhausting
memory, the stack or the time of a run, shared by every reader."""

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 200
# libyaml's composer is safe well beyond this; deeper candidates get an exact event scan first.
COMPOSER_SAFE_DEPTH = 2000
MAX_EXPANDED_NODES = 100_000
MAX_INT_DIGITS = 4300  # Python's own limit on int() of a decimal string
