import json
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..connectors import (
    ConfigurationError,
    Query,
    split_terms,
)
from . import social_crm_messages as messages
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
            connector = stream.account_id._connector_class()
            # credentials are the account's business: check the query with placeholders
            placeholders = {name: "-" for name in connector.required_settings + ("access_token",)}
            try:
                connector(settings=placeholders).check(stream._get_query())
            except ConfigurationError as err:
                raise ValidationError(
                    self.env._(
                        "The stream “%(stream)s” cannot be read: %(reason)s",
                        stream=stream.name,
                        reason=messages.connector_error_text(self.env, err, stream.account_id._platform_label()),
                    )
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
        """Kept for callers of 18.0.1.1.0: the pull cron is the account's now."""
        return self.env["social.crm.account"]._cron_pull_mentions()

    @api.model
    def _pull_accounts(self, accounts, auto_commit=True):
        """Kept for callers of 18.0.1.1.0: see ``social.crm.account._pull``."""
        return accounts._pull(auto_commit=auto_commit)

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
