from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOverview(TransactionCase):
    """The overview's figures, with a company of their own (record rules keep
    the demo data out), and what each tile opens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Overview Inc."})
        cls.user = new_test_user(
            cls.env,
            login="overview_manager",
            groups="social_crm.group_social_crm_manager,helpdesk_mgmt.group_helpdesk_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz="UTC",
        )
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        Account, Mention = env["social.crm.account"], env["social.crm.mention"]
        cls.feeds = Account.create({"name": "Feeds", "platform": "rss", "company_id": cls.company.id, "state": "ok"})
        cls.toots = Account.create({"name": "Toots", "platform": "mastodon", "company_id": cls.company.id})
        env["social.crm.stream"].create(
            {"name": "Tag", "account_id": cls.toots.id, "mode": "hashtag", "hashtags": "acme"}
        )  # never pulled, with an active stream: needs attention
        cls.broken = Account.create({"name": "Broken X", "platform": "x", "company_id": cls.company.id})
        cls.broken._record_failure(Exception("boom"))
        cls.quiet = Account.create({"name": "Quiet", "platform": "hackernews", "company_id": cls.company.id})
        Author = env["social.crm.author"]
        cls.star = Author.create(
            {"platform": "mastodon", "external_key": "star@ov", "handle": "star", "company_id": cls.company.id}
        )
        cls.small = Author.create(
            {"platform": "rss", "external_key": "small@ov", "handle": "small", "company_id": cls.company.id}
        )
        cls.star.influence_score, cls.small.influence_score = 70, 10
        now = fields.Datetime.now()
        rows = [
            # (account, author, days ago, sentiment, score)
            (cls.toots, cls.star, 0, "positive", 0.8),
            (cls.toots, cls.star, 1, "positive", 0.6),
            (cls.toots, cls.small, 1, "negative", -0.6),
            (cls.feeds, cls.small, 2, "neutral", 0.0),
            (cls.feeds, cls.small, 2, "not_scored", None),
            (cls.feeds, cls.small, 20, "negative", -0.9),  # the period before (14 days)
        ]
        cls.mentions = Mention.create(
            [
                {
                    "platform": account.platform,
                    "external_id": f"ov-{n}",
                    "account_id": account.id,
                    "author_id": author.id,
                    "text": f"Overview mention {n}",
                    "posted_at": now - timedelta(days=days, minutes=5),
                    "sentiment_label": label,
                    "sentiment_score": score,
                    "state": "analysed",
                }
                for n, (account, author, days, label, score) in enumerate(rows)
            ]
        )
        Ticket = env["helpdesk.ticket"]
        common = {"company_id": cls.company.id, "description": "<p>help</p>"}
        first = cls.mentions[0]
        cls.overdue = Ticket.create(
            dict(common, name="Late", social_mention_id=first.id, social_response_deadline=now - timedelta(hours=1))
        )
        cls.on_time = Ticket.create(
            dict(common, name="Fresh", social_mention_id=first.id, social_response_deadline=now + timedelta(hours=3))
        )
        cls.answered = Ticket.create(
            dict(
                common,
                name="Answered",
                social_mention_id=first.id,
                social_response_deadline=now + timedelta(hours=3),
            )
        )
        cls.answered.social_first_response_at = cls.answered.create_date + timedelta(hours=2)

    def dashboard(self, user=None):
        return self.env["social.crm.dashboard"].with_user(user or self.user).with_context(tz="UTC")

    def opened(self, tile, key=None, user=None):
        """The records a tile opens, searched as the user."""
        action = self.dashboard(user).action_open(tile, key)
        if action.get("res_id"):
            return self.env[action["res_model"]].browse(action["res_id"])
        return self.env[action["res_model"]].with_user(user or self.user).search(action["domain"])

    def test_volume_by_day_and_platform_opens_its_mentions(self):
        volume = self.dashboard().get_overview(14)["volume"]
        self.assertEqual(volume["total"], 5)
        self.assertEqual(volume["previous"], 1)
        self.assertEqual(len(volume["series"]), 14)
        self.assertEqual([p["key"] for p in volume["platforms"]], ["mastodon", "rss"])
        self.assertEqual([p["count"] for p in volume["platforms"]], [3, 2])
        today = volume["series"][-1]
        self.assertEqual(today["total"], 1)
        self.assertEqual(len(self.opened("volume")), 5)
        self.assertEqual(len(self.opened("volume", "rss")), 2)
        two_days_ago = volume["series"][-3]
        self.assertEqual(two_days_ago["counts"], [0, 2])
        self.assertEqual(self.opened("day", f"{two_days_ago['day']}|rss"), self.mentions[3:5])

    def test_sentiment_mix_and_trend(self):
        sentiment = self.dashboard().get_overview(14)["sentiment"]
        mix = {part["key"]: part["count"] for part in sentiment["mix"]}
        self.assertEqual(mix, {"positive": 2, "neutral": 1, "negative": 1, "not_scored": 1})
        self.assertEqual(sentiment["scored"], 4)
        self.assertAlmostEqual(sentiment["average"], 0.2, places=2)
        self.assertEqual(sentiment["previous"], -0.9)
        self.assertEqual(sentiment["trend"], "improving")
        self.assertEqual(len(sentiment["daily"]), 14)
        self.assertEqual(sentiment["daily"][-1], 0.8)
        for key, count in mix.items():
            self.assertEqual(len(self.opened("sentiment", key)), count, key)

    def test_the_overview_and_the_tickets_agree_on_what_is_overdue(self):
        # answered in time, but its resolution is late: overdue on the ticket, so on the overview
        self.answered.social_resolution_deadline = fields.Datetime.now() - timedelta(minutes=5)
        states = {s["key"]: s["count"] for s in self.dashboard().get_overview(14)["tickets"]["states"]}
        self.assertEqual(states, {"overdue": 2, "on_time": 1, "answered": 0})
        self.assertEqual(self.answered.social_sla_status, "overdue")
        Ticket = self.env["helpdesk.ticket"]
        for key, status in (("overdue", "overdue"), ("on_time", "on_time")):
            tickets = self.opened("tickets", key)
            self.assertEqual(set(tickets.mapped("social_sla_status")), {status}, key)
        self.assertEqual(
            self.opened("tickets", "overdue"),
            Ticket.search([("social_sla_status", "=", "overdue"), ("id", "in", (self.overdue | self.answered).ids)]),
        )

    def test_open_social_tickets_by_sla_state_and_first_response(self):
        overview = self.dashboard().get_overview(14)
        states = {s["key"]: s["count"] for s in overview["tickets"]["states"]}
        self.assertEqual(states, {"overdue": 1, "on_time": 1, "answered": 1})
        self.assertEqual(self.opened("tickets", "overdue"), self.overdue)
        self.assertEqual(self.opened("tickets", "on_time"), self.on_time)
        self.assertEqual(self.opened("tickets", "answered"), self.answered)
        self.assertEqual(len(self.opened("tickets")), 3)
        response = overview["response"]
        self.assertEqual((response["answered"], response["average"], response["on_time"]), (1, 2.0, 100))
        self.assertEqual(self.opened("response"), self.answered)

    def test_top_authors_by_influence_and_accounts_needing_attention(self):
        overview = self.dashboard().get_overview(14)
        self.assertEqual([a["id"] for a in overview["authors"]], [self.star.id, self.small.id])
        self.assertEqual(overview["authors"][0]["mentions"], 2)
        self.assertEqual(self.opened("author", self.star.id), self.star)
        accounts = {a["id"]: a for a in overview["accounts"]}
        self.assertEqual(set(accounts), {self.broken.id, self.toots.id})  # not the working nor the idle ones
        self.assertIn("unexpected error", accounts[self.broken.id]["message"])
        self.assertIn("Pull now", accounts[self.toots.id]["message"])
        self.assertEqual(self.opened("account", self.broken.id), self.broken)
        self.assertEqual(self.opened("accounts"), self.broken | self.toots)

    def test_without_helpdesk_rights_the_ticket_tiles_are_left_out(self):
        reader = new_test_user(
            self.env,
            login="overview_reader",
            groups="social_crm.group_social_crm_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        overview = self.dashboard(reader).get_overview(7)
        self.assertFalse(overview["tickets"]["available"])
        self.assertFalse(overview["response"]["available"])
        self.assertEqual(overview["days"], 7)
        self.assertEqual(overview["volume"]["total"], 5)  # the one of 20 days ago is out

    def test_the_overview_is_the_apps_first_screen(self):
        root = self.env.ref("social_crm.social_crm_menu_root")
        first = root.child_id.filtered("action").sorted("sequence")[0]
        self.assertEqual(first, self.env.ref("social_crm.social_crm_overview_menu"))
        self.assertEqual(first.action.tag, "social_crm.overview")


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase):
    def test_overview_tiles_open_their_records(self):
        account = self.env["social.crm.account"].create({"name": "Tour broken account", "platform": "x"})
        account._record_failure(Exception("boom"))
        self.env["social.crm.mention"].create(
            {
                "platform": "x",
                "external_id": "tour-overview-1",
                "account_id": account.id,
                "text": "Tour overview: the export is broken",
                "posted_at": fields.Datetime.now() - timedelta(hours=1),
                "sentiment_label": "negative",
                "sentiment_score": -0.6,
                "state": "analysed",
            }
        )
        self.start_tour("/odoo", "social_crm_overview", login="admin")
