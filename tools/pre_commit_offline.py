#!/usr/bin/env python3
"""Run .pre-commit-config.yaml's hooks from installed packages, without cloning hook repos.

pre-commit fetches every hook repository from GitHub. Where that is not reachable, this
script derives an equivalent configuration in which each hook is a ``repo: local``,
``language: system`` hook that calls the console script of the same package at the same
version, installed in ``.tools/`` by ``./dev.sh lint``: the hook definitions below are the
``.pre-commit-hooks.yaml`` entries of each repository at the pinned revision; arguments,
file filters and excludes are read from .pre-commit-config.yaml, so there is one place
to change them.

    python tools/pre_commit_offline.py requirements   # pip requirements of the hooks
    python tools/pre_commit_offline.py npm            # npm packages of the node hooks
    python tools/pre_commit_offline.py config OUT     # write the offline configuration

Needs PyYAML (a dependency of pre-commit).
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"

# repository -> (pip requirement for rev, {hook id: hook definition at that rev})
REPOS = {
    "https://github.com/sbidoul/whool": (
        "whool=={v}",
        {
            "whool-init": {
                "entry": "whool init --exit-non-zero-on-changes",
                "always_run": True,
                "pass_filenames": False,
            },
        },
    ),
    "https://github.com/OCA/odoo-pre-commit-hooks": (
        "oca-odoo-pre-commit-hooks=={v}",
        {
            "oca-checks-odoo-module": {
                "entry": "oca-checks-odoo-module",
                "types_or": ["csv", "python", "xml"],
                "files": r"\.(csv|xml)$|/\_\_(manifest|openerp)\_\_.py$",
                "require_serial": True,
            },
            "oca-checks-po": {
                "entry": "oca-checks-po",
                "types_or": ["text"],
                "files": r"\.(po|pot)$",
            },
        },
    ),
    "https://github.com/pre-commit/pre-commit-hooks": (
        "pre-commit-hooks=={v}",
        {
            "trailing-whitespace": {"entry": "trailing-whitespace-fixer", "types": ["text"]},
            "end-of-file-fixer": {"entry": "end-of-file-fixer", "types": ["text"]},
            "debug-statements": {"entry": "debug-statement-hook", "types": ["python"]},
            "fix-encoding-pragma": {"entry": "fix-encoding-pragma", "types": ["python"]},
            "check-case-conflict": {"entry": "check-case-conflict"},
            "check-docstring-first": {"entry": "check-docstring-first", "types": ["python"]},
            "check-executables-have-shebangs": {
                "entry": "check-executables-have-shebangs",
                "types": ["text", "executable"],
            },
            "check-merge-conflict": {"entry": "check-merge-conflict", "types": ["text"]},
            "check-symlinks": {"entry": "check-symlinks", "types": ["symlink"]},
            "check-xml": {"entry": "check-xml", "types": ["xml"]},
            "check-yaml": {"entry": "check-yaml", "types": ["yaml"]},
            "mixed-line-ending": {"entry": "mixed-line-ending", "types": ["text"]},
        },
    ),
    "https://github.com/astral-sh/ruff-pre-commit": (
        "ruff=={v}",
        {
            "ruff": {
                "entry": "ruff check --force-exclude",
                "types_or": ["python", "pyi", "jupyter"],
                "require_serial": True,
            },
            "ruff-format": {
                "entry": "ruff format --force-exclude",
                "types_or": ["python", "pyi", "jupyter"],
                "require_serial": True,
            },
        },
    ),
    "https://github.com/OCA/pylint-odoo": (
        "pylint-odoo=={v}",
        {"pylint_odoo": {"entry": "pylint", "types": ["python"], "require_serial": True}},
    ),
}
# Hooks of OCA/maintainer-tools, which is not on PyPI: skipped offline. Both only
# rewrite what is already right here (one addon, installable; the manifest website).
SKIPPED = {"https://github.com/oca/maintainer-tools"}
# What the local hooks of the configuration need, besides the tools above
EXTRA_REQUIREMENTS = ["pre-commit"]


def load_config():
    return yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def requirements(config):
    result = []
    for repo in config["repos"]:
        if repo["repo"] in REPOS:
            result.append(REPOS[repo["repo"]][0].format(v=repo["rev"].removeprefix("v")))
        elif repo["repo"] == "local":
            for hook in repo["hooks"]:
                if hook.get("language") == "python":
                    result += hook.get("additional_dependencies", [])
    return sorted(set(result + EXTRA_REQUIREMENTS))


def npm_packages(config):
    return sorted(
        {
            dependency
            for repo in config["repos"]
            if repo["repo"] == "local"
            for hook in repo["hooks"]
            if hook.get("language") == "node"
            for dependency in hook.get("additional_dependencies", [])
        }
    )


def offline_hook(hook, definition, bin_dir):
    """The configured hook (its args, files, exclude) over the upstream definition."""
    result = {"name": hook["id"], **definition, **hook, "language": "system"}
    command, *rest = result["entry"].split(" ", 1)
    result["entry"] = " ".join([str(bin_dir / command), *rest])
    result.pop("additional_dependencies", None)
    return result


def offline_config(config):
    venv_bin = TOOLS / "venv" / "bin"
    node_bin = TOOLS / "node" / "node_modules" / ".bin"
    hooks, skipped = [], []
    for repo in config["repos"]:
        url = repo["repo"]
        for hook in repo["hooks"]:
            if url in SKIPPED:
                skipped.append(hook["id"])
            elif url in REPOS:
                hooks.append(offline_hook(hook, REPOS[url][1][hook["id"]], venv_bin))
            elif hook.get("language") == "node":
                hooks.append(offline_hook(hook, {}, node_bin))
            elif hook.get("language") == "python":
                hooks.append(offline_hook(hook, {}, venv_bin))
            else:  # language: fail, system, ...
                hooks.append(hook)
    offline = {key: value for key, value in config.items() if key not in ("repos", "default_language_version")}
    offline["repos"] = [{"repo": "local", "hooks": hooks}]
    return offline, skipped


def main(argv):
    config = load_config()
    if argv[:1] == ["requirements"]:
        print("\n".join(requirements(config)))
    elif argv[:1] == ["npm"]:
        print("\n".join(npm_packages(config)))
    elif argv[:1] == ["config"] and len(argv) == 2:
        offline, skipped = offline_config(config)
        header = "# generated by tools/pre_commit_offline.py from .pre-commit-config.yaml: do not edit\n"
        Path(argv[1]).write_text(header + yaml.safe_dump(offline, sort_keys=False, width=200), encoding="utf-8")
        if skipped:
            print(f"skipped offline (OCA/maintainer-tools is not on PyPI): {', '.join(skipped)}", file=sys.stderr)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
