import logging
import math
import secrets
import threading
import traceback
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..connectors import (
    CONNECTORS,
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    HttpClient,
    PayloadError,
    RateLimitedError,
    TransientError,
    connection,
)
from ..connectors.http import MAX_WAIT
from ..connectors.redaction import redact
from ..connectors.webhooks import valid_hub_signature, valid_token
from . import config_params
from . import social_crm_messages as messages
from .counting import count_by

_logger = logging.getLogger(__name__)

# The platforms of this addon: the base list of the account's ``platform``, which
# other addons extend with ``selection_add`` (and ``_get_connector_class``). Other
# models read the account's selection (platform_selection), never this list.
PLATFORMS = [(code, cls.label) for code, cls in CONNECTORS.items()]
SECRET_FIELDS = ("access_token", "api_key", "client_id", "client_secret", "username", "password")
# every field only system administrators may read: cleared when a non-administrator
# changes where the credentials are sent (see write)
CREDENTIAL_FIELDS = SECRET_FIELDS + ("webhook_secret", "webhook_verify_token")
# what decides where the credentials are sent
DESTINATION_FIELDS = ("platform", "base_url")
# hosts of a private network that connectors may reach (self-hosted instances):
# names, IP addresses or networks (CIDR), separated by commas or spaces
ALLOWED_HOSTS_PARAM = "social_crm.allowed_hosts"
DEFAULT_RATE_LIMIT_WAIT = 900  # seconds, when a platform does not say how long to wait
ACCOUNTS_PER_BATCH = 10  # accounts pulled per cron batch, each committed (default of the system parameter)
BACKOFF_MAX_MINUTES = 24 * 60  # longest wait after failed pulls (default of the system parameter)


def platform_selection(model):
    """The platforms of accounts, with those other addons added, in the user's
    language: the selection of every other model's ``platform``."""
    return model.env["social.crm.account"]._fields["platform"]._description_selection(model.env)


def platform_labels(env):
    """``{platform: label}`` of every platform, in the user's language."""
    return dict(platform_selection(env["social.crm.account"]))


def clamp_wait(seconds):
    """Seconds between 0 and a day (a platform may ask for 1e20, or NaN)."""
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        return DEFAULT_RATE_LIMIT_WAIT
    if math.isnan(seconds):
        return DEFAULT_RATE_LIMIT_WAIT
    return min(max(seconds, 0.0), MAX_WAIT)


class SocialCrmAccount(models.Model):
    """A connection to one social platform: credentials and health."""

    _name = "social.crm.account"
    _description = "Social CRM Account"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    platform = fields.Selection(PLATFORMS, required=True, default="rss", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    # Connection settings. Not secret: where to connect and as whom.
    base_url = fields.Char(
        "Instance / Server URL",
        tracking=True,
        help="Mastodon instance (https://mastodon.social) or Bluesky PDS. Leave empty for the default. "
        "Changed by someone who is not a system administrator, the credentials are cleared.",
    )
    account_ref = fields.Char(
        "Account ID",
        help="The platform's id of your account: X user id, Facebook Page id, "
        "Instagram professional account id or YouTube channel id.",
    )
    # Credentials: only system administrators can read or write them.
    access_token = fields.Char(groups="base.group_system", copy=False)
    api_key = fields.Char("API Key", groups="base.group_system", copy=False)
    client_id = fields.Char("Client ID", groups="base.group_system", copy=False)
    client_secret = fields.Char(groups="base.group_system", copy=False)
    username = fields.Char("Login / Handle", groups="base.group_system", copy=False)
    password = fields.Char("App Password", groups="base.group_system", copy=False)
    # Webhooks (platforms that push: Facebook Pages, Instagram)
    supports_webhooks = fields.Boolean(compute="_compute_webhook_url")
    webhook_token = fields.Char(
        default=lambda self: secrets.token_urlsafe(24),
        copy=False,
        index=True,
        groups="social_crm.group_social_crm_manager",
        help="Secret part of the webhook URL; regenerate it to revoke the old URL.",
    )
    # the URL contains the secret token
    webhook_url = fields.Char(
        "Webhook URL", compute="_compute_webhook_url", groups="social_crm.group_social_crm_manager"
    )
    webhook_user_id = fields.Many2one(
        "res.users",
        "Webhook user",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        groups="social_crm.group_social_crm_manager",
        help="Deliveries are stored with this user's rights (a Social CRM administrator of the account's company).",
    )
    webhook_secret = fields.Char(
        "App Secret",
        groups="base.group_system",
        copy=False,
        help="Meta App Secret: every delivery must carry its X-Hub-Signature-256.",
    )
    webhook_verify_token = fields.Char(
        "Verify token",
        groups="base.group_system",
        copy=False,
        help="Any string; enter the same in the app's webhook settings.",
    )
    last_webhook_at = fields.Datetime("Last webhook delivery", readonly=True, copy=False)
    # Health
    state = fields.Selection(
        [
            ("new", "Never pulled"),
            ("ok", "Working"),
            ("rate_limited", "Rate limited"),
            ("retrying", "Unreachable, retrying"),
            ("error", "Error"),
        ],
        default="new",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    pull_interval = fields.Integer(
        "Pull every (minutes)", default=15, help="Minimum time between two pulls of this account."
    )
    next_pull_at = fields.Datetime(readonly=True, copy=False, index=True)
    last_pull_at = fields.Datetime(readonly=True, copy=False)
    last_success_at = fields.Datetime(readonly=True, copy=False)
    # may quote what a platform (or a hostile server) answered: administrators only
    last_error = fields.Text(readonly=True, copy=False, groups="social_crm.group_social_crm_manager")
    last_error_message = fields.Text(
        "What went wrong", readonly=True, copy=False, help="The last failure in plain words, with what to do."
    )
    last_pull_count = fields.Integer("New mentions in the last pull", readonly=True, copy=False)
    pull_requested_by = fields.Many2one(
        "res.users", readonly=True, copy=False, help="Who pressed Pull now: told the result when it is done."
    )
    # Test connection
    connection_state = fields.Selection(
        [
            ("ok", "Works"),
            ("partial", "Works in part"),
            ("unknown", "Could not be tested"),
            ("failed", "Does not work"),
        ],
        "Connection test",
        readonly=True,
        copy=False,
    )
    connection_checked_at = fields.Datetime("Tested on", readonly=True, copy=False)
    connection_report = fields.Text("Connection test result", readonly=True, copy=False)
    connection_detail = fields.Text(
        "Connection test details", readonly=True, copy=False, groups="social_crm.group_social_crm_manager"
    )
    error_count = fields.Integer(readonly=True, copy=False, help="Consecutive failed pulls; reset by a successful one.")
    api_calls = fields.Integer("API calls (total)", readonly=True, copy=False)
    stream_ids = fields.One2many("social.crm.stream", "account_id", string="Streams")
    stream_count = fields.Integer(compute="_compute_counts")
    mention_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("pull_interval_positive", "CHECK(pull_interval > 0)", "The pull interval must be positive."),
    ]

    def write(self, vals):
        """Where the credentials go (platform, server URL) is changed with the
        credentials: by a system administrator, or they are cleared; otherwise
        a manager could send them to a server of his own."""
        moved = self.browse()
        if not self.env.is_system() and any(name in vals for name in DESTINATION_FIELDS):
            moved = self.filtered(
                lambda account: any(
                    (vals[name] or False) != (account[name] or False) for name in DESTINATION_FIELDS if name in vals
                )
            )
        result = super().write(vals)
        if moved:
            moved.sudo().write(dict.fromkeys(CREDENTIAL_FIELDS, False))
            for account in moved:
                account.message_post(
                    body=self.env._(
                        "The platform or the server URL was changed by someone who is not a system "
                        "administrator: the credentials were cleared. A system administrator must enter them again."
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
        return result

    @api.depends("platform", "webhook_token")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.supports_webhooks = bool(account.platform) and account._connector_class().supports_webhooks
            token = account.sudo().webhook_token
            account.webhook_url = f"{base}/social_crm/webhook/{token}" if account.supports_webhooks and token else False

    def _compute_counts(self):
        streams = count_by(self.env["social.crm.stream"].with_context(active_test=False), "account_id", self)
        mentions = count_by(self.env["social.crm.mention"], "account_id", self)
        for account in self:
            account.stream_count = streams.get(account, 0)
            account.mention_count = mentions.get(account, 0)

    # ------------------------------------------------------------------ actions

    def action_pull_now(self):
        """Pull every active stream of these accounts soon, in the background:
        the pull cron is triggered for them (whatever their interval or
        back-off), and whoever pressed the button is told the result."""
        self.check_access("write")  # the pull writes with sudo: only for those who may configure
        if not self.stream_ids.filtered("active"):
            raise UserError(self.env._("Add an active stream to the account first."))
        if self.filtered(lambda a: not a.active):
            raise UserError(self.env._("Archived accounts are not pulled: restore the account first."))
        self.write({"next_pull_at": fields.Datetime.now(), "pull_requested_by": self.env.uid})
        self.env.ref("social_crm.ir_cron_pull_mentions").sudo()._trigger()
        return self._notification(
            "info",
            self.env._(
                "The pull of %(accounts)s runs in the background: you will be told here when it is done.",
                accounts=", ".join(self.mapped("name")),
            ),
        )

    def action_test_connection(self):
        """One cheap call with the account's credentials: what works, what is missing."""
        self.ensure_one()
        http = HttpClient(max_retries=1, backoff=0.5, max_wait=5)  # a person is waiting: no long retries
        report = self._get_connector(http=http).test_connection()
        lines = messages.report_sentences(self.env, report, self._platform_label())
        if report.account_ref and not self.account_ref and self.platform in ("x", "youtube"):
            self.account_ref = report.account_ref
            lines.append(self.env._("The account ID was filled in from the platform."))
        minor = (connection.NO_WRITE_API, connection.NOT_CHECKED)
        codes = {f.code for f in report.findings}
        if codes & {connection.UNREACHABLE, connection.RATE_LIMITED}:
            state = "unknown"
        elif not report.ok:
            state = "failed"
        elif report.read and codes <= set(minor):
            state = "ok"
        else:
            state = "partial"
        if report.detail:
            _logger.info("Test connection of %s (%s): %s", self.name, self.platform, report.detail)
        self.sudo().write(
            {
                "connection_state": state,
                "connection_checked_at": fields.Datetime.now(),
                "connection_report": "\n".join(lines),
                "connection_detail": report.detail or False,
            }
        )
        kind = {"ok": "success", "partial": "warning", "unknown": "warning", "failed": "danger"}[state]
        return self._notification(kind, lines[0], next_action={"type": "ir.actions.client", "tag": "soft_reload"})

    def _notification(self, kind, message, next_action=None, sticky=False):
        params = {"type": kind, "message": message, "sticky": sticky}
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    def _platform_label(self):
        self.ensure_one()
        return platform_labels(self.env).get(self.platform) or self._connector_class().label

    def _notify_pull_result(self, created=0):
        """Tell whoever pressed Pull now how the pull went (a warning when it failed)."""
        for account in self.filtered("pull_requested_by"):
            if account.state == "ok":
                kind, sticky = "success", False
                env = self.with_context(lang=account.pull_requested_by.lang).env
                message = env._("%(count)s new mention(s).", count=created)
            else:
                kind, sticky = "warning", True
                message = account.last_error_message or self.env._("The pull did not finish.")
            account.pull_requested_by._bus_send(
                "simple_notification",
                {"type": kind, "title": account.name, "message": message, "sticky": sticky},
            )
            account.pull_requested_by = False

    def action_view_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("account_id", self)

    def action_new_webhook_token(self):
        """Revoke the current webhook URL."""
        self.check_access("write")
        for account in self.sudo():
            account.webhook_token = secrets.token_urlsafe(24)

    def action_reset_error(self):
        self.write(
            {"state": "new", "error_count": 0, "next_pull_at": False, "last_error": False, "last_error_message": False}
        )

    # ----------------------------------------------------------------- business

    @api.model
    def _get_connector_class(self, platform):
        """The connector class (a ``connectors.BaseConnector``) of ``platform``.

        The extension point of platforms: an addon that adds one to ``platform``
        with ``selection_add`` overrides this method to return its connector for
        it (and calls ``super()`` for the others)."""
        if platform not in CONNECTORS:
            raise UserError(self.env._("No connector is installed for the platform “%(platform)s”.", platform=platform))
        return CONNECTORS[platform]

    def _connector_class(self):
        """The connector class of this account's platform (see ``_get_connector_class``)."""
        self.ensure_one()
        return self._get_connector_class(self.platform)

    def _get_connector(self, http=None):
        """The only way models reach a platform (tests replace the HTTP layer)."""
        self.ensure_one()
        account = self.sudo()
        settings = {name: account[name] for name in SECRET_FIELDS}
        settings.update(base_url=account.base_url, account_ref=account.account_ref)
        if http is None:
            http = HttpClient(allowed_hosts=self._allowed_hosts())
        return self._connector_class()(settings=settings, http=http)

    @api.model
    def _allowed_hosts(self):
        """Hosts of a private network the connectors may reach (system parameter
        ``social_crm.allowed_hosts``); everything else must be public."""
        value = self.env["ir.config_parameter"].sudo().get_param(ALLOWED_HOSTS_PARAM) or ""
        return tuple(filter(None, value.replace(",", " ").split()))

    def _secret_values(self):
        """The credentials of these accounts, to redact them from messages."""
        return [value for account in self.sudo() for value in (account[name] for name in CREDENTIAL_FIELDS) if value]

    def _record_success(self, api_calls=0):
        now = fields.Datetime.now()
        for account in self:
            account.write(
                {
                    "state": "ok",
                    "last_pull_at": now,
                    "last_success_at": now,
                    "last_error": False,
                    "last_error_message": False,
                    "error_count": 0,
                    "api_calls": account.api_calls + api_calls,
                    "next_pull_at": now + timedelta(minutes=account.pull_interval),
                }
            )

    def _record_failure(self, error, state="error", retry_after=None, api_calls=0):
        now = fields.Datetime.now()
        cap = 60 * config_params.int_param(self.env, config_params.BACKOFF_MAX_MINUTES, BACKOFF_MAX_MINUTES, minimum=1)
        for account in self:
            message = redact(f"{type(error).__name__}: {error}", account._secret_values())
            # in the language of whoever waits for this pull, if anyone does
            env = self.with_context(lang=account.pull_requested_by.lang).env if account.pull_requested_by else self.env
            account.last_error_message = messages.error_sentence(env, error, account._platform_label())
            count = account.error_count + 1
            wait = retry_after
            if wait is None:
                # back off: 1, 2, 4... pull intervals, at most the cap (a day by default;
                # no overflow on a long failing streak); a platform's own wait is not capped
                interval = account.pull_interval * 60
                wait = min(interval * 2 ** min(count - 1, 20), max(cap, interval))
            account.write(
                {
                    "state": state,
                    "last_pull_at": now,
                    "last_error": message,
                    "error_count": count,
                    "api_calls": account.api_calls + api_calls,
                    "next_pull_at": now + timedelta(seconds=clamp_wait(wait)),
                }
            )
            _logger.warning("Social CRM account %s (%s) failed: %s", account.name, account.platform, message)

    # -------------------------------------------------------------------- pull

    @api.model
    def _cron_pull_mentions(self):
        """Scheduled action: pull the accounts that are due, a batch at a time."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        due_domain = [
            ("active", "=", True),
            ("stream_ids.active", "=", True),
            "|",
            ("next_pull_at", "=", False),
            ("next_pull_at", "<=", fields.Datetime.now()),
        ]
        Account = self.sudo()
        size = config_params.int_param(self.env, config_params.PULL_BATCH, ACCOUNTS_PER_BATCH, minimum=1)
        accounts = Account.search(due_domain, order="next_pull_at asc nulls first, id", limit=size)
        if not accounts:
            return
        accounts._pull(auto_commit=auto_commit)
        remaining = Account.search_count(due_domain)
        self.env["ir.cron"]._notify_progress(done=len(accounts), remaining=remaining)

    def _pull(self, auto_commit=True):
        """Pull each account's streams; one failing account never stops the others.

        Returns the number of mentions created."""
        created = 0
        for account in self.sudo():
            if not account._try_lock():
                _logger.info("Account %s is being pulled by another worker; skipped", account.name)
                continue
            http_calls = 0
            created_before = created
            try:
                connector = account._get_connector()
                for stream in account.stream_ids.filtered("active"):
                    created += len(stream._pull(connector, auto_commit=auto_commit))
                http_calls = connector.http.calls
                account._record_success(api_calls=http_calls)
                account.last_pull_count = created - created_before
            except RateLimitedError as err:
                account._record_failure(err, state="rate_limited", retry_after=account._rate_limit_wait(err))
            except TransientError as err:
                # network trouble or a platform outage: nothing to fix on our side, retried with back-off
                account._record_failure(err, state="retrying")
            except (AuthenticationError, ConfigurationError, ConnectorError) as err:
                account._record_failure(err)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as err:
                # another worker changed the same rows (an author's profile): the page is
                # rolled back with its cursor and read again on the next run
                if not auto_commit:
                    raise
                self.env.cr.rollback()
                self.env.reset()
                _logger.info("Concurrent update while pulling %s (%s); resumed on the next run", account.name, err)
                continue
            except Exception as err:  # a bug or bad data in one account must not stop the cron
                # the traceback, without the account's secrets should an error quote one
                trace = redact("".join(traceback.format_exception(err)), account._secret_values())
                _logger.error("Unexpected error while pulling account %s:\n%s", account.name, trace)
                account._record_failure(err)
            account._notify_pull_result(created - created_before)
            if auto_commit:
                # each account is one unit of work: keep what it stored even if
                # a later account crashes the worker
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return created

    # ---------------------------------------------------------------- webhooks

    @api.model
    def _webhook_account(self, token):
        """The active account a webhook URL token belongs to (empty if none)."""
        if not token or len(token) < 16:
            return self.browse()
        return self.sudo().search([("webhook_token", "=", token), ("active", "=", True)], limit=1)

    def _webhook_subscription_ok(self, mode, verify_token):
        """The GET handshake of Meta webhooks (hub.mode / hub.verify_token)."""
        self.ensure_one()
        return mode == "subscribe" and valid_token(self.sudo().webhook_verify_token, verify_token)

    def _webhook_signature_ok(self, body, header):
        self.ensure_one()
        return valid_hub_signature(self.sudo().webhook_secret, body, header)

    def _receive_webhook(self, payload):
        """Store the mentions of one verified delivery; return how many are new.

        Runs with the rights of the account's webhook user (see the controller)."""
        self.ensure_one()
        try:
            mentions = self._get_connector().parse_webhook(payload)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as err:
            raise PayloadError(f"Malformed delivery ({type(err).__name__})") from err
        created = self.env["social.crm.mention"]._ingest(self.env["social.crm.stream"], mentions, account=self)
        self.sudo().last_webhook_at = fields.Datetime.now()
        if created:
            self.env["social.crm.mention"]._trigger_processing()
        return len(created)

    def _try_lock(self):
        """Lock the account row for this transaction, or return False if a
        concurrent pull already holds it."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT id FROM social_crm_account WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
            (self.id,),
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _rate_limit_wait(self, error):
        return clamp_wait(error.retry_after or DEFAULT_RATE_LIMIT_WAIT)
