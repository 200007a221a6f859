#!/usr/bin/env bash
# Runs the side-by-side comparison (compare_jax.sh) on a clean export of a
# committed tree, so that uncommitted work in the checkout cannot leak into
# the figures, and labels the result with the commits measured.
#
#   bash benches/measure_at.sh ENGINE_COMMIT [BENCHES_COMMIT]
#
# The workspace (autodiff/ and the rest) comes from ENGINE_COMMIT; benches/
# comes from BENCHES_COMMIT (default: the same commit), which lets today's
# instruments measure an engine that predates them. The export and its build
# live under target/measure/; the JAX venv is shared (target/jax-venv).
# Other settings (RUNS, WARMUP, THREADS, MODEL) pass through to compare_jax.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
engine="$(git -C "$root" rev-parse --short "${1:?usage: measure_at.sh ENGINE_COMMIT [BENCHES_COMMIT]}")"
benches="$(git -C "$root" rev-parse --short "${2:-$engine}")"

dir="$root/target/measure/$engine-$benches"
rm -rf "$dir/tree"
mkdir -p "$dir/tree"
git -C "$root" archive "$engine" | tar -x -C "$dir/tree"
rm -rf "$dir/tree/benches"
git -C "$root" archive "$benches" benches | tar -x -C "$dir/tree"

label="engine $engine, benches $benches"
[ "$engine" = "$benches" ] && label="$engine"
COMMIT="$label" JAX_VENV="${JAX_VENV:-$root/target/jax-venv}" CARGO_TARGET_DIR="$dir/target" \
    bash "$dir/tree/benches/compare_jax.sh"
