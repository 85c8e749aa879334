"""Email delivery of emailpassword: the password reset email."""
