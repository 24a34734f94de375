import hmac

from odoo import api, fields, models

from ..connectors.oauth import CALLBACK_PLATFORM
from .oauth_helpers import STATE_LIFETIME, digest


class SocialCrmOAuthState(models.Model):
    """One pending authorization request: single use, bound to the user, the
    account and the browser session, and short-lived.

    Only digests of the ``state`` value and of the session id are stored."""

    _name = "social.crm.oauth.state"
    _description = "Social CRM pending sign-in"
    _log_access = False

    state_hash = fields.Char(required=True, index=True)
    account_id = fields.Many2one("social.crm.account", required=True, ondelete="cascade")
    platform = fields.Char(required=True, help="The callback's platform (Instagram signs in through Facebook).")
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    session_hash = fields.Char(help="Digest of the browser session that opened the sign-in page.")
    code_verifier = fields.Char(groups="base.group_system")
    redirect_uri = fields.Char(required=True)
    expires_at = fields.Datetime(required=True)

    @api.model
    def _redirect_uri(self, platform):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return f"{base}/social_crm/oauth/{CALLBACK_PLATFORM.get(platform, platform)}/callback"

    @api.model
    def _open(self, account, state, code_verifier):
        """Record a new request for ``account`` by the current user."""
        return self.sudo().create(
            {
                "state_hash": digest(state),
                "account_id": account.id,
                "platform": CALLBACK_PLATFORM.get(account.platform, account.platform),
                "user_id": self.env.uid,
                "code_verifier": code_verifier or False,
                "redirect_uri": self._redirect_uri(account.platform),
                "expires_at": fields.Datetime.now() + STATE_LIFETIME,
            }
        )

    @api.model
    def _find(self, platform, state):
        """The live request ``state`` answers on ``platform``'s callback, or an empty recordset."""
        if not state or len(state) < 32:
            return self.browse()
        request = self.sudo().search([("state_hash", "=", digest(state))], limit=1)
        if not request or request.platform != platform or request.expires_at <= fields.Datetime.now():
            return self.browse()
        return request

    def _bind(self, session_id):
        """Bind the request to the browser session that starts it (once)."""
        self.ensure_one()
        if self.session_hash:
            return False
        self.session_hash = digest(session_id)
        return True

    def _consume(self, session_id):
        """Delete the request if it belongs to this user and session; True
        when this call consumed it (a replay finds nothing to delete)."""
        self.ensure_one()
        if self.user_id != self.env.user or not self.session_hash:
            return False
        if not hmac.compare_digest(self.session_hash, digest(session_id)):
            return False
        self.env.cr.execute("DELETE FROM social_crm_oauth_state WHERE id = %s RETURNING id", (self.id,))
        consumed = bool(self.env.cr.fetchone())
        self.invalidate_recordset()
        return consumed

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now())]).unlink()
