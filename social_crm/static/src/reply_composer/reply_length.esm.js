// The length of a reply as each platform counts it: the same rules as
// connectors/replies.py (the server checks again before posting).

const URL_RE = /https?:\/\/[^\s<>"]+/giu;
const MASTODON_MENTION =
    /(?<![\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[.\p{L}\p{N}_-]*[\p{L}\p{N}_])?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/gu;
const X_LIGHT_RANGES = [
    [0x0000, 0x10ff],
    [0x2000, 0x200d],
    [0x2010, 0x201f],
    [0x2032, 0x2037],
];
const segmenter = new Intl.Segmenter(undefined, {granularity: "grapheme"});

function graphemes(text) {
    return Array.from(segmenter.segment(text), (part) => part.segment);
}

function isPictographic(cp) {
    return (
        (cp >= 0x1f000 && cp <= 0x1faff) ||
        (cp >= 0x2600 && cp <= 0x27bf) ||
        (cp >= 0x2300 && cp <= 0x23ff) ||
        (cp >= 0x2b00 && cp <= 0x2bff) ||
        [
            0x00a9, 0x00ae, 0x203c, 0x2049, 0x2122, 0x2139, 0x3030, 0x303d, 0x3297,
            0x3299,
        ].includes(cp)
    );
}

function isRegional(cp) {
    return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

function xWeight(text) {
    let weight = 0;
    for (const cluster of graphemes(text)) {
        const points = Array.from(cluster, (char) => char.codePointAt(0));
        if (points.some((cp) => isPictographic(cp) || isRegional(cp))) {
            weight += 200;
            continue;
        }
        for (const cp of points) {
            weight += X_LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi)
                ? 100
                : 200;
        }
    }
    return weight;
}

export function replyLength(text, counting) {
    text = text || "";
    if (counting === "x") {
        text = text.normalize("NFC");
        let weight = 0;
        let position = 0;
        for (const match of text.matchAll(URL_RE)) {
            weight += xWeight(text.slice(position, match.index)) + 2300;
            position = match.index + match[0].length;
        }
        weight += xWeight(text.slice(position));
        return Math.floor(weight / 100);
    }
    if (counting === "mastodon") {
        const countable = text
            .replace(URL_RE, "x".repeat(23))
            .replace(MASTODON_MENTION, "@$1");
        return graphemes(countable).length;
    }
    if (counting === "graphemes") {
        return graphemes(text).length;
    }
    return Array.from(text).length; // Code points, as Python's len()
}
