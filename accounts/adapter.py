"""allauth hooks: its emails go through our outbox, and people land in their own language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from audit.services import audit_log
from notifications.services import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        user = User.objects.filter(email__iexact=email).only("language").first()
        language = user.language if user else translation.get_language()
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        email_enqueue(
            recipient=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=language,
        )

    # Links in these emails must open in the recipient's language, not the page's.
    def get_reset_password_from_key_url(self, key: str) -> str:
        from allauth.account.utils import url_str_to_user_pk

        try:
            user = User.objects.only("language").get(pk=url_str_to_user_pk(key.split("-")[0]))
        except (User.DoesNotExist, ValueError):
            return super().get_reset_password_from_key_url(key)
        with translation.override(user.language):
            return super().get_reset_password_from_key_url(key)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        with translation.override(emailconfirmation.email_address.user.language):
            return super().send_confirmation_mail(request, emailconfirmation, signup)

    def save_user(self, request, user, form, commit=True):
        # A visitor who signs up on the Ukrainian page gets Ukrainian emails and pages.
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request) -> str:
        with translation.override(request.user.language):
            return reverse("start")

    def login(self, request, user) -> None:
        super().login(request, user)
        # The account's language wins over whatever the login page was shown in.
        translation.activate(user.language)
        audit_log(actor=user, request=request, action="account.login", obj=user)

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        audit_log(
            request=request,
            action="account.login_failed",
            details={"email": str(credentials.get("email", ""))[:254]},
        )
