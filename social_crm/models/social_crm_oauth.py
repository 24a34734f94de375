"""What the sign-in flows store: tokens, pending authorization requests, and
the apps registered on Mastodon instances. System administrators only."""

import datetime
import hashlib
import hmac
import logging

from odoo import api, fields, models

from ..connectors.oauth import CALLBACK_PLATFORM, TokenSet

_logger = logging.getLogger(__name__)

STATE_LIFETIME = datetime.timedelta(minutes=10)  # from pressing Connect to coming back from the platform


def _aware(value):
    return value.replace(tzinfo=datetime.timezone.utc) if value else None


def _naive(value):
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None) if value else False


def digest(value):
    """What is stored of a secret that only has to be recognised (state, session id)."""
    return hashlib.sha256((value or "").encode()).hexdigest()


class SocialCrmAccountToken(models.Model):
    """The tokens of one connected account, in a row of their own.

    Not on the account: the pull cron holds the account row locked while it
    reads, and a token refresh must be committed at once (a rotated refresh
    token that is rolled back is lost for good), from another transaction
    that must not wait for that lock."""

    _name = "social.crm.account.token"
    _description = "Social CRM account token"
    _rec_name = "account_id"

    account_id = fields.Many2one("social.crm.account", required=True, ondelete="cascade")
    status = fields.Selection(
        [("connected", "Connected"), ("reconnect", "Reconnect needed")], default="connected", required=True
    )
    access_token = fields.Char(groups="base.group_system", copy=False)
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    expires_at = fields.Datetime("Access token expires")
    refresh_expires_at = fields.Datetime("Refresh token expires")
    scope = fields.Char("Granted scopes")
    subject = fields.Char("Platform account id")
    name = fields.Char("Connected as")
    refreshed_at = fields.Datetime("Last refresh")
    last_error = fields.Text()

    _sql_constraints = [
        ("account_unique", "unique(account_id)", "An account has one set of tokens."),
    ]

    def _token_set(self):
        self.ensure_one()
        return TokenSet(
            access_token=self.access_token or "",
            refresh_token=self.refresh_token or "",
            expires_at=_aware(self.expires_at),
            refresh_expires_at=_aware(self.refresh_expires_at),
            scope=self.scope or "",
            subject=self.subject or "",
            name=self.name or "",
        )

    @api.model
    def _values(self, tokens):
        return {
            "status": "connected",
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token or False,
            "expires_at": _naive(tokens.expires_at),
            "refresh_expires_at": _naive(tokens.refresh_expires_at),
            "scope": tokens.scope or False,
            "subject": tokens.subject or False,
            "name": tokens.name or False,
            "last_error": False,
        }


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


class SocialCrmOAuthApp(models.Model):
    """The app registered on a Mastodon instance (``POST /api/v1/apps``), kept
    per company, instance and redirect URL so that it is registered once."""

    _name = "social.crm.oauth.app"
    _description = "Social CRM app registered on an instance"
    _rec_name = "instance"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    platform = fields.Char(required=True, default="mastodon")
    instance = fields.Char(required=True)
    redirect_uri = fields.Char(required=True)
    client_id = fields.Char(groups="base.group_system", required=True)
    client_secret = fields.Char(groups="base.group_system")

    _sql_constraints = [
        (
            "instance_unique",
            "unique(company_id, platform, instance, redirect_uri)",
            "The app is registered once per instance and redirect URL.",
        ),
    ]
