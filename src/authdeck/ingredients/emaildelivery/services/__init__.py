"""Email services shared by the recipes: SMTP delivery and the development default that logs links."""
