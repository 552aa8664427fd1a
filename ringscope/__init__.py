"""ringscope: finds organised fraud rings in medical-insurance (医保) claims.

This small folder is the home of what belongs to no single area of the design
card's layout (``ingest/``, ``graph/``, ``communities/``, ``dashboard/``,
``cypher/``): the command line, the settings table and the one base exception.
The areas themselves are mapped in as ``ringscope.ingest``, ``ringscope.graph``,
... by ``pyproject.toml``, so nothing claims generic names like ``graph`` in
site-packages.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
