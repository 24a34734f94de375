"""``python -m social_crm.text_analysis --languages en,de``: analyse texts without Odoo.

Reads one text per line on standard input and prints one JSON line per text: language,
sentiment, compound, drivers, intent, evidence (and noise, analyzer version). A line may hold a
JSON string (``"first line\\nsecond line"``) for texts with line breaks.
"""

import argparse
import json
import sys

from . import analyze


def result_line(text, languages, platform_language=None):
    result = analyze(text, languages, platform_language)
    return {
        "language": result.language.code,
        "language_confidence": result.language.confidence,
        "sentiment": result.sentiment.label,
        "compound": result.sentiment.compound,
        "drivers": [[words, weight] for words, weight in result.sentiment.drivers],
        "intent": result.intent.intent,
        "evidence": result.intent.evidence.get(result.intent.intent, []),
        "noise": result.noise,
        "version": result.version,
    }


def _text(line):
    line = line.rstrip("\r\n")
    if line.startswith('"') and line.endswith('"') and len(line) > 1:
        try:
            value = json.loads(line)
        except ValueError:
            return line
        return value if isinstance(value, str) else line
    return line


def main(argv=None, stdin=None, stdout=None):
    parser = argparse.ArgumentParser(prog="python -m social_crm.text_analysis", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--languages",
        default="",
        help="the languages expected, comma-separated ISO codes (English is always added); empty: all",
    )
    parser.add_argument("--platform-language", help="the platform's language tag, used when detection is unsure")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()] or None
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    for line in stdin:
        stdout.write(json.dumps(result_line(_text(line), languages, args.platform_language), ensure_ascii=False))
        stdout.write("\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
