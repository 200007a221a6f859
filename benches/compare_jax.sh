#!/usr/bin/env bash
# Side-by-side timing of the three MLPs of issue 8: this project against JAX
# (jit, float64), in one run on one machine. Optional: nothing in the build
# or the tests needs Python.
#
#   bash benches/compare_jax.sh            # from the repository root
#   DTYPE=f32 bash benches/compare_jax.sh  # single precision on both sides
#
# Environment (all optional):
#   DTYPE=both           f64 (JAX with x64), f32, or both: one table each,
#                        the two sides of a table in the same precision
#   RUNS=20 WARMUP=5     timed calls (median reported) and untimed calls first
#   THREADS=2            threads for both sides (see below)
#   MODEL=784            only the MLPs whose name contains this
#   JAX_VENV=...         virtual environment (default target/jax-venv)
#   JAX_PIP="jax jaxlib" what to install into it from PyPI when missing
#   WAIT_LOAD=1.0        before timing, wait (up to WAIT_MAX=900 s) until the
#                        1-minute load average is below this (the machine may
#                        be shared; the header records the load either way)
#   PRIORITY=1           run each timed side in a session of its own with
#                        scheduling priority raised (autogroup nice -20 and
#                        nice -20; needs root): on a machine shared with
#                        other work this keeps the figures near those of an
#                        idle machine. Off by default; the header says which.
#   OURS_CARGO_ARGS=...  extra cargo arguments for our binary, e.g.
#                        --no-default-features for an engine without linearize
#   COMMIT=...           label for the header (default: git HEAD, flagged when
#                        autodiff/ or benches/ have uncommitted changes)
#
# Threads: both sides get the same count. Ours: AUTODIFF_NUM_THREADS (and,
# for older engines, which threaded through the matrixmultiply crate or
# rayon, MATMUL_NUM_THREADS and RAYON_NUM_THREADS). JAX: XLA_FLAGS with
# --xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=$THREADS.
# OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set too, for
# any BLAS either side may load.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-5}"
THREADS="${THREADS:-2}"
DTYPE="${DTYPE:-both}"
case "$DTYPE" in
    f64) dtypes=(f64) ;;
    f32) dtypes=(f32) ;;
    both) dtypes=(f64 f32) ;;
    *) echo "DTYPE must be f64, f32 or both, not $DTYPE" >&2; exit 2 ;;
esac
MODEL="${MODEL:-}"
JAX_PIP="${JAX_PIP:-jax jaxlib}"

# shellcheck source=benches/python_env.sh
source "$here/python_env.sh"
ensure_python_env "import jax" "$JAX_PIP"

export AUTODIFF_NUM_THREADS="$THREADS" MATMUL_NUM_THREADS="$THREADS" RAYON_NUM_THREADS="$THREADS"
export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"
export XLA_FLAGS="--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=$THREADS"

# shellcheck disable=SC2086
cargo build --release --quiet -p benches --bin compare_ours ${OURS_CARGO_ARGS:-}
target="${CARGO_TARGET_DIR:-$root/target}"

if [ -n "${WAIT_LOAD:-}" ]; then
    waited=0
    while awk -v max="$WAIT_LOAD" '{ exit !($1 >= max) }' /proc/loadavg \
        && [ "$waited" -lt "${WAIT_MAX:-900}" ]; do
        sleep 10
        waited=$((waited + 10))
    done
    echo "waited ${waited}s for the load to fall below $WAIT_LOAD" >&2
fi

# Runs a command, in its own session at raised priority when PRIORITY is set.
timed() {
    if [ -n "${PRIORITY:-}" ]; then
        setsid -w bash -c 'echo -20 > /proc/self/autogroup 2>/dev/null; exec nice -n -20 "$@"' _ "$@"
    else
        "$@"
    fi
}

out="$target/compare-jax/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
args=(--runs "$RUNS" --warmup "$WARMUP")
[ -n "$MODEL" ] && args+=(--model "$MODEL")

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: ${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- autodiff benches 2>/dev/null || echo ' (+ uncommitted changes)')}"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
    echo "jax: $("$JAX_VENV/bin/python" -c 'import jax; print(jax.__version__)')"
    echo "threads: $THREADS; runs: $RUNS (median), warm-up: $WARMUP; raised priority: ${PRIORITY:-no}"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/header.txt"

for dtype in "${dtypes[@]}"; do
    timed "$target/release/compare_ours" "${args[@]}" --dtype "$dtype" | tee "$out/ours-$dtype.jsonl"
    timed "$JAX_VENV/bin/python" "$here/compare_jax.py" "${args[@]}" --dtype "$dtype" | tee "$out/jax-$dtype.jsonl"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/header.txt"
for dtype in "${dtypes[@]}"; do
    echo
    echo "## $dtype" | tee -a "$out/table.md"
    "$JAX_VENV/bin/python" "$here/compare_jax.py" --table "$out/ours-$dtype.jsonl" "$out/jax-$dtype.jsonl" | tee -a "$out/table.md"
done
echo
echo "results kept in $out"
