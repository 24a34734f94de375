from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSettingsValidated(TransactionCase):
    def settings(self):
        return Form(self.env["res.config.settings"])

    def test_languages_become_iso_codes(self):
        form = self.settings()
        form.social_crm_languages = "German, FR, pt_BR, es, fr"
        form.save().execute()
        self.assertEqual(self.env.company.social_crm_languages, "de,fr,pt,es")
        self.assertEqual(self.env.company._social_crm_language_codes(), ["de", "en", "es", "fr", "pt"])

    def test_unknown_languages_are_refused_with_what_is_wrong(self):
        # regression: "german, xx, FR" was stored as typed
        form = self.settings()
        form.social_crm_languages = "german, xx, FR"
        with self.assertRaises(ValidationError) as caught:  # Odoo's assertRaises rolls back to a savepoint
            form.save().execute()
        self.assertIn("Unknown language(s): xx.", str(caught.exception))
        self.assertIn("known codes:", str(caught.exception))
        self.assertNotEqual(self.env.company.social_crm_languages, "german, xx, FR")

    def test_deadlines_must_be_positive(self):
        # regression: -2 hours was accepted as a deadline
        form = self.settings()
        form.social_crm_sla_hours_high = -2
        with self.assertRaises(ValidationError) as caught:
            form.save().execute()
        self.assertIn("more than 0 hours", str(caught.exception))
        form = self.settings()
        form.social_crm_sla_hours_low = 0
        with self.assertRaises(ValidationError):
            form.save().execute()
        form = self.settings()
        form.social_crm_sla_hours_high = 2.5
        form.save().execute()
        self.assertEqual(self.env.company.social_crm_sla_hours_high, 2.5)


@tagged("post_install", "-at_install")
class TestListsReadWell(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["social.crm.account"].create({"name": "Feeds", "platform": "rss"})
        cls.Mention = cls.env["social.crm.mention"]

    def mention(self, **values):
        values.setdefault("external_id", f"lists-{len(self.Mention.search([]))}")
        return self.Mention.create(dict({"platform": "rss", "account_id": self.account.id}, **values))

    def test_long_texts_are_clipped_in_lists_and_whole_on_the_form(self):
        long_text = "word " * 2000  # 10,000 characters
        mention = self.mention(text=long_text, title="A very long post")
        self.assertLessEqual(len(mention.text_preview), 160)
        self.assertTrue(mention.text_preview.startswith("A very long post — word word"))
        self.assertTrue(mention.text_preview.endswith("…"))
        self.assertEqual(mention.text, long_text)
        # the list shows the preview, the form the whole text
        list_arch = self.Mention.get_view(self.env.ref("social_crm.social_crm_mention_view_list").id)["arch"]
        self.assertIn('name="text_preview"', list_arch)
        self.assertNotIn('name="text"', list_arch)
        form_arch = self.Mention.get_view(self.env.ref("social_crm.social_crm_mention_view_form").id)["arch"]
        self.assertIn('name="text"', form_arch)

    def test_short_text_is_shown_as_it_is(self):
        self.assertEqual(self.mention(text="Short\nand   sweet").text_preview, "Short and sweet")

    def test_search_finds_the_title_too(self):
        # regression: the search on the text ignored the title
        titled = self.mention(title="Quarterly roadmap", text="Read more on our blog")
        self.mention(text="Something else")
        search = self.env.ref("social_crm.social_crm_mention_view_search")
        arch = self.Mention.get_view(search.id, "search")["arch"]
        self.assertIn("('title', 'ilike', self)", arch)
        domain = ["|", ("text", "ilike", "roadmap"), ("title", "ilike", "roadmap")]
        self.assertEqual(self.Mention.search(domain), titled)
        self.assertIn(titled, self.Mention.search([("display_name", "ilike", "roadmap")]))
