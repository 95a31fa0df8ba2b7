"""digest: an evening news digest, from feeds to one email per subscriber."""

__version__ = "0.1.0"
