import itertools

from odoo import api, fields, models


class HelpdeskTicketTeam(models.Model):
    """Triage of social tickets: who gets them, where they go once answered."""

    _inherit = "helpdesk.ticket.team"

    social_auto_assign = fields.Boolean(
        "Assign social tickets automatically",
        help="New social tickets of this team go to its members in turn (round-robin), "
        "unless the routing rule names someone.",
    )
    social_assign_by_language = fields.Boolean(
        "By language",
        help="Give a ticket to the members who speak its language (Languages spoken, on the user); "
        "when none does, to any member.",
    )
    social_answered_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        "Stage once answered",
        domain="['|', ('team_ids', '=', False), ('team_ids', '=', id)]",
        help="Where a new social ticket goes when an agent answers it. Empty: the first stage of the team "
        "that is neither unattended nor closed (In Progress).",
    )
    social_last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)

    def _social_answered_stage(self):
        """The stage of a social ticket once answered (see the field's help);
        also for tickets without a team (empty ``self``)."""
        if self.social_answered_stage_id:
            return self.social_answered_stage_id
        stages = self._get_applicable_stages()
        return stages.filtered(lambda s: not s.unattended and not s.closed)[:1]

    def _social_next_assignees(self, languages):
        """Members in turn for tickets in ``languages`` (one ISO code per ticket,
        or False), continuing after the last member who got one; remembers
        where it stopped."""
        self.ensure_one()
        members = self.user_ids.filtered(lambda u: u.active and not u.share).sorted("id")
        if not members:
            return [self.env["res.users"]] * len(languages)
        assignees = []
        last = self.social_last_assigned_user_id
        for language in languages:
            eligible = members
            if self.social_assign_by_language and language:
                speakers = members.filtered(lambda u, lang=language: lang in u._social_crm_language_codes())
                eligible = speakers or members
            after = [u for u in eligible if u.id > last.id] if last else []
            chosen = next(itertools.chain(after, eligible))
            assignees.append(chosen)
            last = chosen
        self.sudo().social_last_assigned_user_id = last
        return assignees

    @api.model
    def _social_assign(self, vals_list, languages):
        """Fill ``user_id`` of unassigned new social tickets whose team assigns
        automatically (``vals_list`` are create values)."""
        by_team = {}
        for index, vals in enumerate(vals_list):
            if not vals.get("user_id") and vals.get("team_id"):
                by_team.setdefault(vals["team_id"], []).append(index)
        for team in self.browse(list(by_team)).filtered("social_auto_assign"):
            indexes = by_team[team.id]
            for index, user in zip(indexes, team._social_next_assignees([languages[i] for i in indexes]), strict=True):
                if user:
                    vals_list[index]["user_id"] = user.id
