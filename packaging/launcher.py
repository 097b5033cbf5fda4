"""The frozen program's entry point: the same as the ``consult`` command."""

import multiprocessing
import sys

from consult.cli import main

if __name__ == "__main__":
    # The form press (consult.proof.press) is a process of its own: in the frozen
    # program it starts as this executable, which must then run the press, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
