"""The services the UI and the CLI call: one unit of work per user action."""

from consult.store.services.context import ServiceContext

__all__ = ["ServiceContext"]
