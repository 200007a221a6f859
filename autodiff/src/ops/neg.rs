//! Negation.

use crate::dual::Dual;
use crate::primal_log::primal;

// d(-a) = -da
pub(crate) fn neg(a: &Dual) -> Dual {
    Dual {
        primal: primal("neg", || a.primal.map(|x| -x)),
        tangent: a.tangent.as_ref().map(|t| t.map(|x| -x)),
    }
}

pub(crate) fn neg_vjp(c: &Dual) -> Dual {
    neg(c)
}
