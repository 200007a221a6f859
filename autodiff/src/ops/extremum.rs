//! Elementwise maximum and minimum of two values, with broadcasting.
//!
//! Conventions (as JAX's `maximum`/`minimum`): NaN in either operand gives
//! NaN; where the operands tie, each receives half of the derivative.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{DualOf, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// `max(a, b)` (`larger`) or `min(a, b)`, elementwise.
struct Extremum {
    larger: bool,
}

impl Extremum {
    fn label(&self) -> &'static str {
        if self.larger {
            "maximum"
        } else {
            "minimum"
        }
    }

    fn pick<S: Scalar>(&self, x: S, y: S) -> S {
        match (x.is_nan() || y.is_nan(), self.larger) {
            (true, _) => S::nan(),
            (false, true) => x.max(y),
            (false, false) => x.min(y),
        }
    }

    /// The share of the derivative each operand receives: 1 where it alone
    /// is picked, ½ each on a tie, 0 where it is not picked (or z is NaN).
    fn shares<S: Scalar>(
        &self,
        a: &TensorOf<S>,
        b: &TensorOf<S>,
        z: &TensorOf<S>,
    ) -> [TensorOf<S>; 2] {
        let name = self.label();
        let is = |x: S, z: S| if x == z { S::one() } else { S::zero() };
        let (picked_a, picked_b) = (binary(name, a, z, is), binary(name, b, z, is));
        let share = |mine: S, other: S| mine * (S::one() - S::of(0.5) * other);
        [
            binary(name, &picked_a, &picked_b, share),
            binary(name, &picked_b, &picked_a, share),
        ]
    }
}

// d max(a, b) = [a > b] da + [a < b] db + ½ [a = b] (da + db), and likewise for min
impl<S: Scalar> Primitive<S> for Extremum {
    fn name(&self) -> &'static str {
        self.label()
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        binary(self.label(), x[0], x[1], |x, y| self.pick(x, y))
    }
    fn tangent(&self, x: &[&DualOf<S>], z: &TensorOf<S>) -> Option<TensorOf<S>> {
        let [wa, wb] = self.shares(&x[0].primal, &x[1].primal, z);
        let r = z.rank();
        let weigh = |d: &DualOf<S>, w: &TensorOf<S>| {
            d.lanes_at(r)
                .map(|t| binary(self.label(), &t, w, |t, w| t * w))
        };
        sum_lanes(z.shape(), [weigh(x[0], &wa), weigh(x[1], &wb)])
    }
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        z: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let (a, b) = (x[0], x[1]);
        let [wa, wb] = self.shares(&a.primal, &b.primal, &z.primal);
        vec![
            wanted[0]
                .any()
                .then(|| (c * &DualOf::constant(wa)).sum_to(a.shape())),
            wanted[1]
                .any()
                .then(|| (c * &DualOf::constant(wb)).sum_to(b.shape())),
        ]
    }
}

impl<'t, S: Scalar> VarOf<'t, S> {
    /// Elementwise maximum with broadcasting (NaN if either is NaN; ties split the derivative).
    #[track_caller]
    pub fn maximum(self, other: VarOf<'t, S>) -> VarOf<'t, S> {
        self.record(Extremum { larger: true }, &[self, other])
    }

    /// Elementwise minimum with broadcasting (NaN if either is NaN; ties split the derivative).
    #[track_caller]
    pub fn minimum(self, other: VarOf<'t, S>) -> VarOf<'t, S> {
        self.record(Extremum { larger: false }, &[self, other])
    }
}

impl<S: Scalar> DualOf<S> {
    /// Elementwise maximum with broadcasting (see [`VarOf::maximum`]).
    pub fn maximum(&self, other: &DualOf<S>) -> DualOf<S> {
        crate::primitive::apply(&Extremum { larger: true }, &[self, other])
    }

    /// Elementwise minimum with broadcasting (see [`VarOf::minimum`]).
    pub fn minimum(&self, other: &DualOf<S>) -> DualOf<S> {
        crate::primitive::apply(&Extremum { larger: false }, &[self, other])
    }
}
