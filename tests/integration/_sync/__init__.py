# Generated from tests/integration/_async/__init__.py by tools/gen_sync.py: do not edit; edit the async source.
