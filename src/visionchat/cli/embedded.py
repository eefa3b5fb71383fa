"""Where the commands connect: the given URL and key, else the embedded reference server."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._config import ENV_API_KEY, ENV_BASE_URL
from .._sync._client import VisionChat
from .output import Console

if TYPE_CHECKING:
    from .._async._client import AsyncVisionChat

#: Token delay of the embedded server for interactive use: streaming stays visible.
INTERACTIVE_TOKEN_DELAY = 0.01


@dataclass(frozen=True)
class Endpoint:
    """A base URL and key (None: the SDK's own defaults apply), and whether it is embedded."""

    base_url: str | None
    api_key: str | None
    embedded: bool = False

    def client(self) -> VisionChat:
        """A blocking client for this endpoint."""
        return VisionChat(self.api_key, base_url=self.base_url)

    def async_client(self) -> AsyncVisionChat:
        """An asyncio client for this endpoint."""
        from .._async._client import AsyncVisionChat

        return AsyncVisionChat(self.api_key, base_url=self.base_url)


@contextmanager
def embedded_server(console: Console, *, token_delay: float = 0.0) -> Iterator[Endpoint]:
    """Start the reference server in-process on a free loopback port, with temporary data."""
    from ..server import ReferenceServer  # imported only when needed: it pulls in aiohttp

    with ReferenceServer(token_delay=token_delay) as server:
        console.note(
            f"Started the embedded reference server on {server.base_url} "
            "(temporary data, stops when this command ends)."
        )
        yield Endpoint(server.base_url, server.api_key, embedded=True)


@contextmanager
def connect(
    console: Console,
    base_url: str | None = None,
    api_key: str | None = None,
    *,
    token_delay: float = 0.0,
) -> Iterator[Endpoint]:
    """The endpoint from arguments or the environment; with neither, the embedded server.
    A URL without a key is refused here, in the command's own words (`--api-key`)."""
    url = base_url or os.environ.get(ENV_BASE_URL) or None
    key = api_key or os.environ.get(ENV_API_KEY) or None
    if url is not None and key is None:
        raise ValueError(f"no API key for {url}: pass --api-key KEY or set {ENV_API_KEY}")
    if url is not None or key is not None:
        yield Endpoint(url, key)
        return
    console.note(f"No --base-url/--api-key and no {ENV_BASE_URL}/{ENV_API_KEY} set.")
    with embedded_server(console, token_delay=token_delay) as endpoint:
        yield endpoint


def add_token_delay_argument(parser: argparse.ArgumentParser) -> None:
    """`--token-delay`: the embedded server's pause between streamed tokens."""
    parser.add_argument(
        "--token-delay",
        type=float,
        default=INTERACTIVE_TOKEN_DELAY,
        metavar="S",
        help="seconds between streamed tokens on the embedded server "
        f"(default {INTERACTIVE_TOKEN_DELAY}: visible streaming)",
    )


def token_delay(args: argparse.Namespace) -> float:
    """The `--token-delay` given, refused when negative."""
    if args.token_delay < 0:
        raise ValueError("--token-delay must be >= 0")
    return float(args.token_delay)


def add_endpoint_arguments(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """`--base-url` and `--api-key`; `nested` ones (on a sub-subcommand) never reset the outer."""
    default = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help=f"API base URL (default: ${ENV_BASE_URL}, else the embedded server)",
    )
    parser.add_argument(
        "--api-key",
        default=default,
        metavar="KEY",
        help=f"API key (default: ${ENV_API_KEY}, else the embedded server's)",
    )
