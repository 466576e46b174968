"""Engine, session factory and the typed SQLAlchemy models. No business rules live here."""

from pos_app.db.engine import Database, create_database
from pos_app.db.models import Base

__all__ = ["Base", "Database", "create_database"]
