"""scipy.optimize on the very problems `mgh_table` solves, next to our runs.

Usage: python compare_scipy.py OURS.jsonl

OURS.jsonl is the output of `mgh_table --json [--bases K]`: one JSON object
per run of ours, plus one per quadratic with its Hessian (so that scipy gets
the same matrix, not a basis of its own). The Moré–Garbow–Hillstrom problems
are written again here in jax.numpy, from their published definitions, and
every derivative scipy receives is exact (JAX gradients, Hessian-vector
products and Hessians; for a quadratic, products with its matrix), as in
`shared/reference/scipy-mgh.md`. scipy's
settings are that file's: gtol 1e-10 (L-BFGS-B also ftol 0), Newton-CG
xtol 1e-12, maxiter 20000.

Run through compare_scipy.sh, which sets up the Python environment.
"""

import json
import math
import sys

import jax
import jax.numpy as jnp
import numpy as np
import scipy
from scipy.optimize import minimize

jax.config.update("jax_enable_x64", True)


def rosenbrock(x):
    return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


def beale(x):
    y = jnp.array([1.5, 2.25, 2.625])
    i = jnp.arange(1, 4)
    return jnp.sum((y - x[0] * (1.0 - x[1] ** i)) ** 2)


def powell_singular(x):
    return ((x[0] + 10 * x[1]) ** 2 + 5 * (x[2] - x[3]) ** 2
            + (x[1] - 2 * x[2]) ** 4 + 10 * (x[0] - x[3]) ** 4)


def wood(x):
    return (100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
            + 90 * (x[3] - x[2] ** 2) ** 2 + (1 - x[2]) ** 2
            + 10.1 * ((x[1] - 1) ** 2 + (x[3] - 1) ** 2)
            + 19.8 * (x[1] - 1) * (x[3] - 1))


def helical_valley(x):
    # θ = atan(x2/x1) / 2π, plus ½ when x1 < 0 (Moré, Garbow & Hillstrom).
    theta = jnp.arctan(x[1] / x[0]) / (2 * math.pi) + jnp.where(x[0] < 0, 0.5, 0.0)
    return (100 * ((x[2] - 10 * theta) ** 2
                   + (jnp.sqrt(x[0] ** 2 + x[1] ** 2) - 1) ** 2) + x[2] ** 2)


def brown_badly_scaled(x):
    return (x[0] - 1e6) ** 2 + (x[1] - 2e-6) ** 2 + (x[0] * x[1] - 2) ** 2


def extended_rosenbrock(x):
    odd, even = x[0::2], x[1::2]
    return jnp.sum(100.0 * (even - odd ** 2) ** 2 + (1.0 - odd) ** 2)


def extended_start(n):
    return np.tile([-1.2, 1.0], n // 2)


PROBLEMS = {
    "rosenbrock": (rosenbrock, np.array([-1.2, 1.0])),
    "rosenbrock_seed": (rosenbrock, np.array([-1.0, 1.0])),
    "beale": (beale, np.array([1.0, 1.0])),
    "powell_singular": (powell_singular, np.array([3.0, -1.0, 0.0, 1.0])),
    "wood": (wood, np.array([-3.0, -1.0, -3.0, -1.0])),
    "helical_valley": (helical_valley, np.array([-1.0, 0.0, 0.0])),
    "brown_badly_scaled": (brown_badly_scaled, np.array([1.0, 1.0])),
    "ext_rosenbrock_100": (extended_rosenbrock, extended_start(100)),
    "ext_rosenbrock_1000": (extended_rosenbrock, extended_start(1000)),
}

# Ours → the scipy method it is compared with.
PAIRS = {
    "BFGS": "BFGS",
    "L-BFGS": "L-BFGS-B",
    "Newton-CG": "Newton-CG",
    "TR-Steihaug": "trust-ncg",
    "Newton": "trust-exact",
    "TR-exact": "trust-exact",
}


def quadratic(hessian):
    """½ xᵀAx from its Hessian, with its exact derivatives in numpy."""
    a = np.array(hessian)
    n = math.isqrt(a.size)
    a = a.reshape(n, n)
    derivatives = (
        lambda x: 0.5 * float(x @ (a @ x)),
        lambda x: a @ x,
        lambda x, p: a @ p,
        lambda x: a,
    )
    return derivatives, np.ones(n)


def with_jax(f):
    """Value, gradient, Hessian-vector product and Hessian of `f`, from JAX."""
    value = jax.jit(f)
    grad = jax.jit(jax.grad(f))
    hvp = jax.jit(lambda x, p: jax.jvp(jax.grad(f), (x,), (p,))[1])
    hess = jax.jit(jax.hessian(f))
    return (
        lambda x: float(value(x)),
        lambda x: np.asarray(grad(x)),
        lambda x, p: np.asarray(hvp(x, p)),
        lambda x: np.asarray(hess(x)),
    )


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
        options["gtol"] = 1e-10
    if method == "L-BFGS-B":
        options["ftol"] = 0.0
    res = minimize(value, x0, method=method, options=options, **kwargs)
    return {
        "iterations": int(res.nit),
        "nf": int(res.nfev),
        "ng": int(getattr(res, "njev", 0) or 0),
        "nh": int(getattr(res, "nhev", 0) or 0),
        "grad_inf": float(np.max(np.abs(grad(res.x)))),
    }


def main():
    ours, hessians = [], {}
    for line in open(sys.argv[1]):
        row = json.loads(line)
        if "hessian" in row:
            hessians[row["problem"]] = row["hessian"]
        elif row.get("gtol") == 1e-10 and row["method"] in PAIRS:
            ours.append(row)

    problems, runs = {}, {}

    def scipy_run(problem, method):
        if problem not in problems:
            if problem in hessians:
                problems[problem] = quadratic(hessians[problem])
            else:
                f, x0 = PROBLEMS[problem]
                problems[problem] = (with_jax(f), x0)
        if (problem, method) not in runs:
            runs[(problem, method)] = run_scipy(*problems[problem], method)
        return runs[(problem, method)]

    print(f"# Ours against scipy {scipy.__version__} on the same problems "
          "(gtol 1e-10; cells are ours | scipy)\n")
    print("| problem | n | ours | scipy | it | nf+ng | nh | final ‖g‖∞ |")
    print("|---|---|---|---|---|---|---|---|")
    totals, bases = {}, {}
    for r in ours:
        theirs = PAIRS[r["method"]]
        s = scipy_run(r["problem"], theirs)
        fg, sfg = r["nf"] + r["ng"], s["nf"] + s["ng"]
        nh, snh = r["nhvp"] + r["nhess"], s["nh"]
        above = fg > sfg or nh > snh
        family = r["problem"].split("@")[0]
        key = (r["method"], theirs)
        if "@" in r["problem"]:
            t = bases.setdefault(key, [0, 0, 0, 0, 0, 0])
        else:
            t = totals.setdefault(key, [0, 0, 0, 0, 0, 0])
            print(f"| {family} | {r['n']} | {r['method']} | {theirs} "
                  f"| {r['iterations']} \\| {s['iterations']} | {fg} \\| {sfg} "
                  f"| {nh} \\| {snh} | {r['grad_inf']:.1e} \\| {s['grad_inf']:.1e} |")
        t[0] += fg
        t[1] += sfg
        t[2] += nh
        t[3] += snh
        t[4] += int(above)
        t[5] += 1

    def summary(title, table):
        print(f"\n{title}\n")
        print("| ours / scipy | nf+ng, ours \\| scipy | nh, ours \\| scipy "
              "| rows where ours needs more |")
        print("|---|---:|---:|---:|")
        for (mine, theirs), t in table.items():
            print(f"| {mine} / {theirs} | {t[0]} \\| {t[1]} | {t[2]} \\| {t[3]} "
                  f"| {t[4]} of {t[5]} |")

    summary("## Totals over the problems above", totals)
    if bases:
        runs = next(iter(bases.values()))[5]
        summary(f"## The κ = 1000 quadratic in {runs} random bases "
                "(both sides on the same matrices; totals)", bases)


if __name__ == "__main__":
    main()
