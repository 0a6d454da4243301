# Sourced by the scripts: make .venv (Python 3.11) with the pinned requirements, reinstalling only
# when the requirement files change. $1 = "runtime" or "dev".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PY="$candidate"; break
    fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)." >&2; exit 1; }

files="requirements-build.txt requirements.txt"
[ "${1:-runtime}" = "dev" ] && files="$files requirements-dev.txt"
stamp=".venv/.installed-$(cat $files pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  echo "Installing pinned dependencies into .venv …"
  # shellcheck disable=SC2046
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes $(printf -- '-r %s ' $files)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
