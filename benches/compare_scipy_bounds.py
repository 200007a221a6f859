"""scipy's L-BFGS-B on bounded Moré–Garbow–Hillstrom problems: the fixture
the bounded solvers' tests compare with.

Usage: python compare_scipy_bounds.py > optim/tests/it/fixtures/scipy_bounds.json

Each problem (from its standard start, which L-BFGS-B projects into the box)
is solved within two boxes: one that cuts off the unconstrained minimum
("cut") and one that holds it inside ("inactive"). Derivatives are exact
(JAX), tolerances tight (ftol 0, gtol 1e-10, maxiter and maxfun 20000).
The JSON lists, per case: problem, kind, lo, hi, x0, scipy's x* and f*,
its projected gradient ‖P(x − g) − x‖∞ there, nfev and nit.

Run through compare_scipy_bounds.sh, which sets up the Python environment.
Optional: the Rust tests read the committed JSON and need no Python.
"""

import json
import sys

import jax.numpy as jnp
import numpy as np
import scipy
from scipy.optimize import minimize

from compare_scipy import (beale, extended_rosenbrock, extended_start, helical_valley,
                           powell_singular, rosenbrock, with_jax, wood)


def freudenstein_roth(x):
    return ((x[0] - 13 + ((5 - x[1]) * x[1] - 2) * x[1]) ** 2
            + (x[0] - 29 + ((x[1] + 1) * x[1] - 14) * x[1]) ** 2)


def variably_dimensioned(x):
    j = jnp.arange(1, x.shape[0] + 1)
    s = jnp.sum(j * (x - 1))
    return jnp.sum((x - 1) ** 2) + s ** 2 + s ** 4


def broyden_tridiagonal(x):
    before = jnp.concatenate([jnp.zeros(1), x[:-1]])
    after = jnp.concatenate([x[1:], jnp.zeros(1)])
    return jnp.sum(((3 - 2 * x) * x - before - 2 * after + 1) ** 2)


def box(lo, hi):
    return [float(v) for v in lo], [float(v) for v in hi]


INF = float("inf")

# name → (function, start, {kind: (lo, hi)})
CASES = {
    "rosenbrock": (rosenbrock, [-1.2, 1.0], {
        "cut": box([-2, -2], [0.5, 2]),
        "inactive": box([-2, -2], [2, 2]),
    }),
    "freudenstein_roth": (freudenstein_roth, [0.5, -2.0], {
        # The box keeps the descent from the standard start in the basin
        # of the local minimum 48.98… at (11.41…, −0.8968…).
        "cut": box([-5, -3], [10, 3.5]),
        "inactive": box([-5, -3], [20, 6]),
    }),
    "beale": (beale, [1.0, 1.0], {
        "cut": box([-4.5, -4.5], [2.5, 4.5]),
        "inactive": box([-4.5, -4.5], [4.5, 4.5]),
    }),
    "helical_valley": (helical_valley, [-1.0, 0.0, 0.0], {
        "cut": box([-2, -2, -2], [2, 2, -0.1]),
        "inactive": box([-2, -2, -2], [2, 2, 2]),
    }),
    "powell_singular": (powell_singular, [3.0, -1.0, 0.0, 1.0], {
        "cut": box([0.1, -10, -10, -10], [10, 10, 10, 10]),
    }),
    "wood": (wood, [-3.0, -1.0, -3.0, -1.0], {
        # x₁, x₃ ≥ 0, where ∂f/∂x₁ = ∂f/∂x₃ = −2 on the lower bound: the box
        # keeps out the local minima with x₁ = x₃ < 0 (near −0.94, or on a
        # lower bound) that a descent may otherwise end at.
        "cut": box([0, -3, 0, -3], [0.9, 3, 0.9, 3]),
        "inactive": box([-10, -10, -10, -10], [10, 10, 10, 10]),
    }),
    "ext_rosenbrock_10": (extended_rosenbrock, list(extended_start(10)), {
        "cut": box([-2] * 10, [0.5, 2] * 5),
        "inactive": box([-2] * 10, [2] * 10),
    }),
    "variably_dimensioned_10": (variably_dimensioned, [1 - j / 10 for j in range(1, 11)], {
        "cut": box([-2] * 10, [0.5] * 5 + [2] * 5),
        "inactive": box([-2] * 10, [2] * 10),
    }),
    "broyden_tridiagonal_10": (broyden_tridiagonal, [-1.0] * 10, {
        "cut": box([-0.6] * 10, [0] * 10),
        "inactive": box([-1.5] * 10, [0] * 10),
    }),
}


def solve(f, x0, lo, hi):
    value, grad, _, _ = with_jax(f)
    res = minimize(value, np.array(x0), jac=grad, method="L-BFGS-B",
                   bounds=list(zip(lo, hi)),
                   options={"ftol": 0.0, "gtol": 1e-10, "maxiter": 20000, "maxfun": 20000})
    x = res.x
    pg = np.clip(x - grad(x), lo, hi) - x
    return {
        "x": [float(v) for v in x],
        "f": float(res.fun),
        "projected_gradient": float(np.max(np.abs(pg))),
        "nfev": int(res.nfev),
        "nit": int(res.nit),
        "message": str(res.message),
    }


def main():
    cases = []
    for name, (f, x0, boxes) in CASES.items():
        for kind, (lo, hi) in boxes.items():
            case = {"problem": name, "kind": kind, "lo": lo, "hi": hi, "x0": x0}
            case.update(solve(f, x0, lo, hi))
            print(f"{name} {kind}: f {case['f']:.10e} pg {case['projected_gradient']:.1e} "
                  f"nfev {case['nfev']} ({case['message']})", file=sys.stderr)
            cases.append(case)
    json.dump({"scipy": scipy.__version__, "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
