"""Cryptography of the core: password hashing, token hashing and signing keys."""
