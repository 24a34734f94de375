#!/usr/bin/env python3
"""Generate an addon's README.rst and static/description/index.html from readme/ fragments.

The output has the structure of OCA's ``oca-gen-addon-readme`` (OCA/maintainer-tools,
``tools/gen_addon_readme.py`` and its template), which is not published on PyPI: title,
generated-file banner with the source digest, badges, DESCRIPTION, table of contents,
the other fragments, bug tracker, credits. Fragments are Markdown, converted to
reStructuredText with pandoc (``pypandoc-binary``) as OCA does; the README is then checked
and turned into HTML with docutils, with the settings OCA takes from pypa/readme_renderer.

It takes the same options as OCA's tool, so the pre-commit hook's arguments work
unchanged; ``--org-name`` and ``--repo-name`` default to the manifest's GitHub website,
``--branch`` to the manifest version's series. ``--check`` writes nothing and exits 1 if
a file would change (``./dev.sh lint`` and CI). Needs ``pypandoc-binary``, ``docutils`` and ``Pygments``
(``./dev.sh readme`` installs them in ``.tools/``).
"""

import argparse
import ast
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

FRAGMENTS_DIR = "readme"
# name -> (title, heading level: 2 = section of the README, 3 = under Credits)
FRAGMENTS = {
    "DESCRIPTION": (None, 2),
    "CONTEXT": ("Use Cases / Context", 2),
    "INSTALL": ("Installation", 2),
    "CONFIGURE": ("Configuration", 2),
    "USAGE": ("Usage", 2),
    "DEVELOP": ("Development", 2),
    "ROADMAP": ("Known issues / Roadmap", 2),
    "HISTORY": ("Changelog", 2),
    "CONTRIBUTORS": ("Contributors", 3),
    "CREDITS": ("Other credits", 3),
}
LEVEL3_UNDERLINE = "-"  # OCA's choice for Markdown fragments

STATUS_BADGES = {
    "mature": ("Mature", "brightgreen"),
    "production/stable": ("Production%2FStable", "green"),
    "beta": ("Beta", "yellow"),
    "alpha": ("Alpha", "red"),
}
LICENSE_BADGES = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}
STATUS_PAGE = "https://odoo-community.org/page/development-status"

# pypa/readme_renderer's settings, as OCA uses them: no file insertion, no raw HTML,
# stop on warnings, no XML declaration (Odoo warns about one in index.html).
RST2HTML_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "xml_declaration": False,
    "output_encoding": "utf-8",
}
# GitHub Markdown without raw HTML and without automatic heading ids (pylint-odoo's
# rst check reports unreferenced targets)
PANDOC_MARKDOWN_FORMAT = "gfm-raw_html-gfm_auto_identifiers"
GENERATOR_MARK = "oca-gen-addon-readme"  # kept: pylint-odoo and OCA's tools look for it


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def source_digest(addon_dir):
    """sha256 of the manifest and the fragments, computed as OCA's tools/_hash.py does."""
    digest = hashlib.sha256()
    paths = [addon_dir / "__manifest__.py"]
    for dirpath, dirnames, filenames in os.walk(addon_dir / FRAGMENTS_DIR):
        dirnames.sort()
        paths += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
    for path in paths:
        digest.update(str(path.relative_to(addon_dir)).encode("utf-8"))
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def stored_digest(readme):
    if not readme.is_file():
        return None
    match = re.search(r"!! source digest: (sha256:\w+)", readme.read_text(encoding="utf-8"))
    return match and match.group(1)


def md_to_rst(md_path, level):
    import pypandoc

    return pypandoc.convert_file(
        str(md_path),
        format=PANDOC_MARKDOWN_FORMAT,
        to="rst",
        extra_args=[f"--shift-heading-level-by={level - 2}"],
        sandbox=True,
    )


def rst_to_md(rst_path, md_path):
    import pypandoc

    pypandoc.convert_file(
        str(rst_path),
        format="rst",
        to=PANDOC_MARKDOWN_FORMAT,
        outputfile=str(md_path),
        extra_args=["--shift-heading-level=1"],
        sandbox=True,
    )


def absolute_images(text, raw_url):
    """Relative figure/image paths point at the raw file on GitHub (Apps page, PyPI)."""

    def repl(match):
        path = match.group("path")
        if path.startswith(("http://", "https://")):
            return match.group(0)
        return match.group("head") + urljoin(raw_url, path.replace("../", ""))

    return re.sub(r"(?m)^(?P<head>.*\.\. (?:figure|image)::\s+)(?P<path>\S+)\s*$", repl, text)


def load_fragments(addon_dir, raw_url):
    fragments = {}
    for name, (_title, level) in FRAGMENTS.items():
        md = addon_dir / FRAGMENTS_DIR / f"{name}.md"
        rst = addon_dir / FRAGMENTS_DIR / f"{name}.rst"
        if md.is_file() and rst.is_file():
            sys.exit(f"Both {md} and {rst} exist: remove one.")
        if md.is_file():
            text = md_to_rst(md, level)
        elif rst.is_file():
            text = rst.read_text(encoding="utf-8")
        else:
            continue
        if text.strip():
            fragments[name] = absolute_images(text.rstrip("\n") + "\n", raw_url)
    return fragments


def heading(title, underline):
    return f"{title}\n{underline * len(title)}\n\n"


def badges(manifest, org, repo, branch, addon):
    result = []
    status = manifest.get("development_status", "Beta").lower()
    if status in STATUS_BADGES:
        label, colour = STATUS_BADGES[status]
        alt = label.replace("%2F", "/")
        result.append((f"https://img.shields.io/badge/maturity-{label}-{colour}.png", STATUS_PAGE, alt))
    licence = manifest.get("license")
    if licence in LICENSE_BADGES:
        result.append(
            (
                f"https://img.shields.io/badge/license-{licence.replace('-', '--')}-blue.png",
                LICENSE_BADGES[licence],
                f"License: {licence}",
            )
        )
    result.append(
        (
            f"https://img.shields.io/badge/github-{org.replace('-', '--')}%2F{repo.replace('-', '--')}"
            "-lightgray.png?logo=github",
            f"https://github.com/{org}/{repo}/tree/{branch}/{addon}",
            f"{org}/{repo}",
        )
    )
    return result


def render(manifest, fragments, org, repo, branch, addon, digest):
    name = manifest["name"]
    out = ["=" * len(name) + "\n" + name + "\n" + "=" * len(name) + "\n\n"]
    out.append(
        ".. \n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! This file is generated by {GENERATOR_MARK} !!\n"
        "   !! changes will be overwritten.                   !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {digest}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n"
    )
    badge_list = badges(manifest, org, repo, branch, addon)
    for index, (image, target, alt) in enumerate(badge_list, 1):
        out.append(f".. |badge{index}| image:: {image}\n    :target: {target}\n    :alt: {alt}\n")
    out.append("\n" + " ".join(f"|badge{i}|" for i in range(1, len(badge_list) + 1)) + "\n\n")
    out.append(fragments.get("DESCRIPTION", ""))
    if manifest.get("development_status", "Beta").lower() == "alpha":
        out.append(
            "\n.. IMPORTANT::\n"
            "   This is an alpha version, the data model and design can change at any time without warning.\n"
            "   Only for development or testing purpose, do not use in production.\n"
            f"   `More details on development status <{STATUS_PAGE}>`_\n"
        )
    out.append("\n**Table of contents**\n\n.. contents::\n   :local:\n\n")
    for key in ("CONTEXT", "INSTALL", "CONFIGURE", "USAGE", "DEVELOP", "ROADMAP", "HISTORY"):
        if key in fragments:
            out.append(heading(FRAGMENTS[key][0], "=") + fragments[key] + "\n")
    issues = f"https://github.com/{org}/{repo}/issues"
    out.append(
        heading("Bug Tracker", "=") + f"Bugs are tracked on `GitHub Issues <{issues}>`_.\n"
        "In case of trouble, please check there if your issue has already been reported.\n"
        "If you spotted it first, help us to smash it by providing a detailed and welcomed\n"
        f"`feedback <{issues}/new?body=module:%20{addon}%0Aversion:%20{branch}%0A%0A"
        "**Steps%20to%20reproduce**%0A-%20...%0A%0A**Current%20behavior**%0A%0A**Expected%20behavior**>`_.\n\n"
        "Do not contact contributors directly about support or help with technical issues.\n\n"
    )
    out.append(heading("Credits", "="))
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip() and "(OCA)" not in a]
    if authors:
        out.append(heading("Authors", LEVEL3_UNDERLINE) + "".join(f"* {a}\n" for a in authors) + "\n")
    for key in ("CONTRIBUTORS", "CREDITS"):
        if key in fragments:
            out.append(heading(FRAGMENTS[key][0], LEVEL3_UNDERLINE) + fragments[key] + "\n")
    out.append(heading("Maintainers", LEVEL3_UNDERLINE).rstrip("\n") + "\n")
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        out.append("\n")
        for login in maintainers:
            out.append(
                f".. |maintainer-{login}| image:: https://github.com/{login}.png?size=40px\n"
                f"    :target: https://github.com/{login}\n    :alt: {login}\n"
            )
        out.append(f"\nCurrent maintainer{'s' if len(maintainers) > 1 else ''}:\n\n")
        out.append(" ".join(f"|maintainer-{login}|" for login in maintainers) + "\n")
    out.append(
        f"\nThis module is part of the `{org}/{repo} <https://github.com/{org}/{repo}/tree/{branch}/{addon}>`_ "
        "project on GitHub.\n\nYou are welcome to contribute.\n"
    )
    return "".join(out)


def rst_to_html(rst_text, title_hint):
    from docutils.core import publish_string

    html = publish_string(
        source=rst_text,
        source_path=title_hint,
        writer_name="html4css1",
        settings_overrides=RST2HTML_SETTINGS,
    )
    # drop docutils' version so that a docutils upgrade does not change the file
    return re.sub(rb"(<meta.*generator.*Docutils)\s*[\d.]+", rb"\1", html)


def github_of(manifest):
    match = re.match(r"https?://github\.com/([^/]+)/([^/#?]+)", manifest.get("website", ""))
    return (match.group(1), match.group(2).removesuffix(".git")) if match else (None, None)


def gen_one(addon_dir, args):
    """Return the list of files that changed (or would change with --check)."""
    manifest = read_manifest(addon_dir)
    addon = addon_dir.resolve().name
    if args.convert_fragments_to_markdown and not args.check:
        for name in FRAGMENTS:
            rst = addon_dir / FRAGMENTS_DIR / f"{name}.rst"
            md = addon_dir / FRAGMENTS_DIR / f"{name}.md"
            if rst.is_file() and not md.is_file():
                rst_to_md(rst, md)
                rst.unlink()
    if not any((addon_dir / FRAGMENTS_DIR / f"DESCRIPTION{ext}").is_file() for ext in (".md", ".rst")):
        return []
    org, repo = github_of(manifest)
    org, repo = args.org_name or org, args.repo_name or repo
    if not (org and repo):
        sys.exit(f"{addon}: give --org-name and --repo-name (the manifest website is not on GitHub)")
    branch = args.branch or ".".join(manifest["version"].split(".")[:2])
    readme = addon_dir / "README.rst"
    digest = source_digest(addon_dir)
    if args.if_source_changed and stored_digest(readme) == digest:
        return []
    if args.keep_source_digest:
        digest = stored_digest(readme) or digest
    raw_url = f"https://raw.githubusercontent.com/{org}/{repo}/{branch}/{addon}/"
    text = render(manifest, load_fragments(addon_dir, raw_url), org, repo, branch, addon, digest)
    html = rst_to_html(text, str(readme))  # also the check: docutils stops on any warning
    outputs = [(readme, text.encode("utf-8"))]
    index = addon_dir / "static" / "description" / "index.html"
    if args.gen_html and manifest.get("preloadable", True):
        if not index.is_file() or GENERATOR_MARK.encode() in index.read_bytes():  # never a hand-made page
            outputs.append((index, html))
    changed = []
    for path, content in outputs:
        if path.is_file() and path.read_bytes() == content:
            continue
        changed.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as tmp:
                tmp.write(content)
            os.replace(tmp.name, path)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org-name")
    parser.add_argument("--repo-name")
    parser.add_argument("--branch")
    parser.add_argument("--addon-dir", dest="addon_dirs", action="append", default=[])
    parser.add_argument("--addons-dir", help="generate for every installable addon in this folder")
    parser.add_argument("--if-source-changed", "--if-fragments-changed", action="store_true")
    parser.add_argument("--keep-source-digest", action="store_true")
    parser.add_argument("--convert-fragments-to-markdown", action="store_true")
    parser.add_argument("--gen-html", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--check", action="store_true", help="write nothing, exit 1 if a file would change")
    args = parser.parse_args(argv)
    addon_dirs = [Path(d) for d in args.addon_dirs]
    if args.addons_dir:
        for child in sorted(Path(args.addons_dir).iterdir()):
            if (child / "__manifest__.py").is_file() and read_manifest(child).get("installable", True):
                addon_dirs.append(child)
    if not addon_dirs:
        parser.error("give --addon-dir or --addons-dir")
    changed = [path for addon_dir in addon_dirs for path in gen_one(addon_dir, args)]
    for path in changed:
        print(f"{'out of date' if args.check else 'written'}: {path}")
    return 1 if (changed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
