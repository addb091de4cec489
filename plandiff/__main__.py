"""``python -m plandiff``: the same CLI as the ``plandiff`` command."""

from plandiff.cli import main

if __name__ == "__main__":
    main()
