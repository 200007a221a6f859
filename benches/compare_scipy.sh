#!/usr/bin/env bash
# Our solvers next to scipy.optimize on the same problems, in one run on one
# machine: the Moré–Garbow–Hillstrom rows of `mgh_table` and the κ = 1000
# quadratic in BASES random bases, with scipy given the very same matrices.
# Optional: nothing in the build or the tests needs Python.
#
#   bash benches/compare_scipy.sh            # from the repository root
#
# Environment (all optional):
#   BASES=30             random bases of the quadratic (0 to skip)
#   JAX_VENV=...         virtual environment (default target/jax-venv, shared
#                        with compare_jax.sh)
#   SCIPY_PIP="jax jaxlib scipy"  what to install into it from PyPI when missing
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

BASES="${BASES:-30}"
JAX_VENV="${JAX_VENV:-$root/target/jax-venv}"
SCIPY_PIP="${SCIPY_PIP:-jax jaxlib scipy}"

if ! "$JAX_VENV/bin/python" -c "import jax, scipy" 2>/dev/null; then
    echo "setting up $JAX_VENV with: pip install $SCIPY_PIP" >&2
    python3 -m venv "$JAX_VENV"
    # shellcheck disable=SC2086
    "$JAX_VENV/bin/pip" install --quiet $SCIPY_PIP
fi

cargo build --release --quiet -p examples --bin mgh_table
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/compare-scipy/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
"$target/release/mgh_table" --json --bases "$BASES" > "$out/ours.jsonl"
"$JAX_VENV/bin/python" "$here/compare_scipy.py" "$out/ours.jsonl" | tee "$out/table.md"
echo
echo "results kept in $out"
