# Shared by ./run and ./test: find Python >= 3.12, create .venv, install Parlons.
# Sourced, not executed.  Sets PY (the venv's python).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
    local candidates=()
    if command -v pyenv >/dev/null 2>&1 && [ -f "$ROOT/.python-version" ]; then
        local want; want="$(tr -d '[:space:]' < "$ROOT/.python-version")"
        local prefix; prefix="$(pyenv root 2>/dev/null)/versions/$want/bin/python3"
        candidates+=("$prefix")
    fi
    candidates+=(python3.13 python3.12 python3)
    for c in "${candidates[@]}"; do
        if command -v "$c" >/dev/null 2>&1 || [ -x "$c" ]; then
            if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
                echo "$c"; return 0
            fi
        fi
    done
    echo "Parlons needs Python 3.12 or newer: install python3.13 (e.g. 'pyenv install 3.13' or your system's python3.13 package) and try again." >&2
    return 1
}

# ensure_venv EXTRAS: create .venv and install the project with the given extras
# when pyproject.toml or constraints.txt changed since the last install.
ensure_venv() {
    local extras="${1:-}"
    if [ ! -x "$VENV/bin/python" ]; then
        local base; base="$(find_python)"
        echo "==> creating .venv with $("$base" --version)"
        "$base" -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
    fi
    local stamp="$VENV/.installed${extras:+-$extras}"
    local digest; digest="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" 2>/dev/null | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        echo "==> installing Parlons${extras:+ with [$extras]} into .venv"
        if ! "$VENV/bin/python" -m pip install --disable-pip-version-check \
                -c "$ROOT/constraints.txt" -e "$ROOT${extras:+[$extras]}" > "$VENV/pip.log" 2>&1; then
            tail -30 "$VENV/pip.log" >&2
            echo "installation failed (full log: .venv/pip.log)" >&2
            return 1
        fi
        echo "$digest" > "$stamp"
    fi
    PY="$VENV/bin/python"
    export PATH="$VENV/bin:$PATH"
}
