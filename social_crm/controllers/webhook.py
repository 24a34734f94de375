"""Webhook endpoint: verify the delivery, hand it to the account, nothing else.

A delivery is stored as the account's configured webhook user (with that
user's rights and the account's company), not as the superuser: the only sudo
here finds the account of the URL token and reads what the checks need.
Hostile input (unknown tokens, any header, any body) gets a 4xx, never a 500.
"""

import logging

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..connectors import ConfigurationError, PayloadError
from ..connectors.webhooks import load_delivery, valid_challenge

_logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # bytes; Meta deliveries are far smaller


class SocialCrmWebhook(http.Controller):
    @http.route(
        "/social_crm/webhook/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def social_crm_webhook(self, token, **params):
        account_sudo = request.env["social.crm.account"].sudo()._webhook_account(token)
        if not account_sudo or not account_sudo.supports_webhooks:
            return self._text("unknown webhook", 404)
        if request.httprequest.method == "GET":
            if not account_sudo._webhook_subscription_ok(params.get("hub.mode"), params.get("hub.verify_token")):
                _logger.warning("Webhook handshake refused for account %s", account_sudo.id)
                return self._text("verification failed", 403)
            challenge = params.get("hub.challenge", "")
            if not valid_challenge(challenge):
                return self._text("bad challenge", 400)
            return self._text(challenge)
        body = request.httprequest.get_data(cache=False)
        if len(body) > MAX_BODY:
            return self._text("too large", 413)
        if not account_sudo._webhook_signature_ok(body, request.httprequest.headers.get("X-Hub-Signature-256")):
            _logger.warning("Webhook delivery with a bad signature refused for account %s", account_sudo.id)
            return self._text("bad signature", 403)
        try:
            payload = load_delivery(body)
        except PayloadError as err:
            return self._text(str(err), 400)
        user = account_sudo.webhook_user_id
        if not user:
            _logger.error(
                "Webhook delivery for account %s not stored: the account has no webhook user", account_sudo.id
            )
            return self._text("not configured", 503)
        account = account_sudo.with_user(user).with_company(account_sudo.company_id)
        try:
            created = account._receive_webhook(payload)
        except (ConfigurationError, PayloadError) as err:
            _logger.warning("Webhook delivery for account %s not handled: %s", account_sudo.id, err)
            return self._text(str(err), 400)
        except AccessError:
            _logger.error(
                "Webhook delivery for account %s not stored: its webhook user %s lacks the rights",
                account_sudo.id,
                user.id,
            )
            return self._text("not configured", 503)
        return request.make_json_response({"received": created})

    @staticmethod
    def _text(body, status=200):
        return request.make_response(body, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status)
