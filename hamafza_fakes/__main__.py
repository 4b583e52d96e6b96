"""`python -m hamafza_fakes kavenegar [options]`: run a fake for a demo."""

import sys

from . import kavenegar

SERVERS = {"kavenegar": kavenegar.main}

if len(sys.argv) < 2 or sys.argv[1] not in SERVERS:
    sys.exit(f"usage: python -m hamafza_fakes {{{'|'.join(SERVERS)}}} [options]")
SERVERS[sys.argv[1]](sys.argv[2:])
