"""Connect an account through the platform's sign-in page and keep it connected.

*Connect* opens the authorization-code flow (``controllers/oauth.py`` checks
the answer and hands it back here); Bluesky signs in with the app password.
Tokens live in ``social.crm.account.token``; :meth:`_oauth_refresh` renews
them before they expire and once after a refusal, serialised across workers.
"""

import contextlib
import dataclasses
import logging
import threading

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.sql_db import TestCursor

from ..connectors import ConnectorError
from ..connectors.bluesky import DEFAULT_PDS
from ..connectors.oauth import (
    BlueskySession,
    OAuthClient,
    ReconnectRequired,
    get_provider,
    new_state,
    pkce_challenge,
    pkce_pair,
)
from . import social_crm_messages as messages

_logger = logging.getLogger(__name__)

OAUTH_PLATFORMS = ("mastodon", "reddit", "x", "youtube", "facebook", "instagram")
REFRESHABLE = ("reddit", "x", "youtube")  # and Bluesky, whose session is renewed
# the company's developer app of each platform: (client id field, client secret field)
COMPANY_APPS = {
    "reddit": ("social_crm_reddit_client_id", "social_crm_reddit_client_secret"),
    "x": ("social_crm_x_client_id", "social_crm_x_client_secret"),
    "youtube": ("social_crm_google_client_id", "social_crm_google_client_secret"),
    "facebook": ("social_crm_meta_app_id", "social_crm_meta_app_secret"),
    "instagram": ("social_crm_meta_app_id", "social_crm_meta_app_secret"),
}
# pg_advisory_xact_lock(namespace, account id) serialises the refreshes of one account
REFRESH_LOCK_NAMESPACE = 0x5C0A  # any constant: it only has to differ from other advisory locks


class SocialCrmAccount(models.Model):
    _name = "social.crm.account"
    _inherit = ["social.crm.account", "mail.activity.mixin"]

    state = fields.Selection(selection_add=[("reconnect", "Error: reconnect")], ondelete={"reconnect": "set default"})
    oauth_token_ids = fields.One2many("social.crm.account.token", "account_id", groups="base.group_system")
    oauth_supported = fields.Boolean(compute="_compute_oauth_supported")
    oauth_status = fields.Selection(
        [("none", "Not connected"), ("connected", "Connected"), ("reconnect", "Reconnect needed")],
        "Connection",
        compute="_compute_oauth",
    )
    oauth_identity = fields.Char("Connected as", compute="_compute_oauth")
    oauth_expires_at = fields.Datetime("Access token expires", compute="_compute_oauth")

    @api.depends("platform")
    def _compute_oauth_supported(self):
        for account in self:
            account.oauth_supported = account.platform in OAUTH_PLATFORMS + ("bluesky",)

    @api.depends("platform")
    def _compute_oauth(self):
        tokens = self.env["social.crm.account.token"].sudo().search([("account_id", "in", self.ids)])
        by_account = {token.account_id.id: token for token in tokens}
        for account in self:
            token = by_account.get(account.id)
            account.oauth_status = token.status if token else "none"
            account.oauth_identity = token.name if token else False
            account.oauth_expires_at = token.expires_at if token else False

    # ------------------------------------------------------------------ actions

    def action_oauth_connect(self):
        """*Connect* / *Reconnect*: open the platform's sign-in page (Bluesky:
        open a session with the app password)."""
        self.ensure_one()
        self._oauth_check_admin()
        if self.platform == "bluesky":
            return self._oauth_bluesky_sign_in()
        if self.platform not in OAUTH_PLATFORMS:
            raise UserError(self.env._("%(platform)s has no sign-in flow.", platform=self._platform_name()))
        self._oauth_client(register=True)
        state = new_state()
        verifier, _challenge = pkce_pair()
        request = self.env["social.crm.oauth.state"]._open(self, state, verifier)
        return {
            "type": "ir.actions.act_url",
            "url": f"/social_crm/oauth/{request.platform}/start?state={state}",
            "target": "self",
        }

    def action_oauth_disconnect(self):
        """Forget the tokens (the grant can also be revoked on the platform)."""
        self._oauth_check_admin()
        for account in self:
            account.sudo().oauth_token_ids.unlink()
            account.message_post(body=self.env._("Disconnected: the tokens were deleted."))
            if account.state == "reconnect":
                account.state = "new"
        self.invalidate_recordset(["oauth_status", "oauth_identity", "oauth_expires_at"])

    # ---------------------------------------------------------------- sign-in

    def _oauth_check_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only system administrators can connect accounts (tokens are secrets)."))

    def _platform_name(self):
        return dict(self._fields["platform"]._description_selection(self.env)).get(self.platform, self.platform)

    def _oauth_provider(self, http=None):
        return get_provider(self.platform, http=http, instance=self.base_url)

    def _oauth_client(self, register=False):
        """The company's developer app of the platform (Mastodon: the app
        registered on the instance, registered now if ``register``)."""
        self.ensure_one()
        if self.platform == "mastodon":
            return self._oauth_mastodon_app(register)
        company = self.company_id.sudo()
        id_field, secret_field = COMPANY_APPS[self.platform]
        client = OAuthClient(company[id_field] or "", company[secret_field] or "")
        if not client.client_id and self.platform == "reddit" and self.sudo().client_id:
            # an account that already has its own Reddit app keeps using it
            client = OAuthClient(self.sudo().client_id, self.sudo().client_secret or "")
        if not client.client_id:
            raise RedirectWarning(
                self.env._(
                    "Enter the client id and secret of your %(platform)s developer app in Settings › Social CRM "
                    "first; the redirect URL to register in the app is shown there.",
                    platform=self._platform_name(),
                ),
                self.env.ref("social_crm.social_crm_config_settings_action").id,
                self.env._("Open Settings"),
            )
        return client

    def _oauth_mastodon_app(self, register):
        provider = self._oauth_provider()
        redirect_uri = self.env["social.crm.oauth.state"]._redirect_uri("mastodon")
        Apps = self.env["social.crm.oauth.app"].sudo()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("platform", "=", "mastodon"),
            ("instance", "=", provider.instance),
            ("redirect_uri", "=", redirect_uri),
        ]
        app = Apps.search(domain, limit=1)
        if not app:
            if not register:
                raise UserError(
                    self.env._(
                        "The app is not registered on %(instance)s: press Connect again.", instance=provider.instance
                    )
                )
            try:
                client = provider.register_app(redirect_uri, website=redirect_uri.split("/social_crm/")[0])
            except ConnectorError as err:
                raise UserError(
                    self.env._(
                        "%(instance)s refused to register the app: %(error)s",
                        instance=provider.instance,
                        error=messages.connector_error_text(self.env, err, "Mastodon"),
                    )
                ) from err
            app = Apps.create(
                {
                    "company_id": self.company_id.id,
                    "platform": "mastodon",
                    "instance": provider.instance,
                    "redirect_uri": redirect_uri,
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                }
            )
        return OAuthClient(app.client_id, app.client_secret or "")

    def _oauth_authorize_url(self, request, state):
        """Where the browser goes for ``request`` (a ``social.crm.oauth.state``)."""
        self.ensure_one()
        challenge = pkce_challenge(request.sudo().code_verifier) if request.sudo().code_verifier else None
        return self._oauth_provider().authorize_url(self._oauth_client(), request.redirect_uri, state, challenge)

    def _oauth_finish(self, redirect_uri, code_verifier, code):
        """The platform sent the administrator back with ``code``: get the
        tokens and store them. Returns the action to show next."""
        self.ensure_one()
        self._oauth_check_admin()
        provider = self._oauth_provider()
        tokens = provider.exchange_code(self._oauth_client(), code, redirect_uri, code_verifier)
        if self.platform in ("facebook", "instagram"):
            pages = provider.list_pages(tokens.access_token)
            return self.env["social.crm.oauth.page"]._open_for(self, pages)
        self._oauth_store(provider.identify(tokens))
        return self._oauth_form_action()

    def _oauth_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.crm.account",
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _oauth_bluesky_sign_in(self):
        account = self.sudo()
        if not (account.username and account.password):
            raise UserError(self.env._("Enter the handle and an app password first."))
        try:
            tokens = BlueskySession(account.base_url or DEFAULT_PDS).create_session(account.username, account.password)
        except ConnectorError as err:
            raise UserError(
                self.env._(
                    "Bluesky did not open a session: %(error)s",
                    error=messages.connector_error_text(self.env, err, "Bluesky"),
                )
            ) from err
        self._oauth_store(tokens)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Connected as %(name)s.", name=tokens.name or account.username),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _oauth_store(self, tokens, values=None):
        """Keep the tokens of a new sign-in; the account is healthy again."""
        self.ensure_one()
        Token = self.env["social.crm.account.token"].sudo()
        token = Token.search([("account_id", "=", self.id)], limit=1)
        token_values = dict(Token._values(tokens), refreshed_at=fields.Datetime.now())
        if token:
            token.write(token_values)
        else:
            Token.create(dict(token_values, account_id=self.id))
        account_values = dict(values or {})
        if tokens.subject and self.platform in ("x", "youtube"):
            account_values.setdefault("account_ref", tokens.subject)
        if self.platform != "bluesky":
            account_values["access_token"] = False  # one source of truth: the connected token
        if self.state in ("reconnect", "error"):
            account_values.update(state="new", error_count=0, last_error=False, next_pull_at=False)
        self.sudo().write(account_values)
        self._oauth_close_activities()
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Connected as %(name)s.", name=tokens.name or tokens.subject or self.env._("an account"))
        )
        self.invalidate_recordset(["oauth_status", "oauth_identity", "oauth_expires_at"])

    # ---------------------------------------------------------------- lifecycle

    def _get_connector(self, http=None):
        connector = super()._get_connector(http=http)
        account = self.sudo()
        token = account.oauth_token_ids[:1]
        if token.access_token:
            connector.use_token(token._token_set())
        if token or (account.platform == "bluesky" and account.username and account.password):
            connector.token_refresher = self._oauth_refresh
        return connector

    def _record_failure(self, error, state="error", retry_after=None, api_calls=0):
        if isinstance(error, ReconnectRequired):
            state = "reconnect"
        return super()._record_failure(error, state=state, retry_after=retry_after, api_calls=api_calls)

    def _oauth_refresh(self, seen_access_token=None):
        """A valid :class:`TokenSet` for the account, renewed if needed.

        ``seen_access_token`` is the token the caller has (expiring, or just
        refused). Runs in a transaction of its own, committed before the
        caller goes on, under an advisory lock of the account: a second worker
        waits, then finds a token other than the one it saw and uses it
        instead of refreshing again (which, with rotating refresh tokens,
        would revoke the first worker's new token). Raises
        :class:`ReconnectRequired` when only a new sign-in helps."""
        self.ensure_one()
        with self._oauth_token_transaction() as env:
            outcome = self.with_env(env).sudo()._oauth_refresh_locked(seen_access_token)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @contextlib.contextmanager
    def _oauth_token_transaction(self):
        if getattr(threading.current_thread(), "testing", False) and self.env.registry.test_cr is None:
            # plain TransactionCase: a second connection would not see the test's data
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", (REFRESH_LOCK_NAMESPACE, self.id))
                yield self.env
            return
        with self.env.registry.cursor() as cr:
            # the registry is known: no lookup by name (which waits while another thread loads registries)
            cr.transaction = api.Transaction(self.env.registry)
            if not isinstance(cr, TestCursor):
                # read what the worker before us committed while we waited for the lock
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", (REFRESH_LOCK_NAMESPACE, self.id))
            yield self.env(cr=cr)

    def _oauth_refresh_locked(self, seen_access_token):
        """Under the lock: the stored token if another worker renewed it, else
        a renewed one (stored). Errors are returned, so that a "reconnect"
        mark is committed with the transaction before the caller raises."""
        Token = self.env["social.crm.account.token"]
        token = Token.search([("account_id", "=", self.id)], limit=1)
        if token.status == "reconnect":
            return ReconnectRequired(token.last_error or self.env._("The account must be connected again."))
        current = token._token_set() if token else None
        if current and current.access_token and current.access_token != seen_access_token and not current.expiring():
            return current  # renewed by another worker while we waited: use it
        try:
            fresh = self._oauth_renew(current)
        except ReconnectRequired as err:
            self._oauth_mark_reconnect(token, err)
            return err
        except ConnectorError as err:  # network, 5xx, 429: nothing to store, retried later
            return err
        values = dict(Token._values(fresh), refreshed_at=fields.Datetime.now())
        if token:
            token.write(values)
        else:
            token = Token.create(dict(values, account_id=self.id))
        _logger.info("Social CRM account %s: access token renewed", self.id)
        return fresh

    def _oauth_renew(self, current):
        """Ask the platform for a new access token (``current`` may be None)."""
        if self.platform == "bluesky":
            session = BlueskySession(self.base_url or DEFAULT_PDS)
            if current and current.refresh_usable():
                try:
                    return session.refresh_session(current.refresh_token)
                except ReconnectRequired as err:
                    if not self.password:
                        raise
                    _logger.info("Bluesky account %s: the refresh token was refused (%s); signing in", self.id, err)
            return session.create_session(self.username, self.password)
        if self.platform not in REFRESHABLE:
            raise ReconnectRequired(
                self.env._(
                    "%(platform)s refused the connected token: connect the account again.",
                    platform=self._platform_name(),
                )
            )
        if not (current and current.refresh_token):
            raise ReconnectRequired(self.env._("No refresh token is stored: connect the account again."))
        try:
            client = self._oauth_client()
        except UserError as err:  # the developer app was removed from the settings
            raise ReconnectRequired(str(err)) from None
        fresh = self._oauth_provider().refresh(client, current.refresh_token)
        return dataclasses.replace(fresh, subject=current.subject, name=current.name)

    def _oauth_mark_reconnect(self, token, error):
        """The grant is gone: say so on the token and ask the administrators to reconnect."""
        message = str(error)
        _logger.warning("Social CRM account %s must be reconnected: %s", self.id, message)
        if token:
            token.write({"status": "reconnect", "last_error": message})
        else:
            self.env["social.crm.account.token"].create(
                {"account_id": self.id, "status": "reconnect", "last_error": message}
            )
        summary = self.env._("Reconnect %(account)s", account=self.name)
        admins = self.env.ref("base.group_system").users.filtered(lambda u: u.active and not u.share)
        open_for = self.activity_ids.filtered(lambda a: a.summary == summary).user_id
        for admin in admins - open_for:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=self.env._(
                    "%(platform)s no longer accepts the connection of this account: %(error)s. "
                    "Open the account and press Reconnect.",
                    platform=self._platform_name(),
                    error=message,
                ),
                user_id=admin.id,
            )

    def _oauth_close_activities(self):
        summary = self.env._("Reconnect %(account)s", account=self.name)
        self.activity_ids.filtered(lambda a: a.summary == summary).sudo().action_feedback(
            feedback=self.env._("Connected again.")
        )
