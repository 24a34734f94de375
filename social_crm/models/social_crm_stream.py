import json
import logging
import threading
import traceback

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..connectors import (
    CONNECTORS,
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    Query,
    RateLimitedError,
    TransientError,
    split_terms,
)
from ..connectors.redaction import redact
from .counting import count_by

_logger = logging.getLogger(__name__)

MODES = [
    ("search", "Keyword search"),
    ("mentions", "Mentions of the account"),
    ("hashtag", "Hashtag"),
    ("comments", "Comments"),
    ("feed", "Feed / Page posts"),
    ("subreddit", "Subreddit comments"),
]
ACCOUNTS_PER_BATCH = 10  # accounts pulled per cron batch; each batch is committed


class SocialCrmStream(models.Model):
    """What to listen for on one account, and how far we have read."""

    _name = "social.crm.stream"
    _description = "Social CRM Stream"
    _order = "account_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "social.crm.account", required=True, ondelete="cascade", index=True, check_company=True
    )
    platform = fields.Selection(related="account_id.platform", store=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    mode = fields.Selection(MODES, required=True, default="search")
    keywords = fields.Text(help="One keyword or phrase per line (or comma separated).")
    hashtags = fields.Text(help="Hashtags to watch, with or without #.")
    handles = fields.Text(help="Handles to watch, with or without @.")
    target = fields.Char(help="Feed URL (RSS), video id (YouTube), post or media id (comments), subreddit name.")
    max_pages = fields.Integer(
        "Pages per pull", default=5, help="Most pages read in one pull; the rest waits for the next pull."
    )
    cursor = fields.Json(readonly=True, copy=False, groups="social_crm.group_social_crm_manager")
    cursor_display = fields.Text(
        "Cursor (JSON)", compute="_compute_cursor_display", groups="social_crm.group_social_crm_manager"
    )
    last_pull_at = fields.Datetime(readonly=True, copy=False)
    last_pull_count = fields.Integer("Mentions in last pull", readonly=True, copy=False)
    mention_ids = fields.One2many("social.crm.mention", "stream_id", string="Mentions")
    mention_count = fields.Integer(compute="_compute_mention_count")

    @api.depends("cursor")
    def _compute_cursor_display(self):
        for stream in self:
            stream.cursor_display = json.dumps(stream.cursor or {}, indent=1, sort_keys=True)

    def _compute_mention_count(self):
        counts = count_by(self.env["social.crm.mention"], "stream_id", self)
        for stream in self:
            stream.mention_count = counts.get(stream, 0)

    @api.constrains("mode", "account_id", "keywords", "hashtags", "handles", "target", "max_pages")
    def _check_query(self):
        for stream in self:
            if stream.max_pages < 1:
                raise ValidationError(self.env._("A stream reads at least one page per pull."))
            stream._check_query_guided()  # the mode and what it needs, in the user's language
            connector = CONNECTORS[stream.account_id.platform]
            # credentials are the account's business: check the query with placeholders
            placeholders = {name: "-" for name in connector.required_settings + ("access_token",)}
            try:
                connector(settings=placeholders).check(stream._get_query())
            except ConfigurationError as err:
                raise ValidationError(
                    self.env._("The stream “%(stream)s” cannot be read: %(reason)s", stream=stream.name, reason=err)
                ) from err

    def action_view_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("stream_id", self)

    def action_reset_cursor(self):
        """Forget how far we read: the next pull starts from the newest page again."""
        self.check_access("write")  # the cursor is written with sudo
        self.sudo().write({"cursor": False})

    # ---------------------------------------------------------------- business

    def _get_query(self):
        self.ensure_one()
        return Query(
            mode=self.mode,
            keywords=split_terms(self.keywords),
            hashtags=split_terms(self.hashtags),
            handles=split_terms(self.handles),
            target=(self.target or "").strip(),
        )

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
        Account = self.env["social.crm.account"].sudo()
        accounts = Account.search(due_domain, order="next_pull_at asc nulls first, id", limit=ACCOUNTS_PER_BATCH)
        if not accounts:
            return
        self._pull_accounts(accounts, auto_commit=auto_commit)
        remaining = Account.search_count(due_domain)
        self.env["ir.cron"]._notify_progress(done=len(accounts), remaining=remaining)

    @api.model
    def _pull_accounts(self, accounts, auto_commit=True):
        """Pull each account's streams; one failing account never stops the others.

        Returns the number of mentions created."""
        created = 0
        for account in accounts.sudo():
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

    def _pull(self, connector, auto_commit=True):
        """Read up to ``max_pages`` pages; store each page and its cursor together."""
        self.ensure_one()
        stream = self.sudo()
        query = stream._get_query()
        cursor = stream.cursor or {}
        Mention = self.env["social.crm.mention"].sudo()
        created = Mention
        triggered = False
        for _page_number in range(stream.max_pages):
            page = connector.fetch_page(query, cursor)
            with self.env.cr.savepoint():
                created |= Mention._ingest(stream, page.mentions)
                stream.write(
                    {
                        "cursor": page.cursor,
                        "last_pull_at": fields.Datetime.now(),
                        "last_pull_count": len(created),
                    }
                )
            if auto_commit:
                # the page and its cursor are stored together: a crash after this
                # line re-reads nothing, a crash before it re-reads one page
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if created and not triggered:
                # analyse and route what arrived while the next pages are read (another cron worker)
                Mention._trigger_processing()
                triggered = True
            cursor = page.cursor
            if page.done:
                break
        return created
