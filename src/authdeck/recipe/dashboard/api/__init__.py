"""The dashboard's API handlers, one module per route group; the guard in ``_guard`` runs before each."""
