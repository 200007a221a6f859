//! Negation.

use crate::{DualOf, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// `-a`.
struct Neg;

// d(-a) = -da
impl<S: Scalar> Primitive<S> for Neg {
    fn name(&self) -> &'static str {
        "neg"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(|x| -x)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent.as_ref().map(|t| t.map(|x| -x))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(-c)]
    }
}

impl<'t, S: Scalar> std::ops::Neg for VarOf<'t, S> {
    type Output = VarOf<'t, S>;
    #[track_caller]
    fn neg(self) -> VarOf<'t, S> {
        self.record(Neg, &[self])
    }
}

impl<S: Scalar> std::ops::Neg for &DualOf<S> {
    type Output = DualOf<S>;
    fn neg(self) -> DualOf<S> {
        crate::primitive::apply(&Neg, &[self])
    }
}
