"""Client, resource, session, stream and paging logic; `_async` is written by hand, `_sync` generated from it."""
