"""The audit log for the owner: filters, lazy paging, each entry's details."""

from pos_app.ui.audit.screen import AuditScreen

__all__ = ["AuditScreen"]
