import {registry} from "@web/core/registry";

// The router pushes the URL a moment after each navigation and merges pushes that come
// sooner: wait for each step's URL so that Back has a list entry to return to.
async function waitForPathDepth(depth) {
    for (
        let i = 0;
        i < 200 && window.location.pathname.split("/").length < depth;
        i++
    ) {
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

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
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Tour other'))) .o_data_row:contains('Tour brand')",
            // /odoo/<account action>/<id>/<mentions action>
            run: () => waitForPathDepth(5),
        },
        {
            content: "Open a mention",
            trigger:
                ".o_data_row:contains('Tour brand') .o_data_cell[name=text_preview]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=text]:contains('Tour brand')",
            run: async () => {
                await waitForPathDepth(6); // .../<mention id>
                window.history.back();
            },
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
