"""Signals that let apps add to a shared step without the step importing them."""

from django.dispatch import Signal

# Sent by `hamafza demo` once the demo network exists, with `organisations` (a dict of
# slug -> Organisation), `admin` (the demo network admin) and `stdout`. Feature apps add
# their own demo data in a receiver.
demo_network_loaded = Signal()
