"""The built-in password reset email (HTML; every value is escaped)."""

from __future__ import annotations

from html import escape
from string import Template

from authdeck._supertokens import Authdeck
from authdeck.ingredients.emaildelivery.types import EmailContent
from authdeck.recipe.emailpassword.types import EmailTemplateVars

SUBJECT = "Password reset instructions"

TEMPLATE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: system-ui, sans-serif; color: #222; max-width: 560px; margin: 0 auto; padding: 24px;">
  <h1 style="font-size: 20px;">Reset your ${appname} password</h1>
  <p>Someone asked to reset the password of the ${appname} account for ${toEmail}.</p>
  <p><a href="${resetLink}" style="display: inline-block; padding: 10px 18px; background: #1a73e8;
     color: #fff; text-decoration: none; border-radius: 6px;">Choose a new password</a></p>
  <p>Or open this link: <br><span style="word-break: break-all;">${resetLink}</span></p>
  <p style="color: #666; font-size: 13px;">The link works once and expires soon. If you did not ask for this,
     ignore this email: your password stays as it is.</p>
</body>
</html>
"""
)


def get_password_reset_email_html(app_name: str, email: str, reset_link: str) -> str:
    return TEMPLATE.substitute(
        subject=escape(SUBJECT), appname=escape(app_name), toEmail=escape(email), resetLink=escape(reset_link)
    )


def get_password_reset_email_content(template_vars: EmailTemplateVars) -> EmailContent:
    app_name = Authdeck.get_instance().app_info.app_name
    body = get_password_reset_email_html(app_name, template_vars.user.email, template_vars.password_reset_link)
    return EmailContent(body=body, subject=SUBJECT, to_email=template_vars.user.email, is_html=True)
