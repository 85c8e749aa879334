"""Recipes: each adds routes, functions and overrides for one area (session, emailpassword, ...)."""
