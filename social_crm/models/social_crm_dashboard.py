"""The overview: what the app's first screen shows, and what each tile opens.

Every figure is computed with the user's rights (record rules apply), and
every tile opens the records it counts: ``action_open(tile, key)`` builds the
action from the same domain as the figure.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from .social_crm_account import platform_labels

PERIODS = (7, 14, 30)  # days the overview can cover
SENTIMENTS = ("positive", "neutral", "negative", "not_scored")
SLA_STATES = ("overdue", "on_time", "answered")
TOP_AUTHORS = 5
ATTENTION_STATES = ("error", "rate_limited", "retrying")


class SocialCrmDashboard(models.AbstractModel):
    _name = "social.crm.dashboard"
    _description = "Social CRM overview"

    # ----------------------------------------------------------------- domains

    @api.model
    def _since(self, days):
        """Start of a period of ``days`` days ending today: midnight of its first day, for the user."""
        return self._day_start(fields.Date.context_today(self) - timedelta(days=days - 1))

    @api.model
    def _day_start(self, day):
        """The UTC datetime at which ``day`` starts for the user (read_group groups days in their timezone)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(fields.Date.to_date(day), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _mention_domain(self, days, platform=None, sentiment=None, day=None):
        domain = [("direction", "=", "in")]
        if day:
            start = self._day_start(day)
            domain += [
                ("posted_at", ">=", start),
                ("posted_at", "<", self._day_start(fields.Date.to_date(day) + timedelta(days=1))),
            ]
        else:
            domain.append(("posted_at", ">=", self._since(days)))
        if platform:
            domain.append(("platform", "=", platform))
        if sentiment:
            domain.append(("sentiment_label", "=", sentiment))
        return domain

    @api.model
    def _ticket_domain(self, sla_state=None):
        """Open social tickets, by the state of their answer deadline.

        "Overdue" is the tickets' own SLA status (``social_sla_status``: the answer
        or, once answered, the resolution is late), so that the overview and the
        tickets' badges agree; the others are the rest, not answered yet or answered."""
        domain = [("social_mention_id", "!=", False), ("closed", "=", False)]
        if sla_state == "overdue":
            domain.append(("social_sla_status", "=", "overdue"))
        elif sla_state == "on_time":
            domain += [("social_first_response_at", "=", False), ("social_sla_status", "!=", "overdue")]
        elif sla_state == "answered":
            domain += [("social_first_response_at", "!=", False), ("social_sla_status", "!=", "overdue")]
        return domain

    @api.model
    def _response_domain(self, days):
        return [
            ("social_mention_id", "!=", False),
            ("social_first_response_at", "!=", False),
            ("create_date", ">=", self._since(days)),
        ]

    @api.model
    def _attention_domain(self):
        return [
            "|",
            ("state", "in", ATTENTION_STATES),
            "&",
            ("state", "=", "new"),
            ("stream_ids.active", "=", True),
        ]

    @api.model
    def _tickets_readable(self):
        """Helpdesk users see the ticket tiles (the group of the Social Tickets menu)."""
        return self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own")

    # --------------------------------------------------------------- figures

    @api.model
    def get_overview(self, days=14):
        """Everything the overview shows, for the last ``days`` days."""
        days = days if days in PERIODS else 14
        return {
            "days": days,
            "periods": list(PERIODS),
            "volume": self._volume(days),
            "sentiment": self._sentiment(days),
            "tickets": self._tickets(),
            "response": self._response(days),
            "authors": self._top_authors(days),
            "accounts": self._accounts(),
            "to_review": self.env["social.crm.author"].search_count([("review_state", "=", "to_review")]),
        }

    @api.model
    def _volume(self, days):
        """Mentions per day and platform; the total against the period before."""
        Mention = self.env["social.crm.mention"]
        today = fields.Date.context_today(self)
        first = today - timedelta(days=days - 1)
        rows = Mention._read_group(
            [("direction", "=", "in"), ("posted_at", ">=", self._since(days))],
            ["posted_at:day", "platform"],
            ["__count"],
        )
        labels = platform_labels(self.env)
        counts, platforms = {}, {}
        for day, platform, count in rows:
            day = day.date() if hasattr(day, "date") else day
            counts[(day, platform)] = count
            platforms[platform] = platforms.get(platform, 0) + count
        order = sorted(platforms, key=lambda p: -platforms[p])
        series = []
        for offset in range(days):
            day = first + timedelta(days=offset)
            series.append(
                {
                    "day": fields.Date.to_string(day),
                    "label": day.strftime("%d %b"),
                    "counts": [counts.get((day, p), 0) for p in order],
                    "total": sum(counts.get((day, p), 0) for p in order),
                }
            )
        total = sum(platforms.values())
        previous = Mention.search_count(
            [
                ("direction", "=", "in"),
                ("posted_at", ">=", self._since(2 * days)),
                ("posted_at", "<", self._since(days)),
            ]
        )
        return {
            "series": series,
            "platforms": [{"key": p, "label": labels.get(p, p), "count": platforms[p]} for p in order],
            "total": total,
            "previous": previous,
            "max": max([d["total"] for d in series] or [0]),
        }

    @api.model
    def _sentiment(self, days):
        """The mix of sentiment labels, the daily average and its trend."""
        Mention = self.env["social.crm.mention"]
        labels = dict(Mention._fields["sentiment_label"]._description_selection(self.env))
        mix = dict(Mention._read_group(self._mention_domain(days), ["sentiment_label"], ["__count"]))
        total = sum(mix.get(key, 0) for key in SENTIMENTS)
        scored = [("sentiment_label", "in", ("positive", "neutral", "negative"))]

        def average(domain):
            [[value, count]] = Mention._read_group(domain + scored, [], ["sentiment_score:avg", "__count"])
            return (round(value, 2) if count else None), count

        current, scored_count = average(self._mention_domain(days))
        before, _before_count = average(
            [
                ("direction", "=", "in"),
                ("posted_at", ">=", self._since(2 * days)),
                ("posted_at", "<", self._since(days)),
            ]
        )
        trend = False
        if current is not None and before is not None:
            delta = current - before
            trend = "improving" if delta > 0.1 else "worsening" if delta < -0.1 else "stable"
        daily = {
            (day.date() if hasattr(day, "date") else day): value
            for day, value in Mention._read_group(
                self._mention_domain(days) + scored, ["posted_at:day"], ["sentiment_score:avg"]
            )
        }
        today = fields.Date.context_today(self)
        points = []
        for offset in range(days):
            day = today - timedelta(days=days - 1 - offset)
            value = daily.get(day)
            points.append(round(value, 2) if value is not None and value is not False else None)
        return {
            "mix": [
                {
                    "key": key,
                    "label": labels[key],
                    "count": mix.get(key, 0),
                    "share": round(100 * mix.get(key, 0) / total) if total else 0,
                }
                for key in SENTIMENTS
            ],
            "total": total,
            "average": current,
            "scored": scored_count,
            "previous": before,
            "trend": trend,
            "daily": points,
        }

    @api.model
    def _tickets(self):
        if not self._tickets_readable():
            return {"available": False}
        Ticket = self.env["helpdesk.ticket"]
        labels = {
            "overdue": self.env._("Overdue"),
            "on_time": self.env._("Waiting, on time"),
            "answered": self.env._("Answered, still open"),
        }
        states = [
            {"key": key, "label": labels[key], "count": Ticket.search_count(self._ticket_domain(key))}
            for key in SLA_STATES
        ]
        return {"available": True, "states": states, "open": sum(s["count"] for s in states)}

    @api.model
    def _response(self, days):
        if not self._tickets_readable():
            return {"available": False}
        Ticket = self.env["helpdesk.ticket"]
        answered = Ticket.search(self._response_domain(days))
        if not answered:
            return {"available": True, "answered": 0, "average": None, "on_time": 0}
        on_time = answered.filtered(
            lambda t: not t.social_response_deadline or t.social_first_response_at <= t.social_response_deadline
        )
        return {
            "available": True,
            "answered": len(answered),
            "average": round(sum(answered.mapped("social_first_response_hours")) / len(answered), 1),
            "on_time": round(100 * len(on_time) / len(answered)),
        }

    @api.model
    def _top_authors(self, days):
        Mention = self.env["social.crm.mention"]
        rows = Mention._read_group(
            self._mention_domain(days) + [("author_id", "!=", False)], ["author_id"], ["__count"]
        )
        counts = dict(rows)
        authors = self.env["social.crm.author"].browse([a.id for a in counts])
        authors = authors.sorted(lambda a: (-a.influence_score, -counts[a], a.id))[:TOP_AUTHORS]
        labels = platform_labels(self.env)
        return [
            {
                "id": author.id,
                "name": author.name or author.handle,
                "handle": author.handle,
                "platform": labels.get(author.platform, author.platform),
                "influence": author.influence_score,
                "mentions": counts[author],
                "contact": author.partner_id.display_name or False,
            }
            for author in authors
        ]

    @api.model
    def _accounts(self):
        Account = self.env["social.crm.account"]
        states = dict(Account._fields["state"]._description_selection(self.env))
        accounts = Account.search(self._attention_domain(), order="error_count desc, id")
        return [
            {
                "id": account.id,
                "name": account.name,
                "platform": account._platform_label(),
                "state": account.state,
                "state_label": states[account.state],
                "message": account.last_error_message
                or (self.env._("Never pulled yet: press Pull now on the account.") if account.state == "new" else ""),
            }
            for account in accounts
        ]

    # ---------------------------------------------------------------- tiles

    @api.model
    def action_open(self, tile, key=None, days=14):
        """The records behind a tile of the overview."""
        days = days if days in PERIODS else 14
        if tile in ("volume", "day", "sentiment"):
            platform = sentiment = day = None
            if tile == "volume":
                platform = key
            elif tile == "day":
                day, _sep, platform = (key or "").partition("|")
                platform = platform or None
            else:
                sentiment = key
            return self._window(
                "social.crm.mention",
                self.env._("Mentions"),
                self._mention_domain(days, platform=platform, sentiment=sentiment, day=day),
            )
        if tile == "tickets":
            return self._window("helpdesk.ticket", self.env._("Social tickets"), self._ticket_domain(key))
        if tile == "response":
            return self._window("helpdesk.ticket", self.env._("Answered social tickets"), self._response_domain(days))
        if tile == "author":
            return self._record("social.crm.author", int(key))
        if tile == "account":
            return self._record("social.crm.account", int(key))
        if tile == "accounts":
            return self._window(
                "social.crm.account", self.env._("Accounts needing attention"), self._attention_domain()
            )
        if tile == "review":
            return self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_crm_author_action_review")
        raise ValueError(f"Unknown overview tile {tile!r}")

    @api.model
    def _window(self, model, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
            "context": {"create": False},
        }

    @api.model
    def _record(self, model, res_id):
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": res_id,
            "views": [(False, "form")],
            "view_mode": "form",
        }
