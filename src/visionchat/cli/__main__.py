"""`python -m visionchat.cli`: the same as the `visionchat` command."""

from __future__ import annotations

from . import main

raise SystemExit(main())
