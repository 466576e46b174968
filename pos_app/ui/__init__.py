"""The Qt user interface. It talks to services only, never to SQLAlchemy."""
