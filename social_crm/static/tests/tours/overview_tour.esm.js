import {registry} from "@web/core/registry";

// The app opens on its overview; its tiles open the records they count.
registry.category("web_tour.tours").add("social_crm_overview", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Social CRM",
            trigger: ".o_app[data-menu-xmlid='social_crm.social_crm_menu_root']",
            run: "click",
        },
        {
            content: "The first screen is the overview, with its tiles",
            trigger: ".o_social_crm_overview .o_social_crm_tile[data-tile=volume]",
        },
        {
            trigger:
                ".o_social_crm_overview .o_social_crm_tile[data-tile=tickets] .o_social_crm_sla[data-sla=overdue]",
        },
        {
            trigger: ".o_social_crm_overview .o_social_crm_tile[data-tile=response]",
        },
        {
            trigger: ".o_social_crm_overview .o_social_crm_tile[data-tile=authors]",
        },
        {
            content: "The negative mentions",
            trigger: ".o_social_crm_sentiment[data-sentiment=negative]",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains('Tour overview: the export is broken')",
        },
        {
            trigger:
                ".o_list_view:not(:has(.o_data_row .o_data_cell[name=sentiment_label]:not(:contains('Negative'))))",
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb a:contains('Overview')",
            run: "click",
        },
        {
            content: "An account that needs attention",
            trigger: ".o_social_crm_account:contains('Tour broken account')",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_breadcrumb .active:contains('Tour broken account'), .o_breadcrumb .active:contains('Tour broken account')",
        },
        {
            trigger: ".o_form_view .alert-danger:contains('unexpected error')",
        },
        {
            content: "Back, and another period",
            trigger: ".o_breadcrumb a:contains('Overview')",
            run: "click",
        },
        {
            trigger: ".o_social_crm_period[data-days='30']",
            run: "click",
        },
        {
            trigger: ".o_social_crm_period.btn-primary[data-days='30']",
        },
    ],
});
