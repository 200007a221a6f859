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
SCIPY_PIP="${SCIPY_PIP:-jax jaxlib scipy}"

# shellcheck source=benches/python_env.sh
source "$here/python_env.sh"
ensure_python_env "import jax, scipy" "$SCIPY_PIP"

cargo build --release --quiet -p examples --bin mgh_table
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/compare-scipy/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
"$target/release/mgh_table" --json --bases "$BASES" > "$out/ours.jsonl"
"$JAX_VENV/bin/python" "$here/compare_scipy.py" "$out/ours.jsonl" | tee "$out/table.md"
echo
echo "results kept in $out"
