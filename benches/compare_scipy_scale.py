"""scipy.optimize from the very starts `mgh_table --scale` uses: solved counts per
method and start scale, ours beside scipy's.

Usage: python compare_scipy_scale.py OURS.jsonl [SCIPY.json]

With SCIPY.json, scipy's solved counts (per method and scale, with the runs
not solved, the scipy version, the date and the CPU) are also written there;
`mgh_table --scale` prints them beside ours from
`benches/results/scipy_scale.json`.

OURS.jsonl is the output of `mgh_table --scale 1,10,100 --json`: for each
problem and scale a line with the start, the published minimum and local
minima, then one line per run of ours (and each quadratic's Hessian, so that
scipy gets the same matrix). The problems are written here in jax.numpy from
Moré, Garbow & Hillstrom's definitions (those of `compare_scipy.py` plus the
rest of `optim::problems::all()`); every derivative scipy receives is exact.
A run counts as solved when ‖∇f‖∞ ≤ 1e-8 at its end and f is a published
minimum (the rule `mgh_table` applies to ours). scipy: gtol 1e-8 (Newton-CG
xtol 1e-12, which has no gradient test), maxiter 20000.

Run through compare_scipy_scale.sh, which sets up the Python environment.
"""

import json
import math
import sys

import jax.numpy as jnp
import numpy as np
import scipy
from scipy.optimize import minimize

from compare_scipy import PAIRS, PROBLEMS, quadratic, with_jax, extended_rosenbrock


def freudenstein_roth(x):
    a, b = x[0], x[1]
    return ((a - 13 + ((5 - b) * b - 2) * b) ** 2
            + (a - 29 + ((b + 1) * b - 14) * b) ** 2)


def powell_badly_scaled(x):
    return ((1e4 * x[0] * x[1] - 1) ** 2
            + (jnp.exp(-x[0]) + jnp.exp(-x[1]) - 1.0001) ** 2)


Y_GAUSSIAN = jnp.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                        0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009])


def gaussian(x):
    t = (8.0 - jnp.arange(1, 16)) / 2.0
    return jnp.sum((x[0] * jnp.exp(-x[1] * (t - x[2]) ** 2 / 2) - Y_GAUSSIAN) ** 2)


def box_3d(x):
    t = 0.1 * jnp.arange(1, 11)
    w = jnp.exp(-t) - jnp.exp(-10 * t)
    return jnp.sum((jnp.exp(-t * x[0]) - jnp.exp(-t * x[1]) - x[2] * w) ** 2)


def biggs_exp6(x):
    t = 0.1 * jnp.arange(1, 14)
    y = jnp.exp(-t) - 5 * jnp.exp(-10 * t) + 3 * jnp.exp(-4 * t)
    r = (x[2] * jnp.exp(-t * x[0]) - x[3] * jnp.exp(-t * x[1])
         + x[5] * jnp.exp(-t * x[4]) - y)
    return jnp.sum(r ** 2)


def watson(x):
    n = 6
    t = jnp.arange(1, 30) / 29.0
    j = jnp.arange(n)
    deriv = jnp.where(j > 0, j * t[:, None] ** jnp.maximum(j - 1, 0), 0.0)
    power = t[:, None] ** j
    r = deriv @ x - (power @ x) ** 2 - 1
    return jnp.sum(r ** 2) + x[0] ** 2 + (x[1] - x[0] ** 2 - 1) ** 2


def extended_powell(x):
    b = x.reshape(-1, 4)
    return jnp.sum((b[:, 0] + 10 * b[:, 1]) ** 2 + 5 * (b[:, 2] - b[:, 3]) ** 2
                   + (b[:, 1] - 2 * b[:, 2]) ** 4 + 10 * (b[:, 0] - b[:, 3]) ** 4)


def penalty_i(x):
    return 1e-5 * jnp.sum((x - 1) ** 2) + (jnp.sum(x ** 2) - 0.25) ** 2


def variably_dimensioned(x):
    j = jnp.arange(1, x.size + 1)
    s = jnp.sum(j * (x - 1))
    return jnp.sum((x - 1) ** 2) + s ** 2 + s ** 4


def trigonometric(x):
    n = x.size
    i = jnp.arange(1, n + 1)
    return jnp.sum((n - jnp.sum(jnp.cos(x)) + i * (1 - jnp.cos(x)) - jnp.sin(x)) ** 2)


def broyden_tridiagonal(x):
    before = jnp.concatenate([jnp.zeros(1), x[:-1]])
    after = jnp.concatenate([x[1:], jnp.zeros(1)])
    return jnp.sum(((3 - 2 * x) * x - before - 2 * after + 1) ** 2)


FUNCTIONS = {name: f for name, (f, _) in PROBLEMS.items()}
FUNCTIONS.update({
    "freudenstein_roth": freudenstein_roth,
    "powell_badly_scaled": powell_badly_scaled,
    "gaussian": gaussian,
    "box_3d": box_3d,
    "biggs_exp6": biggs_exp6,
    "watson": watson,
    "ext_rosenbrock_2": extended_rosenbrock,
    "ext_rosenbrock_10": extended_rosenbrock,
    "ext_powell_8": extended_powell,
    "penalty_i": penalty_i,
    "variably_dimensioned_10": variably_dimensioned,
    "trigonometric": trigonometric,
    "broyden_tridiagonal_10": broyden_tridiagonal,
})


def known_minimum(f, f_min, local_minima):
    """`Problem::is_known_minimum(f, 1e-5, 1e-8)`."""
    return any(abs(f) <= 1e-8 if m == 0 else abs(f - m) <= 1e-5 * abs(m)
               for m in [f_min] + local_minima)


def run_scipy(derivatives, x0, method):
    value, grad, hvp, hess = derivatives
    kwargs = {"jac": grad}
    options = {"maxiter": 20000}
    if method in ("Newton-CG", "trust-ncg"):
        kwargs["hessp"] = hvp
    if method == "trust-exact":
        kwargs["hess"] = hess
    if method == "Newton-CG":
        options["xtol"] = 1e-12
    else:
        options["gtol"] = 1e-8
    if method == "L-BFGS-B":
        options["ftol"] = 0.0
    try:
        res = minimize(value, x0, method=method, options=options, **kwargs)
    except (ValueError, np.linalg.LinAlgError, OverflowError):
        return None
    f = value(res.x)
    g = float(np.max(np.abs(grad(res.x))))
    return f, g, int(res.nit)


def main():
    starts, hessians, ours = [], {}, []
    for line in open(sys.argv[1]):
        row = json.loads(line)
        if "hessian" in row:
            hessians[row["problem"]] = row["hessian"]
        elif "x0" in row:
            starts.append(row)
        elif "scale" in row:
            ours.append(row)
    scales = sorted({s["scale"] for s in starts})
    by_start = {(s["problem"], s["scale"]): s for s in starts}
    derivatives = {}
    solved = {}
    unsolved = []
    for start in starts:
        name = start["problem"]
        if name not in derivatives:
            derivatives[name] = (quadratic(hessians[name])[0] if name in hessians
                                 else with_jax(FUNCTIONS[name]))
        x0 = np.array(start["x0"], dtype=float)
        for theirs in sorted(set(PAIRS.values())):
            out = run_scipy(derivatives[name], x0, theirs)
            ok = (out is not None and math.isfinite(out[0]) and out[1] <= 1e-8
                  and known_minimum(out[0], start["f_min"], start["local_minima"]))
            key = ("scipy", theirs, start["scale"])
            solved[key] = solved.get(key, 0) + int(ok)
            if not ok:
                unsolved.append((name, start["scale"], theirs, out))
    for r in ours:
        s = by_start[(r["problem"], r["scale"])]
        ok = (r["status"] == "GradientTolerance"
              and known_minimum(r["f"], s["f_min"], s["local_minima"]))
        key = ("ours", r["method"], r["scale"])
        solved[key] = solved.get(key, 0) + int(ok)
    count = len({s["problem"] for s in starts})
    print(f"# Solved from x0 × {scales} ({count} problems; ours | scipy {scipy.__version__})\n")
    print("| ours | scipy | " + " | ".join(f"× {s:g}" for s in scales) + " | all |")
    print("|---|---|" + "---|" * (len(scales) + 1))
    for mine, theirs in PAIRS.items():
        ours_n = [solved.get(("ours", mine, s), 0) for s in scales]
        theirs_n = [solved.get(("scipy", theirs, s), 0) for s in scales]
        cells = [f"{a} \\| {b}" for a, b in zip(ours_n, theirs_n)]
        a, b = sum(ours_n), sum(theirs_n)
        print(f"| {mine} | {theirs} | " + " | ".join(cells) + f" | {a} \\| {b} |")
    print("\nscipy runs not solved (problem, scale, method, (f, ‖g‖∞, iterations)):\n")
    for u in unsolved:
        print(f"- {u[0]} × {u[1]:g} {u[2]}: {u[3]}")
    if len(sys.argv) > 2:
        write_scipy_counts(sys.argv[2], scales, count, solved, unsolved)


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def write_scipy_counts(path, scales, count, solved, unsolved):
    """scipy's side of the table, for `mgh_table --scale` to print."""
    import datetime
    record = {
        "scipy": scipy.__version__,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "problems": count,
        "scales": scales,
        "solved": {theirs: [solved.get(("scipy", theirs, s), 0) for s in scales]
                   for theirs in sorted(set(PAIRS.values()))},
        "not_solved": [{"problem": u[0], "scale": u[1], "method": u[2],
                        "f_g_iterations": list(u[3]) if u[3] is not None else None}
                       for u in unsolved],
    }
    with open(path + ".tmp", "w") as out:
        json.dump(record, out, indent=1)
        out.write("\n")
    import os
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
