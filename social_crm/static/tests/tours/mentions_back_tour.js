/** @odoo-module **/
import { registry } from "@web/core/registry";

// An account's mentions, a mention, then the browser's Back: the list is still the account's.
registry.category("web_tour.tours").add("social_crm_mentions_back", {
    steps: () => [
        {
            content: "Open the account's mentions",
            trigger: ".oe_stat_button:contains('Mentions')",
            run: "click",
        },
        {
            content: "The filter is shown and applied",
            trigger: ".o_searchview_facet:contains('Tour brand')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour other'))) .o_data_row:contains('Tour brand')",
        },
        {
            content: "Open a mention",
            trigger: ".o_data_row:contains('Tour brand') .o_data_cell[name=text_preview]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=text]:contains('Tour brand')",
            run: () => window.history.back(),
        },
        {
            content: "Back: still the account's mentions only",
            trigger: ".o_list_view .o_searchview_facet:contains('Tour brand')",
        },
        {
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Tour other'))):has(.o_data_row:contains('Tour brand'))",
        },
    ],
});
