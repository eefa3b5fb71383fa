# Generated from src/visionchat/_async/_export.py by tools/gen_sync.py: do not edit; edit the async source.
"""Write an export to a file as it arrives, so its size never matters."""

from __future__ import annotations

import os
from pathlib import Path

from .._endpoints import check_export
from ._transport import SyncReply


def write_export(response: SyncReply, path: Path) -> None:
    """Stream the body into `path` via a temporary file, so a failure leaves no half file."""
    partial = path.with_name(path.name + ".part")
    try:
        first = response.next_chunk()
        check_export(response.status, response.headers, first[:256])
        with partial.open("wb") as out:
            chunk = first
            while chunk:
                out.write(chunk)
                chunk = response.next_chunk()
        os.replace(partial, path)
    finally:
        response.close()
        partial.unlink(missing_ok=True)
