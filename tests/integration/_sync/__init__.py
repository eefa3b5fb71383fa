# Generated from tests/integration/_async/__init__.py by tools/unasync.py: do not edit; edit the async source.
