"""Till: a desktop point-of-sale and store-management application."""

__version__ = "0.1.0"
