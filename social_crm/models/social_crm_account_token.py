from odoo import api, fields, models

from ..connectors.oauth import TokenSet
from .oauth_helpers import _aware, _naive


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
