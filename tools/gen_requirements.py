#!/usr/bin/env python3
"""Write requirements.txt from the addons' manifests (``external_dependencies["python"]``).

The offline equivalent of OCA's ``oca-gen-external-dependencies`` (OCA/maintainer-tools),
which reads the same list through the wheel metadata that whool builds. The manifest is
the only place to add or pin a Python dependency; re-run this script (``./dev.sh lint``
checks that requirements.txt is up to date). Standard library only.

    python tools/gen_requirements.py          # rewrite requirements.txt
    python tools/gen_requirements.py --check  # exit 1 if it is out of date
"""

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# generated from manifests external_dependencies (python tools/gen_requirements.py)\n"


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(root):
    """One line per distinct requirement, in manifest order, addons sorted by name."""
    seen = {}
    for manifest in sorted(root.glob("*/__manifest__.py")):
        data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
        if not data.get("installable", True):
            continue
        for requirement in data.get("external_dependencies", {}).get("python", []):
            name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
            previous = seen.setdefault(normalized(name), requirement.strip())
            if previous != requirement.strip():
                sys.exit(f"{manifest}: {requirement!r} conflicts with {previous!r} of another addon")
    return list(seen.values())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing, exit 1 if out of date")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    target = args.root / "requirements.txt"
    text = HEADER + "".join(f"{line}\n" for line in requirements(args.root))
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(f"out of date: {target} (run python tools/gen_requirements.py)")
        return 1
    target.write_text(text, encoding="utf-8")
    print(f"written: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
