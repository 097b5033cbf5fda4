"""``python -m consult``: the same as the ``consult`` command."""

import sys

from consult.cli import main

if __name__ == "__main__":  # not when a process of its own imports it (the form press)
    sys.exit(main())
