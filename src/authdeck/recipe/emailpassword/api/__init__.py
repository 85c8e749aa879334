"""The routes emailpassword serves: one module per route group, plus the default APIImplementation."""
