import {useEffect, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {TextField, textField} from "@web/views/fields/text/text_field";
import {replyLength} from "./reply_length.esm";

/**
 * The reply composer's text: a textarea with a live counter of the length as
 * the platform counts it, against the platform's limit (fields body_counting,
 * body_limit and body_prefix of social.crm.reply).
 */
export class SocialReplyTextField extends TextField {
    static template = "social_crm.SocialReplyTextField";

    setup() {
        super.setup();
        this.counter = useState({text: this.props.record.data[this.props.name] || ""});
        useEffect(
            (value) => {
                this.counter.text = value || "";
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    onInput(ev) {
        this.counter.text = ev.target.value;
    }

    get count() {
        const data = this.props.record.data;
        let text = this.counter.text.trim();
        const prefix = data.body_prefix || "";
        if (text && prefix && !text.includes(prefix.trim())) {
            text = prefix + text;
        }
        return replyLength(text, data.body_counting);
    }

    get limit() {
        return this.props.record.data.body_limit || 0;
    }

    get overLimit() {
        return this.limit > 0 && this.count > this.limit;
    }
}

export const socialReplyTextField = {
    ...textField,
    component: SocialReplyTextField,
};

registry.category("fields").add("social_reply_text", socialReplyTextField);
