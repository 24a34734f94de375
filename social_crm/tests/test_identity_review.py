from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIdentityReview(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.social_crm_identity_policy = "review"
        Partner, cls.Author = cls.env["res.partner"], cls.env["social.crm.author"]
        cls.grace = Partner.create({"name": "Grace Hopper", "email": "grace.hopper@gmail.com"})
        cls.Author.create(
            {
                "platform": "bluesky",
                "external_key": "did:plc:grace",
                "handle": "grace_hopper.bsky.social",
                "partner_id": cls.grace.id,
            }
        )
        cls.site = Partner.create({"name": "G. Hopper", "website": "https://gracehopper.example"})
        cls.colleague = Partner.create({"name": "Bob Stone", "email": "bob@gracehopper.example"})
        cls.stranger = Partner.create({"name": "Nobody Related", "email": "nobody@elsewhere.example"})
        cls.author = cls.Author.create(
            {
                "platform": "mastodon",
                "external_key": "grace_hopper@mastodon.social",
                "handle": "grace_hopper@mastodon.social",
                "name": "Grace Hopper",
                "profile_url": "https://mastodon.social/@grace_hopper",
                "website": "https://gracehopper.example/blog",
                "bio": "Writing about CRMs. hello@gracehopper.example",
                "review_state": "to_review",
            }
        )
        cls.user = new_test_user(cls.env, login="reviewer", groups="social_crm.group_social_crm_user")

    def review(self, author):
        return Form.from_action(self.env, author.with_user(self.user).action_review_identity()).save()

    def test_candidates_are_ranked_with_their_evidence(self):
        review = self.review(self.author)
        self.assertEqual([line.partner_id for line in review.line_ids], [self.grace, self.site, self.colleague])
        first, second, third = review.line_ids
        self.assertIn("Same handle on another platform: @grace_hopper.bsky.social (Bluesky)", first.evidence)
        self.assertIn("Similar name", first.evidence)
        self.assertIn("Same web site: gracehopper.example", second.evidence)
        self.assertIn("E-mail on the same domain: gracehopper.example", third.evidence)
        self.assertGreater(first.score, second.score)
        self.assertGreater(second.score, third.score)
        self.assertNotIn(self.stranger, review.line_ids.partner_id)

    def test_link_in_one_click_never_merges(self):
        other = self.Author.create(
            {"platform": "x", "external_key": "42", "handle": "someone", "review_state": "to_review"}
        )
        partners = self.env["res.partner"].search_count([])
        review = self.review(self.author)
        action = review.line_ids[0].with_user(self.user).action_link()
        self.assertEqual(self.author.partner_id, self.grace)
        self.assertEqual((self.author.review_state, self.author.match_method), ("matched", "manual"))
        self.assertIn("Same handle", self.author.match_evidence)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)  # nothing merged, nothing created
        # the next identity to review opens at once
        following = Form.from_action(self.env, action).save()
        self.assertEqual(following.author_id, other)

    def test_merge_opens_odoos_merge_with_both_contacts(self):
        self.author.action_create_partner()  # the identity got a contact of its own: a duplicate of Grace
        duplicate = self.author.partner_id
        self.assertNotEqual(duplicate, self.grace)
        review = self.review(self.author)
        line = review.line_ids.filtered(lambda s: s.partner_id == self.grace)
        self.assertTrue(line.can_merge)
        merge = Form.from_action(self.env, line.action_merge())
        self.assertEqual(set(merge.partner_ids.ids), {self.grace.id, duplicate.id})
        self.assertTrue(duplicate.exists() and self.grace.exists())  # the user confirms the merge there

    def test_nothing_in_common_is_said_and_the_round_ends(self):
        lonely = self.Author.create(
            {"platform": "reddit", "external_key": "zz_top_9", "handle": "zz_top_9", "review_state": "to_review"}
        )
        review = self.review(lonely)
        self.assertFalse(review.line_ids)
        self.author.review_state = "rejected"
        action = review.action_keep_separate()
        self.assertEqual(lonely.review_state, "rejected")
        self.assertEqual(action["tag"], "display_notification")
        create = self.review(self.Author.create({"platform": "reddit", "external_key": "k2", "handle": "k2"}))
        create.action_create_partner()
        self.assertEqual(create.author_id.review_state, "created")
