"""The web app (FastAPI): preview workbench and archive. ``create_app(cfg, store=None)``."""

from digest.web.app import create_app

__all__ = ["create_app"]
