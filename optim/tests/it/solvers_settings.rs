//! Settings that cannot work end a run at its start with
//! `Status::InvalidSettings` and the setting named, instead of a silent
//! climb or a misleading status.

use optim::line_search::{Armijo, LineSearchMethod, MoreThuente, StrongWolfe};
use optim::objective::AutodiffObjective;
use optim::solvers::{
    Bfgs, GradientDescent, Lbfgs, Minimizer, Momentum, Newton, NewtonCg, Options, Report, Status,
    TrustRadius, TrustRegion, TrustRegionExact,
};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const X0: [f64; 2] = [1.0, -2.0];

fn every_solver() -> Vec<(&'static str, Box<dyn Minimizer>)> {
    vec![
        ("gradient_descent", Box::new(GradientDescent::default())),
        ("momentum", Box::new(Momentum::default())),
        ("bfgs", Box::new(Bfgs::default())),
        ("lbfgs", Box::new(Lbfgs::default())),
        ("newton", Box::new(Newton::default())),
        ("newton_cg", Box::new(NewtonCg::default())),
        ("trust_region", Box::new(TrustRegion::default())),
        ("trust_exact", Box::new(TrustRegionExact::default())),
    ]
}

fn run(solver: &dyn Minimizer, options: &Options) -> Report {
    let f = AutodiffObjective::new(2, |x| (x.square() * 0.5).sum());
    solver.minimize(&f, &X0, options)
}

/// The run ended at the start, before any step, naming `setting`.
fn refused(report: &Report, setting: &str) {
    assert_eq!(report.status, Status::InvalidSettings, "{report:?}");
    assert_eq!(report.invalid.as_ref().map(|e| e.setting), Some(setting));
    assert_eq!((report.iterations, report.x.as_slice()), (0, &X0[..]));
}

#[test]
fn the_defaults_are_valid_and_converge() {
    assert_eq!(Options::default().validate(), Ok(()));
    for (name, solver) in every_solver() {
        let report = run(solver.as_ref(), &Options::default());
        assert_eq!(report.status, Status::GradientTolerance, "{name}");
        assert!(report.invalid.is_none(), "{name}");
    }
}

#[test]
fn a_nan_or_negative_tolerance_is_refused_by_every_solver() {
    let bad = [
        (
            "Options::gtol",
            Options {
                gtol: f64::NAN,
                ..Options::default()
            },
        ),
        (
            "Options::gtol",
            Options {
                gtol: -1e-8,
                ..Options::default()
            },
        ),
        (
            "Options::ftol",
            Options {
                ftol: f64::NAN,
                ..Options::default()
            },
        ),
        (
            "Options::xtol",
            Options {
                xtol: -1.0,
                ..Options::default()
            },
        ),
        (
            "Options::round_off_gtol",
            Options {
                round_off_gtol: f64::NAN,
                ..Options::default()
            },
        ),
    ];
    for (setting, options) in &bad {
        for (name, solver) in every_solver() {
            let report = run(solver.as_ref(), options);
            assert_eq!(report.status, Status::InvalidSettings, "{name}, {setting}");
            refused(&report, setting);
        }
    }
}

#[test]
fn the_message_names_the_setting_the_rule_and_the_value() {
    let report = run(
        &Lbfgs::default(),
        &Options {
            gtol: f64::NAN,
            ..Options::default()
        },
    );
    assert_eq!(
        report.invalid.expect("an error").to_string(),
        "Options::gtol must be a finite number ≥ 0, got NaN"
    );
}

#[test]
fn line_search_constants_out_of_order_are_refused() {
    let wolfe = StrongWolfe {
        c1: 0.5,
        c2: 0.1,
        ..StrongWolfe::default()
    };
    let lbfgs = Lbfgs {
        line_search: LineSearchMethod::StrongWolfe(wolfe),
        ..Lbfgs::default()
    };
    refused(&run(&lbfgs, &Options::default()), "StrongWolfe::c2");
    let thuente = MoreThuente {
        c1: 0.0,
        ..MoreThuente::default()
    };
    let bfgs = Bfgs {
        line_search: LineSearchMethod::MoreThuente(thuente),
        ..Bfgs::default()
    };
    refused(&run(&bfgs, &Options::default()), "MoreThuente::c1");
    let armijo = LineSearchMethod::Armijo(Armijo {
        c1: 1.5,
        ..Armijo::default()
    });
    refused(
        &run(
            &GradientDescent::with_line_search(armijo),
            &Options::default(),
        ),
        "Armijo::c1",
    );
    let newton = Newton {
        line_search: Some(LineSearchMethod::StrongWolfe(StrongWolfe {
            c2: 1.0,
            ..StrongWolfe::default()
        })),
        ..Newton::default()
    };
    refused(&run(&newton, &Options::default()), "StrongWolfe::c2");
}

#[test]
fn a_step_that_would_climb_is_refused() {
    // lr = −1 steps up the gradient: before, the run climbed until the
    // iteration limit or an overflow.
    refused(
        &run(
            &Momentum {
                lr: -1.0,
                ..Momentum::default()
            },
            &Options::default(),
        ),
        "Momentum::lr",
    );
    refused(
        &run(
            &Momentum {
                beta: 1.0,
                ..Momentum::default()
            },
            &Options::default(),
        ),
        "Momentum::beta",
    );
    refused(
        &run(&GradientDescent::fixed(f64::NAN), &Options::default()),
        "GradientDescent::step (fixed)",
    );
}

#[test]
fn a_trust_radius_that_cannot_work_is_refused() {
    let zero = TrustRadius {
        delta0: 0.0,
        ..TrustRadius::default()
    };
    refused(
        &run(
            &TrustRegion {
                radius: zero.clone(),
                ..TrustRegion::default()
            },
            &Options::default(),
        ),
        "TrustRadius::delta0",
    );
    let above = TrustRadius {
        delta0: 10.0,
        delta_max: 1.0,
        ..TrustRadius::default()
    };
    refused(
        &run(
            &TrustRegionExact {
                radius: above,
                ..TrustRegionExact::default()
            },
            &Options::default(),
        ),
        "TrustRadius::delta0",
    );
    let eta = TrustRadius {
        eta: 0.5,
        ..TrustRadius::default()
    };
    refused(
        &run(
            &TrustRegion {
                radius: eta,
                ..TrustRegion::default()
            },
            &Options::default(),
        ),
        "TrustRadius::eta",
    );
    let cg = TrustRegion {
        max_cg: Some(0),
        ..TrustRegion::default()
    };
    refused(&run(&cg, &Options::default()), "TrustRegion::max_cg");
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: RngSeed::Fixed(20261202), ..ProptestConfig::with_cases(64) })]

    /// Any gtol, NaN and infinities included: refused exactly when it is
    /// not a finite number ≥ 0.
    #[test]
    fn gtol_is_refused_exactly_when_it_cannot_work(
        gtol in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), -1.0..1.0f64],
    ) {
        let report = run(&Lbfgs::default(), &Options { gtol, ..Options::default() });
        let valid = gtol.is_finite() && gtol >= 0.0;
        prop_assert_eq!(report.status == Status::InvalidSettings, !valid, "{:?}", report.status);
    }
}

/// A start that already meets `gtol` does not hide a solver setting that
/// cannot work: the settings are checked before the gradient test.
#[test]
fn bad_settings_are_refused_even_at_a_start_that_meets_gtol() {
    let lbfgs = Lbfgs {
        line_search: LineSearchMethod::StrongWolfe(StrongWolfe {
            c1: 0.5,
            c2: 0.1,
            ..StrongWolfe::default()
        }),
        ..Lbfgs::default()
    };
    let loose = Options {
        gtol: 10.0,
        ..Options::default()
    };
    refused(&run(&lbfgs, &loose), "StrongWolfe::c2");
}
