"""``python -m topcli`` runs the same entry point as the ``topcli`` script."""

from topcli.cli import main

if __name__ == "__main__":
    main()
