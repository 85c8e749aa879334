"""authdeck: self-hosted authentication for Python apps, built around a user management dashboard."""

__all__: list[str] = []
