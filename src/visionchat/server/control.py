"""``/_control/faults``: set fault rules over HTTP (only when faults are enabled)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .errors import validation_error
from .state import state_of
from .validation import json_object

routes = web.RouteTableDef()


@routes.get("/_control/faults")
async def list_faults(request: web.Request) -> web.Response:
    """The active rules."""
    return web.json_response({"rules": [r.as_dict() for r in state_of(request).faults.rules]})


@routes.post("/_control/faults")
async def add_faults(request: web.Request) -> web.Response:
    """Add one rule ``{kind, path?, method?, count?, path_regex?, ...params}`` or ``{rules: [...]}``."""
    body = await json_object(request)
    specs: list[Any] = body["rules"] if isinstance(body.get("rules"), list) else [body]
    added = []
    for spec in specs:
        if not isinstance(spec, dict) or not isinstance(spec.get("kind"), str):
            raise validation_error(("body", "kind"), "Field required", "missing")
        options = dict(spec)
        kind = options.pop("kind")
        count = options.pop("count", 1)
        if not isinstance(count, int):
            raise validation_error(("body", "count"), "Input should be a valid integer", "int_type")
        try:
            rule = state_of(request).faults.add(
                kind,
                path=options.pop("path", None),
                method=options.pop("method", None),
                count=count,
                path_regex=bool(options.pop("path_regex", False)),
                **options,
            )
        except (ValueError, TypeError) as exc:
            raise validation_error(("body",), str(exc), "value_error") from None
        added.append(rule.as_dict())
    return web.json_response({"rules": added}, status=201)


@routes.delete("/_control/faults")
async def clear_faults(request: web.Request) -> web.Response:
    """Remove every rule."""
    state_of(request).faults.clear()
    return web.json_response({"cleared": True})
