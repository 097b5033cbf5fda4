"""The frozen program's entry point: the same as the ``consult`` command."""

import sys

from consult.cli import main

if __name__ == "__main__":
    sys.exit(main())
