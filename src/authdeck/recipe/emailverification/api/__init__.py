"""The routes email verification serves, plus the default APIImplementation."""
