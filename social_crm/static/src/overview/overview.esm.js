import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

// The colours of the platforms in the volume chart (o_tag colours of Odoo's palette).
const PLATFORM_COLORS = [
    "#4c8bf5",
    "#e6763e",
    "#33a37a",
    "#9a63c9",
    "#d6b23a",
    "#d34c6b",
    "#47a3b8",
    "#8d8d8d",
    "#6e7bd9",
];
const SENTIMENT_COLORS = {
    positive: "#28a745",
    neutral: "#adb5bd",
    negative: "#dc3545",
    not_scored: "#e9ecef",
};

/**
 * The first screen of Social CRM: volume, sentiment, social tickets, answer
 * times, influential authors and accounts needing attention. Every figure is
 * a button that opens the records it counts (social.crm.dashboard.action_open).
 */
export class SocialCrmOverview extends Component {
    static template = "social_crm.Overview";
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({days: 14, data: null});
        this.platformColors = PLATFORM_COLORS;
        this.sentimentColors = SENTIMENT_COLORS;
        onWillStart(() => this.load());
    }

    async load(days = this.state.days) {
        this.state.data = await this.orm.call(
            "social.crm.dashboard",
            "get_overview",
            [],
            {
                days,
            }
        );
        this.state.days = this.state.data.days;
    }

    async open(tile, key = null) {
        const action = await this.orm.call(
            "social.crm.dashboard",
            "action_open",
            [tile, key],
            {
                days: this.state.days,
            }
        );
        await this.action.doAction(action);
    }

    barHeight(count) {
        const max = this.state.data.volume.max || 1;
        return `${Math.round((100 * count) / max)}%`;
    }

    get trendLabel() {
        return {
            improving: _t("improving"),
            worsening: _t("worsening"),
            stable: _t("stable"),
        }[this.state.data.sentiment.trend];
    }

    get volumeChange() {
        const {total, previous} = this.state.data.volume;
        if (!previous) {
            return null;
        }
        return Math.round((100 * (total - previous)) / previous);
    }

    /** The daily average sentiment as the points of an SVG polyline (-1 at the bottom, +1 at the top). */
    get sparkline() {
        const points = this.state.data.sentiment.daily;
        const step = points.length > 1 ? 200 / (points.length - 1) : 0;
        return points
            .map((value, index) =>
                value === null
                    ? null
                    : `${(index * step).toFixed(1)},${(20 - value * 18).toFixed(1)}`
            )
            .filter(Boolean)
            .join(" ");
    }

    formatScore(value) {
        if (value === null || value === undefined) {
            return "-";
        }
        return (value > 0 ? "+" : "") + value.toFixed(2);
    }
}

registry.category("actions").add("social_crm.overview", SocialCrmOverview);
