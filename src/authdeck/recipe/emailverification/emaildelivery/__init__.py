"""Email delivery of email verification: the verification email."""
