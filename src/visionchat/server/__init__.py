"""The visionchat reference server: the whole Chat API v2 on aiohttp and SQLite.

Runs with no account and no network, so the SDK's demo, CLI and tests can talk to a
real HTTP server. Start it in-process with :class:`ReferenceServer`, embed the app
with :func:`create_app`, or run ``python -m visionchat.server``.
"""

from .._extras import missing_extra

try:
    import aiohttp  # noqa: F401  (checked first, so a base install gets the named error)
except ModuleNotFoundError as exc:
    raise missing_extra("the reference server", "server", exc) from exc

from .app import DEMO_API_KEY, DEMO_TENANT, create_app
from .connections import ConnectionLimits
from .faults import FaultInjector, FaultRule, FaultsDisabledError
from .runner import ReferenceServer, serve

__all__ = [
    "DEMO_API_KEY",
    "DEMO_TENANT",
    "ConnectionLimits",
    "FaultInjector",
    "FaultRule",
    "FaultsDisabledError",
    "ReferenceServer",
    "create_app",
    "serve",
]
