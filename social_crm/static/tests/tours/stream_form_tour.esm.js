import {registry} from "@web/core/registry";

// A new stream: the modes, fields and checks follow the account's platform.
registry.category("web_tour.tours").add("social_crm_stream_form", {
    steps: () => [
        {
            content: "Choose the RSS account",
            trigger: ".o_field_widget[name=account_id] input",
            run: "edit Tour feeds",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour feeds')",
            run: "click",
        },
        {
            content:
                "An RSS stream reads a feed: the only mode offered, and its URL field",
            trigger:
                ".o_field_widget[name=mode] select:has(option:contains('Feed')):not(:has(option:contains('Keyword search')))",
        },
        {
            trigger: ".o_form_view label:contains('Feed URL')",
        },
        {
            content: "No hashtags for a feed",
            trigger:
                ".o_form_view:has(.o_field_widget[name=keywords]):not(:has(.o_field_widget[name=hashtags]))",
        },
        {
            content: "Switch to the Mastodon account",
            trigger: ".o_field_widget[name=account_id] input",
            run: "edit Tour toots",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour toots')",
            run: "click",
        },
        {
            content: "Mastodon modes only, hashtag first, with what it reads",
            trigger:
                ".o_field_widget[name=mode] select:has(option:contains('Hashtag')):not(:has(option:contains('Feed')))",
        },
        {
            trigger: ".o_field_widget[name=mode_help]:contains('hashtags')",
        },
        {
            content: "The hashtags field replaces the feed URL",
            trigger:
                ".o_form_view:has(.o_field_widget[name=hashtags]):not(:has(label:contains('Feed URL')))",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour hashtag stream",
        },
        {
            content: "Saving without a hashtag says what is missing",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".modal:contains('needs at least one hashtag')",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=hashtags] textarea",
            run: "edit odoo",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_breadcrumb .active:contains('Tour hashtag stream')",
        },
        {
            trigger: ".o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});
