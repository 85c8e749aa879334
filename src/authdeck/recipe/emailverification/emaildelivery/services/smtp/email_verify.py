"""The built-in verification email (HTML; every value is escaped)."""

from __future__ import annotations

from html import escape
from string import Template

from authdeck._supertokens import Authdeck
from authdeck.ingredients.emaildelivery.types import EmailContent
from authdeck.recipe.emailverification.types import EmailTemplateVars

SUBJECT = "Email verification instructions"

TEMPLATE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: system-ui, sans-serif; color: #222; max-width: 560px; margin: 0 auto; padding: 24px;">
  <h1 style="font-size: 20px;">Verify your email for ${appname}</h1>
  <p>Please confirm that ${toEmail} is your email address.</p>
  <p><a href="${verificationLink}" style="display: inline-block; padding: 10px 18px; background: #1a73e8;
     color: #fff; text-decoration: none; border-radius: 6px;">Verify my email</a></p>
  <p>Or open this link: <br><span style="word-break: break-all;">${verificationLink}</span></p>
  <p style="color: #666; font-size: 13px;">If you did not create an account with ${appname}, ignore this email.</p>
</body>
</html>
"""
)


def get_email_verify_email_html(app_name: str, email: str, verification_link: str) -> str:
    return TEMPLATE.substitute(
        subject=escape(SUBJECT),
        appname=escape(app_name),
        toEmail=escape(email),
        verificationLink=escape(verification_link),
    )


def get_email_verify_email_content(template_vars: EmailTemplateVars) -> EmailContent:
    app_name = Authdeck.get_instance().app_info.app_name
    body = get_email_verify_email_html(app_name, template_vars.user.email, template_vars.email_verify_link)
    return EmailContent(body=body, subject=SUBJECT, to_email=template_vars.user.email, is_html=True)
