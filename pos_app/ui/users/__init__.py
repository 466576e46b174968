"""The users screen (owners): accounts, roles, deactivation and password resets."""

from pos_app.ui.users.screen import UsersScreen

__all__ = ["UsersScreen"]
