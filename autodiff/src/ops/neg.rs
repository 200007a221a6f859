//! Negation.

use crate::{Dual, Primitive, Tensor, Var, Wanted};

/// `-a`.
struct Neg;

// d(-a) = -da
impl Primitive for Neg {
    fn name(&self) -> &'static str {
        "neg"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(|x| -x)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent.as_ref().map(|t| t.map(|x| -x))
    }
    fn vjp(&self, _: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(-c)]
    }
}

impl<'t> std::ops::Neg for Var<'t> {
    type Output = Var<'t>;
    #[track_caller]
    fn neg(self) -> Var<'t> {
        self.record(Neg, &[self])
    }
}

impl std::ops::Neg for &Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        crate::primitive::apply(&Neg, &[self])
    }
}
