#!/usr/bin/env bash
# scipy's L-BFGS-B on bounded MGH problems, written as the fixture that
# optim's bounded-solver tests read (optim/tests/it/fixtures/scipy_bounds.json).
# Optional: nothing in the build or the tests needs Python.
#
#   bash benches/compare_scipy_bounds.sh     # from the repository root
#
# Environment (all optional): JAX_VENV (default target/jax-venv, shared with
# compare_scipy.sh), SCIPY_PIP="jax jaxlib scipy" (what to install when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

SCIPY_PIP="${SCIPY_PIP:-jax jaxlib scipy}"

# shellcheck source=benches/python_env.sh
source "$here/python_env.sh"
ensure_python_env "import jax, scipy" "$SCIPY_PIP"

fixture="$root/optim/tests/it/fixtures/scipy_bounds.json"
tmp="$(mktemp "$fixture.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
"$JAX_VENV/bin/python" "$here/compare_scipy_bounds.py" > "$tmp"
mv "$tmp" "$fixture"
trap - EXIT
echo "wrote $fixture"
