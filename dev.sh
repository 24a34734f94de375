#!/usr/bin/env bash
# social_crm developer entry point.
#
#   ./dev.sh serve   install everything, then run Odoo 18 with social_crm and demo data
#                    on http://localhost:8069 (login admin / admin)
#   ./dev.sh test    install what is missing (as serve does), then run the whole test suite:
#                    plain pytest (connectors, analysis) and the Odoo tests in a fresh
#                    PostgreSQL database (skipped, in one line, only when Odoo cannot be cloned: no network)
#   ./dev.sh lint    OCA's checks (.pre-commit-config.yaml) from packages installed in .tools/;
#                    reports, changes nothing (`./dev.sh lint --fix` applies the fixers)
#   ./dev.sh readme  regenerate README.rst, static/description/index.html, requirements.txt
#
# Environment:
#   PYTHON        interpreter to use (default: python3)
#   ODOO_SRC      an existing Odoo 18.0 source tree to use instead of cloning upstream
#   ODOO_REPO     where to clone Odoo from (default: https://github.com/odoo/odoo.git)
#   PGHOST PGPORT PGUSER   PostgreSQL connection (default 127.0.0.1, 5432, current user)
#   SOCIAL_CRM_DB database name for `serve` (default: social_crm)
#   ODOO_HTTP_PORT HTTP port of `serve` and of the test server (default 8069), so that two
#                 checkouts can run their tests side by side
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-$(id -un)}"
ODOO_BRANCH="18.0"
ODOO_REPO="${ODOO_REPO:-https://github.com/odoo/odoo.git}"
ODOO_HTTP_PORT="${ODOO_HTTP_PORT:-8069}"

log() { printf '[dev.sh] %s\n' "$*" >&2; }

have_odoo() { "$PYTHON" -c "import odoo.release as r; assert r.version_info[0] == 18" >/dev/null 2>&1; }
have_helpdesk() { "$PYTHON" -c "import importlib.util as u; assert u.find_spec('odoo.addons.helpdesk_mgmt')" >/dev/null 2>&1; }

install_python_deps() {
    "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        -r "$ROOT/requirements.txt" -r "$ROOT/test-requirements.txt"
}

install_odoo() {
    # The standard upstream installation of Odoo 18 Community from source.
    # Returns 3 when Odoo has to be cloned and its repository cannot be reached.
    if ! have_odoo; then
        local src="${ODOO_SRC:-$ROOT/.odoo-src}"
        if [ ! -f "$src/odoo-bin" ]; then
            if ! GIT_TERMINAL_PROMPT=0 timeout 60 git ls-remote --heads "$ODOO_REPO" "$ODOO_BRANCH" >/dev/null 2>&1; then
                return 3
            fi
            log "cloning Odoo $ODOO_BRANCH from $ODOO_REPO into $src"
            git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO" "$src" || return
        fi
        log "installing Odoo's Python requirements"
        # (each step ends with `|| return`: callers test this function, which turns off `set -e`)
        "$PYTHON" -m pip install --quiet "setuptools<70" wheel || return
        # python-ldap needs the OpenLDAP headers and is only used by auth_ldap;
        # psycopg2 is taken as the binary wheel; cbor2 5.4.2 has no wheel for Python 3.11
        sed -e '/^python-ldap/d' -e 's/^psycopg2==[^;]*/psycopg2-binary==2.9.9 /' \
            -e "s/^cbor2==5.4.2 ; python_version < '3.12'/cbor2==5.6.5 ; python_version < '3.12'/" \
            "$src/requirements.txt" > "$ROOT/.odoo-requirements.txt" || return
        "$PYTHON" -m pip install --quiet --no-build-isolation -r "$ROOT/.odoo-requirements.txt" || return
        "$PYTHON" -m pip install --quiet --no-build-isolation --no-deps -e "$src" || return
    fi
    if ! have_helpdesk; then
        log "installing OCA helpdesk_mgmt 18.0 from PyPI"
        "$PYTHON" -m pip install --quiet --no-deps "odoo-addon-helpdesk-mgmt==18.0.*" || return
    fi
}

ensure_db_role() {
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "select 1" >/dev/null 2>&1; then
        log "creating PostgreSQL role $PGUSER (Odoo refuses to run as 'postgres')"
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB"
    fi
}

ensure_browser() {
    # Odoo's tour tests drive a headless Chromium; without one Odoo skips them.
    if command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
        || command -v chromium-browser >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        log "installing Chromium for the browser tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
            || log "could not install Chromium: browser tests will be SKIPPED"
    else
        log "no Chromium found: browser (tour) tests will be SKIPPED; install the chromium package"
    fi
}

addons_path() {
    # Odoo's own addons folder (source checkout) plus this repository; add-ons
    # installed from PyPI (helpdesk_mgmt) are found by Odoo in odoo/addons.
    "$PYTHON" - "$ROOT" <<'PY'
import os, sys
import odoo
paths = []
source_addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
if os.path.isdir(os.path.join(source_addons, "web")):
    paths.append(source_addons)
paths.append(sys.argv[1])
print(",".join(paths))
PY
}

odoo_cmd() {
    "$PYTHON" -m odoo --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        --addons-path="$(addons_path)" "$@"
}

cmd_serve() {
    install_python_deps
    local status=0
    install_odoo || status=$?
    if [ "$status" -eq 3 ]; then
        log "cannot reach $ODOO_REPO to clone Odoo $ODOO_BRANCH: set ODOO_SRC to an Odoo 18.0 tree (see README.md)"
        exit 1
    elif [ "$status" -ne 0 ]; then
        exit "$status"
    fi
    ensure_db_role
    local db="${SOCIAL_CRM_DB:-social_crm}"
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$db" -tAc "select 1 from ir_module_module where name='social_crm' and state='installed'" 2>/dev/null | grep -q 1; then
        log "creating database $db with social_crm and demo data"
        odoo_cmd -d "$db" -i social_crm --stop-after-init
    fi
    log "Odoo runs on http://localhost:$ODOO_HTTP_PORT (database $db, login admin / admin)"
    exec "$PYTHON" -m odoo --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        --addons-path="$(addons_path)" -d "$db" --http-interface=127.0.0.1 --http-port="$ODOO_HTTP_PORT"
}

cmd_test() {
    install_python_deps
    local passed=0 failed=0 status=0 out odoo_install=0
    # the same installation as `serve`; only an unreachable Odoo repository skips the Odoo half
    install_odoo || odoo_install=$?
    if [ "$odoo_install" -ne 0 ] && [ "$odoo_install" -ne 3 ]; then
        log "installing Odoo 18 or helpdesk_mgmt failed (exit code $odoo_install)"
        failed=1
    fi
    out="$(mktemp)"
    log "pytest: connectors, text analysis, command line (no Odoo needed)"
    set +e
    (cd "$ROOT" && "$PYTHON" -m pytest -p no:cacheprovider tests) | tee "$out"
    status=${PIPESTATUS[0]}
    set -e
    passed=$( (grep -Eo '[0-9]+ passed' "$out" || true) | tail -1 | awk '{print $1 + 0}')
    failed=$( (grep -Eo '[0-9]+ (failed|error)' "$out" || true) | awk '{s+=$1} END {print s+0}')
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

    if have_odoo && have_helpdesk; then
        ensure_db_role
        ensure_browser
        local db="social_crm_test_$$"
        log "Odoo 18 tests in a fresh database $db"
        set +e
        odoo_cmd -d "$db" -i social_crm --test-enable --test-tags /social_crm --http-port="$ODOO_HTTP_PORT" \
            --stop-after-init --log-level=test 2>&1 | tee "$out" | grep -E "ERROR|FAIL|Traceback|tests when loading"
        local odoo_status=${PIPESTATUS[0]}
        set -e
        psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
        local summary odoo_failed odoo_total
        summary=$( (grep -Eo '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$out" || true) | tail -1)
        if [ -z "$summary" ]; then
            log "Odoo tests did not report a result (exit code $odoo_status); last lines:"
            tail -40 "$out" >&2
            failed=$((failed + 1))
        else
            odoo_failed=$(echo "$summary" | awk '{print $1 + $3}')
            odoo_total=$(echo "$summary" | awk '{print $6}')
            log "Odoo: $summary"
            passed=$((passed + odoo_total - odoo_failed))
            failed=$((failed + odoo_failed))
            if [ "$odoo_status" -ne 0 ] && [ "$odoo_failed" -eq 0 ]; then failed=$((failed + 1)); fi
        fi
    elif [ "$odoo_install" -eq 3 ]; then
        log "no network: cannot clone Odoo $ODOO_BRANCH from $ODOO_REPO (or set ODOO_SRC): Odoo test suite SKIPPED"
    elif [ "$odoo_install" -eq 0 ]; then
        log "Odoo 18 with OCA helpdesk_mgmt is still not importable by $PYTHON after installing it"
        failed=$((failed + 1))
    fi
    rm -f "$out"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

TOOLS="$ROOT/.tools"

ensure_tools() {
    # The hooks of .pre-commit-config.yaml at their pinned versions, in .tools/ (git-ignored):
    # a virtualenv for the Python ones, node_modules for prettier and eslint.
    if [ ! -x "$TOOLS/venv/bin/python" ]; then
        log "creating $TOOLS/venv for the linters"
        "$PYTHON" -m venv "$TOOLS/venv"
    fi
    if [ ! -x "$TOOLS/venv/bin/pre-commit" ]; then
        "$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
    fi
    local wanted
    wanted="$("$TOOLS/venv/bin/python" "$ROOT/tools/pre_commit_offline.py" requirements)"
    if [ "$wanted" != "$(cat "$TOOLS/venv/.installed" 2>/dev/null)" ]; then
        log "installing the linters: $(echo "$wanted" | tr '\n' ' ')"
        echo "$wanted" > "$TOOLS/requirements.txt"
        "$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$TOOLS/requirements.txt"
        echo "$wanted" > "$TOOLS/venv/.installed"
    fi
    SKIP_HOOKS=""
    wanted="$("$TOOLS/venv/bin/python" "$ROOT/tools/pre_commit_offline.py" npm)"
    if ! command -v npm >/dev/null 2>&1; then
        log "npm not found: the prettier and eslint hooks are SKIPPED (install nodejs and npm)"
        SKIP_HOOKS="prettier,eslint"
    elif [ "$wanted" != "$(cat "$TOOLS/node/.installed" 2>/dev/null)" ]; then
        log "installing $(echo "$wanted" | tr '\n' ' ')"
        mkdir -p "$TOOLS/node"
        # shellcheck disable=SC2086 # one package per word
        (cd "$TOOLS/node" && npm install --silent --no-audit --no-fund --no-save $wanted)
        echo "$wanted" > "$TOOLS/node/.installed"
    fi
}

run_pre_commit() {
    # run_pre_commit DIR: every hook on every file of DIR (a git work tree)
    local config="$TOOLS/pre-commit-offline.yaml"
    "$TOOLS/venv/bin/python" "$ROOT/tools/pre_commit_offline.py" config "$config"
    (cd "$1" && SKIP="$SKIP_HOOKS" PRE_COMMIT_HOME="$TOOLS/pre-commit-home" NODE_PATH="$TOOLS/node/node_modules" \
        "$TOOLS/venv/bin/pre-commit" run --all-files --color never --config "$config")
}

cmd_lint() {
    ensure_tools
    if [ "${1:-}" = "--fix" ]; then
        run_pre_commit "$ROOT"
        return
    fi
    # Check a copy of the work tree (tracked and new files), so that the fixers among the
    # hooks (trailing whitespace, prettier, ruff --fix) report without touching anything.
    local work status=0
    work="$(mktemp -d)"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done \
        | tar --null -T - -cf -) | tar -xf - -C "$work"
    (cd "$work" && git init -q && git add -A)
    run_pre_commit "$work" || status=$?
    if ! git -C "$work" diff --quiet; then
        log "the fixers would change (./dev.sh lint --fix applies them):"
        git -C "$work" diff --stat=120 | sed 's/^/    /' >&2
    fi
    rm -rf "$work"
    if [ "$status" -eq 0 ]; then log "lint: all hooks passed"; else log "lint: some hooks failed (see above)"; fi
    return "$status"
}

cmd_readme() {
    ensure_tools
    # as the pre-commit hook runs it (the digest is kept, to spare merge conflicts, as OCA does)
    (cd "$ROOT" && "$TOOLS/venv/bin/python" tools/gen_addon_readme.py --addons-dir=. \
        --if-source-changed --keep-source-digest --convert-fragments-to-markdown \
        && "$TOOLS/venv/bin/python" tools/gen_requirements.py)
}

case "${1:-}" in
    serve) cmd_serve ;;
    test) cmd_test ;;
    lint) cmd_lint "${2:-}" ;;
    readme) cmd_readme ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
esac
