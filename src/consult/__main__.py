"""``python -m consult``: the same as the ``consult`` command."""

import sys

from consult.cli import main

sys.exit(main())
