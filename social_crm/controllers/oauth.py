"""OAuth endpoints: check the sign-in request, hand the answer to the account.

``/social_crm/oauth/<platform>/start`` binds a pending request (created by the
account's *Connect* button) to the browser session, then sends the browser to
the platform. ``/social_crm/oauth/<platform>/callback`` accepts the platform's
answer only for a live request of the same user and session, once.
"""

import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..connectors import ConnectorError
from ..models import social_crm_messages as messages

_logger = logging.getLogger(__name__)
ACCOUNT_ACTION = "social_crm.social_crm_account_action"


class SocialCrmOAuth(http.Controller):
    @http.route("/social_crm/oauth/<string:platform>/start", type="http", auth="user", methods=["GET"])
    def social_crm_oauth_start(self, platform, state=None, **kwargs):
        pending = request.env["social.crm.oauth.state"]._find(platform, state)
        if not pending or pending.user_id != request.env.user or not pending._bind(request.session.sid):
            return self._refused()
        try:
            url = pending.account_id.sudo(False)._oauth_authorize_url(pending, state)
        except (ConnectorError, UserError) as err:
            return self._page(self._error_text(err, pending.account_id), pending.account_id, status=400)
        return request.redirect(url, local=False)

    @http.route("/social_crm/oauth/<string:platform>/callback", type="http", auth="user", methods=["GET"])
    def social_crm_oauth_callback(self, platform, state=None, code=None, error=None, **kwargs):
        pending = request.env["social.crm.oauth.state"]._find(platform, state)
        if not pending:
            return self._refused()
        account = pending.account_id.sudo(False)
        redirect_uri, verifier = pending.redirect_uri, pending.sudo().code_verifier
        if not pending._consume(request.session.sid):
            _logger.warning("OAuth callback of account %s refused: not the session that started it", account.id)
            return self._refused()
        if error:
            reason = kwargs.get("error_description") or kwargs.get("error_reason") or ""
            message = request.env._(
                "%(platform)s did not connect the account: %(error)s %(reason)s",
                platform=account._platform_name(),
                error=error,
                reason=reason,
            )
            return self._page(message.strip(), account, status=400)
        try:
            action = account._oauth_finish(redirect_uri, verifier, code)
        except (ConnectorError, UserError) as err:
            _logger.info("OAuth sign-in of account %s failed: %s", account.id, err)
            return self._page(
                request.env._("The connection failed: %(error)s", error=self._error_text(err, account)),
                account,
                status=400,
            )
        return request.redirect(self._url(action, account))

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _error_text(err, account):
        """A connector error in the user's language (by its code); a UserError as it is."""
        if isinstance(err, ConnectorError):
            return messages.connector_error_text(request.env, err, account.sudo()._platform_name())
        return str(err)

    def _url(self, action, account):
        """The web client URL of the form ``action`` opens."""
        path = f"/odoo/action-{ACCOUNT_ACTION}/{account.id}"
        if action.get("res_model") != "social.crm.account":
            path += f"/{action['res_model']}/{action['res_id']}"
        return path

    def _refused(self):
        return self._page(
            request.env._(
                "This sign-in link is not valid: it was already used, it expired, or it was opened in "
                "another session. Press Connect on the account again."
            ),
            None,
            status=403,
        )

    def _page(self, message, account, status):
        back = f"/odoo/action-{ACCOUNT_ACTION}" + (f"/{account.id}" if account else "")
        response = request.render("social_crm.oauth_result", {"message": message, "back_url": back})
        response.status_code = status
        return response
