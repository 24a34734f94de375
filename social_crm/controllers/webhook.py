"""Webhook endpoint: verify the delivery, hand it to the account, nothing else."""

import json
import logging

from odoo import http
from odoo.http import request

from ..connectors import ConfigurationError

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
            return request.make_response("unknown webhook", status=404)
        if request.httprequest.method == "GET":
            if account_sudo._webhook_subscription_ok(params.get("hub.mode"), params.get("hub.verify_token")):
                return request.make_response(params.get("hub.challenge", ""))
            _logger.warning("Webhook handshake refused for account %s", account_sudo.id)
            return request.make_response("verification failed", status=403)
        body = request.httprequest.get_data(cache=False)
        if len(body) > MAX_BODY:
            return request.make_response("too large", status=413)
        if not account_sudo._webhook_signature_ok(body, request.httprequest.headers.get("X-Hub-Signature-256")):
            _logger.warning("Webhook delivery with a bad signature refused for account %s", account_sudo.id)
            return request.make_response("bad signature", status=403)
        try:
            payload = json.loads(body)
        except ValueError:
            return request.make_response("not JSON", status=400)
        try:
            created = account_sudo._receive_webhook(payload)
        except ConfigurationError as err:
            _logger.warning("Webhook delivery for account %s not handled: %s", account_sudo.id, err)
            return request.make_response(str(err), status=400)
        return request.make_json_response({"received": created})
