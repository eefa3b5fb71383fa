"""Write an export to a file as it arrives, so its size never matters."""

from __future__ import annotations

import os
from pathlib import Path

from .._endpoints import check_export
from ._transport import AsyncReply


async def write_export(response: AsyncReply, path: Path) -> None:
    """Stream the body into `path` via a temporary file, so a failure leaves no half file."""
    partial = path.with_name(path.name + ".part")
    try:
        first = await response.next_chunk()
        check_export(response.status, response.headers, first[:256])
        with partial.open("wb") as out:
            chunk = first
            while chunk:
                out.write(chunk)
                chunk = await response.next_chunk()
        os.replace(partial, path)
    finally:
        await response.close()
        partial.unlink(missing_ok=True)
