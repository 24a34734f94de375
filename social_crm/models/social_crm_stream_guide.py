"""The stream form that guides: per platform and mode, the modes offered, the
fields shown and required, what the mode reads, and translated checks."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .social_crm_stream import MODES

TERMS = ("keywords", "hashtags", "handles")
# (platform, mode) -> the query fields the mode uses, the ones it needs ("terms":
# at least one keyword, hashtag or handle), and what its target is
GUIDE = {
    ("rss", "feed"): {"fields": ("target", "keywords"), "required": ("target",), "target": "feed_url"},
    ("hackernews", "search"): {"fields": ("keywords",), "required": ("terms",)},
    ("mastodon", "hashtag"): {"fields": ("hashtags",), "required": ("hashtags",)},
    ("mastodon", "search"): {"fields": TERMS, "required": ("terms",)},
    ("mastodon", "mentions"): {"fields": ()},
    ("x", "search"): {"fields": TERMS, "required": ("terms",)},
    ("x", "mentions"): {"fields": ()},
    ("bluesky", "search"): {"fields": TERMS, "required": ("terms",)},
    ("bluesky", "mentions"): {"fields": ()},
    ("reddit", "search"): {"fields": TERMS, "required": ("terms",)},
    ("reddit", "subreddit"): {"fields": ("target",), "required": ("target",), "target": "subreddit"},
    ("reddit", "mentions"): {"fields": ()},
    ("youtube", "comments"): {"fields": ("target", "keywords"), "target": "video"},
    ("facebook", "comments"): {"fields": ("target",), "required": ("target",), "target": "post"},
    ("facebook", "feed"): {"fields": ()},
    ("facebook", "mentions"): {"fields": ()},
    ("instagram", "mentions"): {"fields": ()},
    ("instagram", "hashtag"): {"fields": ("hashtags",), "required": ("hashtags",)},
    ("instagram", "comments"): {"fields": ("target",), "required": ("target",), "target": "media"},
}
TARGET_KINDS = [
    ("feed_url", "Feed URL"),
    ("video", "Video"),
    ("post", "Post"),
    ("media", "Media"),
    ("subreddit", "Subreddit"),
]


def mode_help(env, platform, mode):
    """What a mode reads, in one sentence."""
    texts = {
        ("rss", "feed"): env._(
            "Reads the feed at the URL below; with keywords, only the entries that contain one of them."
        ),
        ("hackernews", "search"): env._("Stories and comments on Hacker News that contain one of the keywords."),
        ("mastodon", "hashtag"): env._("Public posts with these hashtags, as the account's instance sees them."),
        ("mastodon", "search"): env._("Posts found by the instance's search (needs the account's access token)."),
        ("mastodon", "mentions"): env._("Posts that mention the account (needs its access token)."),
        ("x", "search"): env._("Posts of the last 7 days with the keywords, hashtags or handles (paid X access)."),
        ("x", "mentions"): env._("Posts that mention the account's user id (paid X access)."),
        ("bluesky", "search"): env._("Posts found by Bluesky's search; no login needed."),
        ("bluesky", "mentions"): env._("Mentions, replies and quotes of the account (handle and app password)."),
        ("reddit", "search"): env._("Posts anywhere on Reddit with the keywords."),
        ("reddit", "subreddit"): env._("New comments in the subreddit below."),
        ("reddit", "mentions"): env._("Comments that mention the account's username (needs a user token)."),
        ("youtube", "comments"): env._(
            "Comments of the video below, or of the whole channel (the account's channel id) when it is empty; "
            "keywords keep only the comments that contain them."
        ),
        ("facebook", "comments"): env._("Comments of the Page post below."),
        ("facebook", "feed"): env._("Posts published on the Page."),
        ("facebook", "mentions"): env._("Posts the Page is tagged in."),
        ("instagram", "mentions"): env._("Media the account is tagged in."),
        ("instagram", "hashtag"): env._(
            "Recent media with the first hashtag below (Instagram searches one at a time)."
        ),
        ("instagram", "comments"): env._("Comments of the media below."),
    }
    return texts.get((platform, mode), "")


class SocialCrmStream(models.Model):
    _inherit = "social.crm.stream"

    available_modes = fields.Json(compute="_compute_guide", help="The modes the account's platform offers.")
    mode_help = fields.Char("What it reads", compute="_compute_guide")
    show_keywords = fields.Boolean(compute="_compute_guide")
    show_hashtags = fields.Boolean(compute="_compute_guide")
    show_handles = fields.Boolean(compute="_compute_guide")
    show_target = fields.Boolean(compute="_compute_guide")
    target_required = fields.Boolean(compute="_compute_guide")
    target_kind = fields.Selection(TARGET_KINDS, compute="_compute_guide")

    @api.depends("account_id.platform", "mode")
    def _compute_guide(self):
        for stream in self:
            platform = stream.account_id.platform
            guide = GUIDE.get((platform, stream.mode), {})
            shown = guide.get("fields", ())
            # never empty (an empty list is stored as False, which the mode widget cannot filter by)
            stream.available_modes = (
                list(stream.account_id._connector_class().modes) if platform else [m for m, _l in MODES]
            )
            stream.mode_help = mode_help(self.env, platform, stream.mode) if platform else False
            stream.show_keywords = "keywords" in shown
            stream.show_hashtags = "hashtags" in shown
            stream.show_handles = "handles" in shown
            stream.show_target = "target" in shown
            stream.target_required = "target" in guide.get("required", ())
            stream.target_kind = guide.get("target", False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        account = self.env["social.crm.account"].browse(values.get("account_id"))
        if "mode" in fields_list and account.exists():
            values["mode"] = self._default_mode(account.platform, values.get("mode"))
        return values

    @api.onchange("account_id")
    def _onchange_account_id_mode(self):
        for stream in self.filtered("account_id"):
            stream.mode = self._default_mode(stream.account_id.platform, stream.mode)

    @api.model
    def _default_mode(self, platform, mode):
        """``mode`` if the platform offers it, else the platform's first mode."""
        modes = self.env["social.crm.account"]._get_connector_class(platform).modes
        return mode if mode in modes else modes[0]

    def _check_query_guided(self):
        """The checks of the stream form, in the user's language: the mode is
        one the platform offers, what the mode needs is filled in."""
        self.ensure_one()
        connector = self.account_id._connector_class()
        labels = dict(self._fields["mode"]._description_selection(self.env))
        if self.mode not in connector.modes:
            raise ValidationError(
                self.env._(
                    "%(platform)s streams can listen to: %(modes)s.",
                    platform=connector.label,
                    modes=", ".join(labels[m] for m in connector.modes),
                )
            )
        guide = GUIDE.get((self.account_id.platform, self.mode), {})
        required = guide.get("required", ())
        query = self._get_query()
        what = {"platform": connector.label, "mode": labels[self.mode], "stream": self.name}
        if "target" in required and not query.target:
            kind = dict(self._fields["target_kind"]._description_selection(self.env)).get(guide.get("target"))
            raise ValidationError(
                self.env._("The %(platform)s stream “%(stream)s” needs its %(target)s.", target=kind, **what)
            )
        if guide.get("target") == "feed_url" and not query.target.startswith(("http://", "https://")):
            raise ValidationError(
                self.env._("The feed URL of “%(stream)s” must start with http:// or https://.", stream=self.name)
            )
        if "hashtags" in required and not query.hashtags:
            raise ValidationError(
                self.env._("The %(platform)s stream “%(stream)s” needs at least one hashtag.", **what)
            )
        if "terms" in required and not query.terms:
            raise ValidationError(
                self.env._("The %(mode)s stream “%(stream)s” needs at least one keyword, hashtag or handle.", **what)
            )
