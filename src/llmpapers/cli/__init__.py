"""The ``llmpapers`` command line: a thin shell of click commands, each over one library function.

``app`` holds the group, the error-to-exit-code wrapper and shared options; each other module registers
the commands of one stage on ``main`` when imported:

- ``database``: ``validate``, ``fmt``, ``schema``
- ``ingest``: ``import awesome``, ``import bibtex``
- ``identity``: ``dedupe``, ``categorize``
- ``curate``: ``add``, ``stats``
- ``publish``: ``export``
- ``site``: ``build``, ``serve``
- ``resolve``: ``resolve``, ``check`` (the only commands that use the network)
"""

from . import curate, database, identity, ingest, publish, resolve, site  # noqa: F401  (each registers its commands)
from .app import main

__all__ = ["main"]
