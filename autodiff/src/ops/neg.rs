//! Negation.

use crate::dual::Dual;

// d(-a) = -da
pub(crate) fn neg(a: &Dual) -> Dual {
    Dual {
        primal: a.primal.map(|x| -x),
        tangent: a.tangent.as_ref().map(|t| t.map(|x| -x)),
    }
}

pub(crate) fn neg_vjp(c: &Dual) -> Dual {
    neg(c)
}
