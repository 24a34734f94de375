"""Measure language detection, sentiment and intent against labelled data.

Usage: python bench/eval_analysis.py [--eval-dir ../shared/fixtures/eval] [--json out.json]

Data (human-labelled, see the eval README): lingua sentences and word pairs
(33 languages x 100), UMSAB tweets (8 languages x 324, labels 0/1/2), the
VADER tweet ground truth (English, 1,050 texts rated -4..+4), and the customer-care
sets scored by ``../shared/tools/eval_understanding.py`` (run here, its figures and
targets reported under ``understanding/``).
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report import print_report  # noqa: E402

from social_crm.text_analysis import analyze, detect_language, score_sentiment  # noqa: E402
from social_crm.text_analysis.language import available_languages  # noqa: E402

UMSAB = {
    "arabic": "ar",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "portuguese": "pt",
    "spanish": "es",
}


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\r\n") for line in handle if line.strip()]


def language_eval(texts_by_lang, languages):
    correct = undetermined = total = 0
    for code, texts in texts_by_lang.items():
        for text in texts:
            result = detect_language(text, languages)
            total += 1
            if result.code == code:
                correct += 1
            elif result.code == "und":
                undetermined += 1
    answered = total - undetermined
    return {
        "texts": total,
        "accuracy": round(correct / total, 4),
        "coverage": round(answered / total, 4),
        "precision_when_answered": round(correct / answered, 4) if answered else None,
    }


def pearson(xs, ys):
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = sum((x - mx) ** 2 for x in xs) ** 0.5
    sy = sum((y - my) ** 2 for y in ys) ** 0.5
    return cov / (sx * sy)


def becomes_ticket(result, addressed):
    """What the default routing rules (data/social_crm_routing_rule_data.xml) do with a post:
    complaints and questions go to the helpdesk wherever they were heard, a negative post only
    when it is addressed to us (it names or answers one of our accounts)."""
    return result.intent.intent in ("complaint", "question") or (addressed and result.sentiment.label == "negative")


def default_routing(eval_dir):
    """The ticket figures of the shared tool with the default rules as they are: the airline
    tweets and the complaint set's tweets are written to a company's handle (addressed to it);
    its random control tweets are addressed to no company (see the shared evaluation's README).
    The shared tool counts every negative post as a ticket, as the rules did before 18.0.1.3.0."""
    care = os.path.join(eval_dir, "customer_care")
    with open(os.path.join(care, "airline_us", "tweets.csv"), encoding="utf-8") as handle:
        airline = list(csv.DictReader(handle))
    with open(os.path.join(care, "complaints", "complaints.csv"), encoding="utf-8") as handle:
        complaints = list(csv.reader(handle))

    def share(rows, addressed):
        results = [analyze(text, ["en"]) for text in rows]
        return round(sum(becomes_ticket(r, addressed) for r in results) / len(results), 4) if results else None

    problems = [
        r["text"]
        for r in airline
        if r["airline_sentiment"] == "negative" and r["negativereason"] not in ("", "Can't Tell")
    ]
    return {
        "airline_complaint_ticket_recall": share(problems, True),
        "airline_praise_ticketed": share([r["text"] for r in airline if r["airline_sentiment"] == "positive"], True),
        "complaints_ticket_recall": share([r[1] for r in complaints if r[2] == "1"], True),
        "random_tweets_ticketed": share([r[1] for r in complaints if r[3].startswith("random")], False),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", default=os.path.join(ROOT, "..", "shared", "fixtures", "eval"))
    parser.add_argument("--json")
    args = parser.parse_args()
    eval_dir = args.eval_dir
    report = {}
    started = time.perf_counter()

    # --- language: lingua sentences and word pairs
    supported = set(available_languages())
    for kind in ("lingua_sentences", "lingua_word_pairs"):
        folder = os.path.join(eval_dir, "langid", kind)
        data = {
            name[:-4]: read_lines(os.path.join(folder, name))
            for name in sorted(os.listdir(folder))
            if name[:-4] in supported
        }
        report[f"language/{kind}/all_profiles"] = language_eval(data, None)
        # restricted: the 33 test languages are the "expected" ones (upper bound of a company setting)
        report[f"language/{kind}/restricted"] = language_eval(data, list(data))
    # --- language on real tweets (UMSAB), company languages = the 8 UMSAB ones
    tweets = {}
    labels = {}
    for folder, code in UMSAB.items():
        base = os.path.join(eval_dir, "sentiment", "umsab", folder)
        tweets[code] = read_lines(os.path.join(base, "val_text.txt"))
        labels[code] = [int(x) for x in read_lines(os.path.join(base, "val_labels.txt"))]
    report["language/umsab_tweets/restricted_8"] = language_eval(
        {k: v for k, v in tweets.items() if k != "hi"}, list(UMSAB.values())
    )
    report["language/umsab_tweets/all_profiles"] = language_eval({k: v for k, v in tweets.items() if k != "hi"}, None)

    # --- sentiment: VADER ground truth (English)
    rows = [
        line.split("\t", 2)
        for line in read_lines(os.path.join(eval_dir, "sentiment", "vader_tweets_groundtruth.id_mod4_eq1.tsv"))
    ]
    gold = [float(r[1]) for r in rows]
    predicted = [score_sentiment(r[2], "en").compound for r in rows]

    def cls(value, low, high):
        return "negative" if value < low else "positive" if value > high else "neutral"

    acc = sum(cls(g, -0.5, 0.5) == cls(p, -0.05, 0.05) for g, p in zip(gold, predicted, strict=True)) / len(rows)
    report["sentiment/vader_groundtruth_en"] = {
        "texts": len(rows),
        "pearson": round(pearson(gold, predicted), 4),
        "accuracy_3class": round(acc, 4),
    }
    # --- full pipeline on UMSAB: English scored; others must be "not scored"
    names = {0: "negative", 1: "neutral", 2: "positive"}
    for code, texts in tweets.items():
        results = [analyze(text, list(UMSAB.values())) for text in texts]
        scored = [r for r in results if r.sentiment.scored]
        entry = {"texts": len(texts), "scored_share": round(len(scored) / len(texts), 4)}
        if scored:
            hits = sum(
                r.sentiment.label == names[label]
                for r, label in zip(results, labels[code], strict=True)
                if r.sentiment.scored
            )
            entry["accuracy_3class_on_scored"] = round(hits / len(scored), 4)
        # intent as a proxy: complaint should mostly be on negative tweets, praise on positive ones
        for intent, label in (("complaint", 0), ("praise", 2)):
            flagged = [lab for r, lab in zip(results, labels[code], strict=True) if r.intent.intent == intent]
            entry[f"{intent}_share"] = round(len(flagged) / len(texts), 4)
            entry[f"{intent}_precision_vs_label"] = round(flagged.count(label) / len(flagged), 4) if flagged else None
        report[f"pipeline/umsab/{code}"] = entry
    # --- the shared customer-care evaluation (its own figures and targets)
    tool = os.path.join(ROOT, "..", "shared", "tools", "eval_understanding.py")
    if os.path.exists(tool):
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "figures.json")
            run = subprocess.run(
                [sys.executable, tool, "--data", eval_dir, "--json", out],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if os.path.exists(out):
                with open(out, encoding="utf-8") as handle:
                    figures = json.load(handle)
                report["understanding/figures"] = figures["figures"]
                report["understanding/missed_targets"] = [line for line in run.stderr.splitlines() if line.strip()]
        report["understanding/default_routing"] = default_routing(eval_dir)
    report["seconds"] = round(time.perf_counter() - started, 1)

    print_report(report, args.json, render=json.dumps)


if __name__ == "__main__":
    main()
