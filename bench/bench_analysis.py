"""Speed of the text analysis alone (no Odoo): this checkout against a baseline, in one run.

Usage: python bench/bench_analysis.py [--baseline REV] [--rounds 5] [--json out.json]

The machine is shared and its speed moves by tens of percent within minutes, so the baseline's
``social_crm/text_analysis`` (``git show REV:...``, default: where this branch left ``main``) is
imported from a
temporary folder and both are timed in the same process, round after round, interleaved; the
best round of each is kept (noise only slows down). Per round, the analysis caches are emptied
and every text is analysed once:

* real tweets: the UMSAB tweets of ../shared/fixtures/eval (8 languages x 324), with all 55
  langdetect profiles and restricted to the 8 languages;
* the worst case of issue 10: one 20,000-character post of emoji and words with no sentence
  end, analysed alone (the baseline runs in a child process, stopped after ``--timeout``).

Targets: >= 1,500 texts/s with all profiles, >= 4,000/s restricted, the worst case < 20 ms.
"""

import argparse
import glob
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report import print_report  # noqa: E402

EVAL = os.path.join(ROOT, "..", "shared", "fixtures", "eval", "sentiment", "umsab")
LANGUAGES = ["ar", "de", "en", "es", "fr", "hi", "it", "pt"]


def worst_case_text():
    """20,000 characters: emoji runs between words, no sentence end anywhere."""
    unit = "😡😡🔥👍🏽❤️ sync broken 🙄🙄 support 😂 "
    return (unit * (20_000 // len(unit) + 1))[:20_000]


def load_baseline(rev):
    """The baseline's text_analysis package, imported as ``baseline_pkg.text_analysis``."""
    folder = tempfile.mkdtemp(prefix="bench_analysis_")
    package = os.path.join(folder, "baseline_pkg", "text_analysis")
    os.makedirs(package)
    open(os.path.join(folder, "baseline_pkg", "__init__.py"), "w").close()
    names = subprocess.run(
        ["git", "-C", ROOT, "ls-tree", "--name-only", rev, "social_crm/text_analysis/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        if name.endswith(".py"):
            source = subprocess.run(
                ["git", "-C", ROOT, "show", f"{rev}:{name}"], check=True, capture_output=True, text=True
            ).stdout
            with open(os.path.join(package, os.path.basename(name)), "w", encoding="utf-8") as handle:
                handle.write(source)
    sys.path.insert(0, folder)
    import baseline_pkg.text_analysis as baseline

    return baseline, folder


def read_tweets():
    tweets = []
    for path in sorted(glob.glob(os.path.join(EVAL, "*", "val_text.txt"))):
        with open(path, encoding="utf-8") as handle:
            tweets.extend(line.strip() for line in handle if line.strip())
    return tweets


def time_corpus(module, texts, languages):
    module.clear_caches()
    started = time.perf_counter()
    for text in texts:
        module.analyze(text, languages)
    return time.perf_counter() - started


def _worst_case_child(rev_folder, queue):
    sys.path.insert(0, rev_folder)
    import baseline_pkg.text_analysis as baseline

    text = worst_case_text()
    baseline.analyze("warm up", ["en"])
    started = time.perf_counter()
    baseline.analyze(text, ["en"])
    queue.put(time.perf_counter() - started)


def baseline_worst_case(folder, timeout):
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_worst_case_child, args=(folder, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git revision to compare with (default: merge-base with main)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds for the baseline's worst case")
    parser.add_argument("--json")
    args = parser.parse_args()

    from social_crm import text_analysis as current

    if not args.baseline:
        args.baseline = (
            subprocess.run(
                ["git", "-C", ROOT, "merge-base", "HEAD", "main"], capture_output=True, text=True, check=False
            ).stdout.strip()
            or "main"
        )
    baseline, folder = load_baseline(args.baseline)
    tweets = read_tweets()
    result = {"texts": len(tweets), "baseline": args.baseline, "rounds": args.rounds}
    try:
        for module in (baseline, current):
            for languages in (None, LANGUAGES):
                module.analyze("warm up", languages)  # load profiles, lexicons, VADER
        best = {}
        for _round in range(args.rounds):
            for label, languages in (("all_profiles", None), ("restricted", LANGUAGES)):
                for name, module in (("baseline", baseline), ("current", current)):
                    seconds = time_corpus(module, tweets, languages)
                    key = f"{name}_{label}"
                    best[key] = min(best.get(key, seconds), seconds)
        for key, seconds in sorted(best.items()):
            result[f"{key}_per_second"] = round(len(tweets) / seconds)
        for label in ("all_profiles", "restricted"):
            result[f"ratio_{label}"] = round(best[f"baseline_{label}"] / best[f"current_{label}"], 3)
        text = worst_case_text()
        current.analyze("warm up", ["en"])
        timings = []
        for _ in range(args.rounds):
            current.clear_caches()
            started = time.perf_counter()
            current.analyze(text, ["en"])
            timings.append(time.perf_counter() - started)
        result["worst_case_chars"] = len(text)
        result["worst_case_current_ms"] = round(min(timings) * 1000, 2)
        seconds = baseline_worst_case(folder, args.timeout)
        result["worst_case_baseline_ms"] = round(seconds * 1000, 1) if seconds is not None else f"> {args.timeout} s"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_report(result, args.json, render=json.dumps)


if __name__ == "__main__":
    main()
