"""The HTTP transports: `_aiohttp` (async) and `_requests` (sync), hand-written twins.

Deliberately imports nothing, so that the sync side never pulls in aiohttp.
"""
