//! Addition with broadcasting.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `a + b`.
struct Add;

// d(a + b) = da + db
impl Primitive for Add {
    fn name(&self) -> &'static str {
        "add"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        binary("add", x[0], x[1], |x, y| x + y)
    }
    fn tangent(&self, x: &[&Dual], y: &Tensor) -> Option<Tensor> {
        let r = y.rank();
        sum_lanes(y.shape(), [x[0].lanes_at(r), x[1].lanes_at(r)])
    }
    fn vjp(&self, x: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        vec![
            wanted[0].any().then(|| c.sum_to(x[0].shape())),
            wanted[1].any().then(|| c.sum_to(x[1].shape())),
        ]
    }
}

super::binary_operator!(Add, add, Add);
