"""`python -m manna` is the `manna` command."""

import sys

from manna.cli import main

sys.exit(main())
