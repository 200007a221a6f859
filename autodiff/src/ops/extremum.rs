//! Elementwise maximum and minimum of two values, with broadcasting.
//!
//! Conventions (as JAX's `maximum`/`minimum`): NaN in either operand gives
//! NaN; where the operands tie, each receives half of the derivative.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{Dual, Primitive, Tensor, Var, Wanted};

/// `max(a, b)` (`larger`) or `min(a, b)`, elementwise.
struct Extremum {
    larger: bool,
}

impl Extremum {
    fn pick(&self, x: f64, y: f64) -> f64 {
        match (x.is_nan() || y.is_nan(), self.larger) {
            (true, _) => f64::NAN,
            (false, true) => x.max(y),
            (false, false) => x.min(y),
        }
    }

    /// The share of the derivative each operand receives: 1 where it alone
    /// is picked, ½ each on a tie, 0 where it is not picked (or z is NaN).
    fn shares(&self, a: &Tensor, b: &Tensor, z: &Tensor) -> [Tensor; 2] {
        let is = |x: f64, z: f64| if x == z { 1.0 } else { 0.0 };
        let (picked_a, picked_b) = (binary(self.name(), a, z, is), binary(self.name(), b, z, is));
        let share = |mine: f64, other: f64| mine * (1.0 - 0.5 * other);
        [
            binary(self.name(), &picked_a, &picked_b, share),
            binary(self.name(), &picked_b, &picked_a, share),
        ]
    }
}

// d max(a, b) = [a > b] da + [a < b] db + ½ [a = b] (da + db), and likewise for min
impl Primitive for Extremum {
    fn name(&self) -> &'static str {
        if self.larger {
            "maximum"
        } else {
            "minimum"
        }
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        binary(self.name(), x[0], x[1], |x, y| self.pick(x, y))
    }
    fn tangent(&self, x: &[&Dual], z: &Tensor) -> Option<Tensor> {
        let [wa, wb] = self.shares(&x[0].primal, &x[1].primal, z);
        let r = z.rank();
        let weigh = |d: &Dual, w: &Tensor| {
            d.lanes_at(r)
                .map(|t| binary(self.name(), &t, w, |t, w| t * w))
        };
        sum_lanes(z.shape(), [weigh(x[0], &wa), weigh(x[1], &wb)])
    }
    fn vjp(&self, x: &[&Dual], z: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let (a, b) = (x[0], x[1]);
        let [wa, wb] = self.shares(&a.primal, &b.primal, &z.primal);
        vec![
            wanted[0]
                .any()
                .then(|| (c * &Dual::constant(wa)).sum_to(a.shape())),
            wanted[1]
                .any()
                .then(|| (c * &Dual::constant(wb)).sum_to(b.shape())),
        ]
    }
}

impl<'t> Var<'t> {
    /// Elementwise maximum with broadcasting (NaN if either is NaN; ties split the derivative).
    #[track_caller]
    pub fn maximum(self, other: Var<'t>) -> Var<'t> {
        self.record(Extremum { larger: true }, &[self, other])
    }

    /// Elementwise minimum with broadcasting (NaN if either is NaN; ties split the derivative).
    #[track_caller]
    pub fn minimum(self, other: Var<'t>) -> Var<'t> {
        self.record(Extremum { larger: false }, &[self, other])
    }
}

impl Dual {
    /// Elementwise maximum with broadcasting (see [`Var::maximum`]).
    pub fn maximum(&self, other: &Dual) -> Dual {
        crate::primitive::apply(&Extremum { larger: true }, &[self, other])
    }

    /// Elementwise minimum with broadcasting (see [`Var::minimum`]).
    pub fn minimum(&self, other: &Dual) -> Dual {
        crate::primitive::apply(&Extremum { larger: false }, &[self, other])
    }
}
