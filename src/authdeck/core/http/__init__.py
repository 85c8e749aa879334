"""The core's HTTP endpoints, one module per recipe: parse the request, call the service, shape the reply.

Each module exposes ``ROUTES``; ``authdeck.core.app`` collects them.
"""
