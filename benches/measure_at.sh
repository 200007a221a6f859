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
# Other settings (RUNS, WARMUP, THREADS, MODEL, WAIT_LOAD) pass through to
# compare_jax.sh. WHAT=criterion runs `cargo bench -p benches` (and the
# peak_memory binary) on the export instead, WHAT=both runs both.
# OURS_CARGO_ARGS=--no-default-features measures an engine without linearize.
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
what="${WHAT:-compare}"
export CARGO_TARGET_DIR="$dir/target"
if [ "$what" = compare ] || [ "$what" = both ]; then
    COMMIT="$label" JAX_VENV="${JAX_VENV:-$root/target/jax-venv}" \
        bash "$dir/tree/benches/compare_jax.sh"
fi
if [ "$what" = criterion ] || [ "$what" = both ]; then
    threads="${THREADS:-2}"
    export AUTODIFF_NUM_THREADS="$threads" MATMUL_NUM_THREADS="$threads" RAYON_NUM_THREADS="$threads"
    echo "criterion at $label, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$dir/tree" && cargo bench -q -p benches --no-run ${OURS_CARGO_ARGS:-} 2>/dev/null && cargo build -q --release -p benches --bin peak_memory)
    prio=()
    # Same raised priority as compare_jax.sh's PRIORITY (only for the timed runs).
    [ -n "${PRIORITY:-}" ] && prio=(setsid -w bash -c 'echo -20 > /proc/self/autogroup 2>/dev/null; exec nice -n -20 "$@"' _)
    echo "raised priority: ${PRIORITY:-no}"
    (cd "$dir/tree" && "${prio[@]}" cargo bench -p benches ${OURS_CARGO_ARGS:-} 2>&1 | grep -vE '^\s*$|^Benchmarking|^Found|outliers|high (mild|severe)|low (mild|severe)|^Warning|^\s+(Compiling|Finished|Running)')
    "$CARGO_TARGET_DIR/release/peak_memory"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
