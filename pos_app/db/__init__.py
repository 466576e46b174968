"""Engine and session factory (``engine``), the tables (``tables``) and the typed SQLAlchemy
models (``models``). No business rules live here. Nothing is imported here, so that a command
needing only Core tables never imports the ORM."""
