import {registry} from "@web/core/registry";

// Opens the advocates kanban and moves a card from "Candidate" to "Engaged".
registry.category("web_tour.tours").add("social_crm_advocacy_kanban", {
    url: "/odoo/action-social_crm.social_crm_advocate_action",
    steps: () => [
        {
            content: "The advocates kanban is grouped by stage",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Candidate')) .o_kanban_record:contains('Tour Advocate')",
        },
        {
            content: "The card shows the tier and the points",
            trigger:
                ".o_kanban_record:contains('Tour Advocate'):contains('Bronze'):contains('15 pts')",
        },
        {
            content: "Move the advocate to Engaged",
            trigger: ".o_kanban_record:contains('Tour Advocate')",
            run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains('Engaged')))",
        },
        {
            content: "The card is now in Engaged",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Engaged')) .o_kanban_record:contains('Tour Advocate')",
        },
    ],
});
