"""JAX side of the side-by-side comparison (issue 8).

Times, for the same three MLPs as `benches/src/lib.rs` (same shapes, tanh
between layers, softmax cross-entropy or, for 5-8-1, binary cross-entropy
with logits; float64 with x64 enabled, or float32 with --dtype f32;
everything under `jax.jit`):

  grad            value and gradient            (jax.value_and_grad)
  hvp             exact H·v alone               (jax.jvp of jax.grad, tangent
                  only: XLA drops the gradient's own products; ours: hvp_only)
  hvp_with_grad   value, gradient and H·v       (jax.jvp of value_and_grad,
                  all outputs kept; ours: hvp)
  hvp_linearized  a further H·v at the same point (jax.linearize of jax.grad,
                  done once outside the timing; the linear map jitted)
  hvp8_batched    H·V for 8 directions          (jax.vmap of the H·v)
  hvp8_separate   8 calls of the jitted H·v
  fd_hvp          central difference of two gradients along v

Each figure is the median of --runs timed calls after --warmup untimed calls
(the first of which compiles), each call ended by block_until_ready.
Data, parameters and directions are seeded standard normals of the same
shapes and scales as the Rust side (the values differ: neither side's cost
depends on them). Prints one JSON line per measurement.

Run through compare_jax.sh, which sets up the environment and threads.
"""

import argparse
import json
import statistics
import time

import jax
import jax.numpy as jnp

# The precision is chosen in main() (--dtype), before any array is made.
DTYPE = jnp.float64

LANES = 8

# Same MLPs as MlpSpec::all() in benches/src/lib.rs.
SPECS = [
    {"sizes": [5, 8, 1], "batch": 100, "head": "bce"},
    {"sizes": [64, 64, 64, 10], "batch": 128, "head": "softmax-ce"},
    {"sizes": [784, 256, 256, 10], "batch": 256, "head": "softmax-ce"},
]


def name(spec):
    return "-".join(map(str, spec["sizes"])) + "/b" + str(spec["batch"])


def make_problem(spec, seed=0):
    sizes, batch = spec["sizes"], spec["batch"]
    key = jax.random.PRNGKey(seed)
    kx, kl, kp, kd, kv = jax.random.split(key, 5)
    x = jax.random.normal(kx, (batch, sizes[0]), dtype=DTYPE)
    classes = max(sizes[-1], 2)
    labels = jax.random.randint(kl, (batch,), 0, classes)
    if spec["head"] == "bce":
        y = (labels % 2).astype(DTYPE).reshape(batch, 1)
    else:
        y = labels
    params = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        kw, kb = jax.random.split(jax.random.fold_in(kp, i))
        w = jax.random.normal(kw, (fan_in, fan_out), dtype=DTYPE) / jnp.sqrt(fan_in)
        b = 0.1 * jax.random.normal(kb, (fan_out,), dtype=DTYPE)
        params += [w, b]
    dirs = [jax.random.normal(jax.random.fold_in(kd, i), p.shape, dtype=DTYPE)
            for i, p in enumerate(params)]
    lanes = [jax.random.normal(jax.random.fold_in(kv, i), (LANES,) + p.shape, dtype=DTYPE)
             for i, p in enumerate(params)]
    return x, y, params, dirs, lanes


def make_loss(head):
    def loss(params, x, y):
        h = x
        layers = len(params) // 2
        for l in range(layers):
            h = h @ params[2 * l] + params[2 * l + 1]
            if l + 1 < layers:
                h = jnp.tanh(h)
        if head == "bce":
            return jnp.mean(jnp.logaddexp(0.0, h) - y * h)
        logp = jax.nn.log_softmax(h, axis=1)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))
    return loss


def step_size(params):
    # Same rule as autodiff::check::default_step: cbrt(eps) * max(1, |x|_inf).
    eps = jnp.finfo(DTYPE).eps
    m = max(float(jnp.max(jnp.abs(p))) for p in params)
    return float(eps ** (1.0 / 3.0) * max(1.0, m))


def time_ms(fn, args, runs, warmup):
    for _ in range(warmup):
        jax.block_until_ready(fn(*args))
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        jax.block_until_ready(fn(*args))
        out.append((time.perf_counter() - t) * 1e3)
    return statistics.median(out), min(out)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def table(ours_path, jax_path):
    """Prints a markdown table of both sides' medians and the ratios."""
    rows = {}
    for r in read_jsonl(ours_path) + read_jsonl(jax_path):
        rows.setdefault((r["model"], r["op"]), {})[r["impl"]] = r["median_ms"]
        rows.setdefault((r["model"], r["op"], "min"), {})[r["impl"]] = r.get("min_ms")
    models = []
    for key in rows:
        model = key[0]
        if model not in models:
            models.append(model)
    ops = ["grad", "hvp", "hvp_with_grad", "hvp_linearized", "hvp8_batched",
           "hvp8_separate", "fd_hvp"]
    def ratio(o, j):
        return f"{o / j:.2f}" if o is not None and j else "–"

    def fmt(v):
        return f"{v:.4f}" if v is not None else "–"

    print("Median of the timed calls (min in the last column's ratio):")
    print()
    print("| MLP, batch | measured | ours (ms) | JAX jit (ms) | ours / JAX | ours / JAX, min |")
    print("|---|---|---:|---:|---:|---:|")
    for model in models:
        for op in ops:
            r = rows.get((model, op), {})
            m = rows.get((model, op, "min"), {})
            o, j = r.get("ours"), r.get("jax")
            print(f"| {model} | {op} | {fmt(o)} | {fmt(j)} | {ratio(o, j)} "
                  f"| {ratio(m.get('ours'), m.get('jax'))} |")
    print()
    print("Ratios within each side (same run):")
    print()
    print("| MLP, batch | side | hvp / grad | hvp / fd_hvp | hvp_linearized / grad "
          "| hvp8_batched / hvp8_separate |")
    print("|---|---|---:|---:|---:|---:|")
    for model in models:
        for side in ["ours", "jax"]:
            get = lambda op: rows.get((model, op), {}).get(side)
            def q(a_, b_):
                x, y = get(a_), get(b_)
                return f"{x / y:.2f}" if x is not None and y else "–"
            print(f"| {model} | {side} | {q('hvp', 'grad')} | {q('hvp', 'fd_hvp')} "
                  f"| {q('hvp_linearized', 'grad')} | {q('hvp8_batched', 'hvp8_separate')} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--model", default=None, help="keep MLPs whose name contains this")
    ap.add_argument("--dtype", choices=["f64", "f32"], default="f64",
                    help="float64 (x64 enabled) or float32")
    ap.add_argument("--table", nargs=2, metavar=("OURS_JSONL", "JAX_JSONL"),
                    help="print the comparison table of two result files and exit")
    a = ap.parse_args()
    if a.table:
        table(*a.table)
        return
    global DTYPE
    if a.dtype == "f64":
        jax.config.update("jax_enable_x64", True)
        DTYPE = jnp.float64
    else:
        DTYPE = jnp.float32
    for spec in SPECS:
        if a.model and a.model not in name(spec):
            continue
        x, y, params, dirs, lanes = make_problem(spec)
        loss = make_loss(spec["head"])
        grad = jax.grad(loss)

        def hvp(p, v, x, y):
            return jax.jvp(lambda q: grad(q, x, y), (p,), (v,))[1]

        def fd(p, v, x, y, h):
            plus = [pi + h * vi for pi, vi in zip(p, v)]
            minus = [pi - h * vi for pi, vi in zip(p, v)]
            gp, gm = grad(plus, x, y), grad(minus, x, y)
            return [(a_ - b_) / (2.0 * h) for a_, b_ in zip(gp, gm)]

        vg_j = jax.jit(jax.value_and_grad(loss))
        hvp_with_grad_j = jax.jit(lambda p, v, x, y: jax.jvp(
            lambda q: jax.value_and_grad(loss)(q, x, y), (p,), (v,)))
        hvp_j = jax.jit(hvp)
        hvp8_j = jax.jit(jax.vmap(hvp, in_axes=(None, 0, None, None)))
        fd_j = jax.jit(fd)
        h = step_size(params)
        _, lin = jax.linearize(lambda q: grad(q, x, y), params)
        lin_j = jax.jit(lin)

        split = [[l[j] for l in lanes] for j in range(LANES)]

        def separate(p, x, y):
            return [hvp_j(p, d, x, y) for d in split]

        cases = [
            ("grad", vg_j, (params, x, y)),
            ("hvp", hvp_j, (params, dirs, x, y)),
            ("hvp_with_grad", hvp_with_grad_j, (params, dirs, x, y)),
            ("hvp_linearized", lin_j, (dirs,)),
            ("hvp8_batched", hvp8_j, (params, lanes, x, y)),
            ("hvp8_separate", separate, (params, x, y)),
            ("fd_hvp", fd_j, (params, dirs, x, y, h)),
        ]
        n_params = sum(int(p.size) for p in params)
        for op, fn, args in cases:
            ms, lo = time_ms(fn, args, a.runs, a.warmup)
            print(json.dumps({
                "impl": "jax", "dtype": a.dtype, "model": name(spec), "head": spec["head"],
                "params": n_params, "op": op, "median_ms": round(ms, 6), "min_ms": round(lo, 6),
                "runs": a.runs, "warmup": a.warmup, "jax": jax.__version__,
            }), flush=True)


if __name__ == "__main__":
    main()
