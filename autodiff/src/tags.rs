//! Tags: named groups of vars recorded on a tape, so that code above the
//! engine can find parts of a graph again after it was built — for example
//! the dense layers that K-FAC preconditions (the idea of kfac-jax's layer
//! registration). Tags change nothing in any sweep.

use crate::scalar::Scalar;
use crate::tape::TapeOf;
use crate::var::VarOf;

/// A named group of nodes on a tape, in the order they were tagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// What the group is (chosen by whoever tagged it).
    pub name: &'static str,
    /// The nodes' positions on the tape ([`VarOf::id`]).
    pub ids: Vec<usize>,
}

impl<S: Scalar> TapeOf<S> {
    /// Records a tag naming `vars` (all on this tape).
    ///
    /// ```
    /// use autodiff::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.var(Tensor::vector(vec![1.0, 2.0]));
    /// let y = x.tanh();
    /// tape.tag("layer", &[x, y]);
    /// assert_eq!(tape.tags()[0].ids, vec![x.id(), y.id()]);
    /// ```
    ///
    /// # Panics
    /// When a var belongs to another tape.
    pub fn tag(&self, name: &'static str, vars: &[VarOf<'_, S>]) {
        assert!(
            vars.iter().all(|v| std::ptr::eq(v.tape(), self)),
            "tag {name:?}: a var belongs to another tape"
        );
        self.tags.borrow_mut().push(Tag {
            name,
            ids: vars.iter().map(VarOf::id).collect(),
        });
    }

    /// Every tag recorded so far, oldest first.
    pub fn tags(&self) -> Vec<Tag> {
        self.tags.borrow().clone()
    }

    /// The var at position `id` of this tape (as returned by [`VarOf::id`]).
    ///
    /// # Panics
    /// When no node has that position.
    pub fn var_at(&self, id: usize) -> VarOf<'_, S> {
        assert!(
            id < self.len(),
            "var_at: no node {id} on a tape of {}",
            self.len()
        );
        VarOf::new(self, id)
    }
}
