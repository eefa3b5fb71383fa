# Generated from src/visionchat/_async/__init__.py by tools/gen_sync.py: do not edit; edit the async source.
"""Client, resource, session, stream and paging logic; `_async` is written by hand, `_sync` generated from it."""
