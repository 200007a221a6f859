//! The Nyström PCG comparison at a size quick in debug: its figures against
//! the known spectrum of the quadratic.

use examples::nystrom_pcg;
use optim::cg::CgStatus;

#[test]
fn small_decaying_quadratic_meets_the_iteration_goal_and_the_eigenvalues_agree() {
    let c = nystrom_pcg::quadratic(300, 3.0, 1e-6, 40);
    assert_eq!(
        (c.cg.2, c.pcg.2),
        (CgStatus::Converged, CgStatus::Converged)
    );
    assert!(c.iteration_ratio() >= 5.0, "{} against {}", c.cg.0, c.pcg.0);
    // Lanczos found λᵢ = i⁻³, and the sketch lies below them within its error.
    for (i, &(lanczos, _, sketch)) in c.top.iter().enumerate() {
        let truth = ((i + 1) as f64).powi(-3);
        assert!(
            (lanczos - truth).abs() < 1e-9 * truth.max(1e-3),
            "λ_{} = {lanczos}",
            i + 1
        );
        assert!(sketch <= truth + 1e-12 && truth - sketch <= c.sketch_error);
    }
    assert!(c.eigenvalues_agree());
}
