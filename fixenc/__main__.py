"""``python -m fixenc``: the same as the ``fixenc`` command."""

from fixenc.cli import main

raise SystemExit(main())
