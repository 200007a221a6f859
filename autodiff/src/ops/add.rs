//! Addition with broadcasting.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a + b`.
struct Add;

// d(a + b) = da + db
impl<S: Scalar> Primitive<S> for Add {
    fn name(&self) -> &'static str {
        "add"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        binary("add", x[0], x[1], |x, y| x + y)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        let r = y.rank();
        sum_lanes(y.shape(), [x[0].lanes_at(r), x[1].lanes_at(r)])
    }
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![
            wanted[0].any().then(|| c.sum_to(x[0].shape())),
            wanted[1].any().then(|| c.sum_to(x[1].shape())),
        ]
    }
}

super::binary_operator!(Add, add, Add);
