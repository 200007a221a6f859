#!/usr/bin/env bash
# Solved counts of our solvers beside scipy.optimize's, every problem of
# `optim::problems::all()` from its standard start times 1, 10 and 100, both
# sides from the very same starts. Optional: nothing in the build or the
# tests needs Python.
#
#   bash benches/compare_scipy_scale.sh      # from the repository root
#
# Environment (all optional): SCALES=1,10,100; JAX_VENV and SCIPY_PIP as in
# compare_scipy.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

SCALES="${SCALES:-1,10,100}"
SCIPY_PIP="${SCIPY_PIP:-jax jaxlib scipy}"

# shellcheck source=benches/python_env.sh
source "$here/python_env.sh"
ensure_python_env "import jax, scipy" "$SCIPY_PIP"

cargo build --release --quiet -p examples --bin mgh_table
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/compare-scipy-scale/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
"$target/release/mgh_table" --scale "$SCALES" --json > "$out/ours.jsonl"
mkdir -p "$here/results"
(cd "$here" && "$JAX_VENV/bin/python" compare_scipy_scale.py "$out/ours.jsonl" "$here/results/scipy_scale.json") | tee "$out/table.md"
echo
echo "results kept in $out"
