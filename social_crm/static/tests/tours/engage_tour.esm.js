import {registry} from "@web/core/registry";

// A helpdesk agent answers a social ticket: opens it from Social Tickets, starts
// from a saved reply, watches the counter, posts on X (HTTP replayed by the test),
// and sees the reply in the conversation, the SLA met and the ticket in progress.
registry.category("web_tour.tours").add("social_crm_engage_reply", {
    url: "/odoo/action-social_crm.helpdesk_ticket_action_social",
    steps: () => [
        {
            content: "The social ticket is in the list, with the time left to answer",
            trigger: ".o_data_row:contains('Tour Customer'):contains('answer in')",
        },
        {
            content: "The kanban shows the time left too",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger:
                ".o_kanban_record:contains('Tour Customer') .badge:contains('answer in')",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Tour Customer') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The customer's post is the first message of the conversation",
            trigger:
                ".o-mail-Message:contains('My order never arrived'):contains('X (Twitter)')",
        },
        {
            content: "The SLA is running",
            trigger: ".o_field_widget[name=social_sla_status]:contains('On time')",
        },
        {
            content: "Reply on the platform",
            trigger: "button[name=action_social_reply]",
            run: "click",
        },
        {
            content: "Start from a saved reply",
            trigger: ".modal .o_field_widget[name=template_id] input",
            run: "edit we are on it",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Social: we are on it')",
            run: "click",
        },
        {
            content: "The saved reply names the customer; the counter counts as X does",
            trigger: ".modal .o_social_crm_counter:contains('98 / 280')",
        },
        {
            content: "Make it longer than X allows: the counter turns red",
            trigger: ".modal .o_field_widget[name=body] textarea",
            run: `edit ${"日本".repeat(71)}`,
        },
        {
            trigger: ".modal .o_social_crm_counter.text-danger:contains('284 / 280')",
        },
        {
            content: "Write a short answer",
            trigger: ".modal .o_field_widget[name=body] textarea",
            run: "edit Sorry about that, Tour Customer: we are on it.",
        },
        {
            trigger:
                ".modal .o_social_crm_counter:contains('46 / 280'):not(.text-danger)",
        },
        {
            content: "Post it",
            trigger: ".modal button[name=action_send]:contains('Post reply')",
            run: "click",
        },
        {
            content: "Our reply is in the conversation, signed by the agent",
            trigger:
                ".o-mail-Message:contains('Replied on X (Twitter)'):contains('we are on it')",
        },
        {
            content: "The SLA is met",
            trigger: ".o_field_widget[name=social_sla_status]:contains('Met')",
        },
        {
            content: "The ticket moved to In Progress",
            trigger:
                ".o_statusbar_status .o_arrow_button_current:contains('In Progress')",
        },
    ],
});

// The agent's other screens: a mention no rule routed becomes a ticket from the
// list's Actions menu; the SLA report and the saved replies open from their menus.
registry.category("web_tour.tours").add("social_crm_engage_menus", {
    url: "/odoo/action-social_crm.social_crm_mention_action",
    steps: () => [
        {
            content: "Select the praise no rule routed",
            trigger:
                ".o_data_row:contains('Unrouted praise') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Actions > Create tickets",
            trigger: ".dropdown-item:contains('Create tickets')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=mention_count]:contains('1')",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The ticket opens, with its conversation",
            trigger: ".o_form_view .o-mail-Message:contains('Unrouted praise')",
        },
        {
            content: "Reporting > Social Tickets: SLA",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Reporting')",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains('Social Tickets: SLA')",
            run: "click",
        },
        {
            content: "The SLA report shows breached and met tickets",
            trigger: ".o_pivot table:contains('Total')",
        },
        {
            content: "Configuration > Saved Replies",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Configuration')",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains('Saved Replies')",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Social: we are on it')",
        },
    ],
});
