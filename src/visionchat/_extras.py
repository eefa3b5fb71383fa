"""The named error for a part of visionchat whose optional dependencies are not installed.

The base install is the blocking client and the models; `visionchat[aiohttp]` adds
`AsyncVisionChat` and `visionchat[server]` the reference server (and `visionchat serve`
and `demo`). Each part checks its own imports, so the message names the line to run.
"""

from __future__ import annotations


def missing_extra(part: str, extra: str, exc: ModuleNotFoundError) -> ImportError:
    """The `ImportError` for `part`, whose extra `extra` is missing (`exc` says which module)."""
    return ImportError(
        f"{part} needs {exc.name or 'a package'} from the '{extra}' extra, which is not "
        f"installed: pip install 'visionchat[{extra}]'",
        name=exc.name,
    )
