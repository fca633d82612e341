"""``python -m gutkg``: the command line, as ``gutkg``."""

from gutkg.cli import main

if __name__ == "__main__":
    main()
