//! Second-order training for a model and a loss of the user's own: a
//! residual network written as a plain `forward` over `dense` layers, a
//! pseudo-Huber loss and a Student-t likelihood that give nothing but their
//! value (and, for Student-t, a sampler), trained through `Trainer::fit`
//! by Adam, K-FAC, natural gradient, Hessian-free and L-BFGS.

use autodiff::{hessian, jacobian, Tensor, Var};
use models::curvature::Curvature;
use models::second_order::{HessianFree, Kfac, KfacConfig, NaturalGradient, Solver};
use models::{
    dense, Activation, Adam, Control, Dataset, FullBatch, Loss, Mlp, Model, Params, Supervised,
    Targets, Trainer, TrainingMethod,
};
use nalgebra::DMatrix;
use optim::linop::{DenseMatrix, LinearOperator};
use optim::solvers::Lbfgs;
use rand::SeedableRng;
use rand_distr::{Distribution, StudentT as StudentTDistribution};

/// Pseudo-Huber: `δ² (√(1 + (r/δ)²) − 1)` averaged over every element.
#[derive(Clone, Copy)]
struct PseudoHuber(f64);

impl Loss for PseudoHuber {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs
            .tape()
            .constant(targets.values().expect("real targets").clone());
        let r = (outputs - y) / self.0;
        (((r.square() + 1.0).sqrt() - 1.0) * (self.0 * self.0)).mean()
    }
}

/// The Student-t negative log-likelihood with `ν` degrees of freedom and
/// unit scale, `((ν + 1)/2) log(1 + r²/ν)` averaged over the rows (constants
/// dropped); it can be sampled, so it has a Monte-Carlo Fisher.
#[derive(Clone, Copy)]
struct StudentT(f64);

impl Loss for StudentT {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs
            .tape()
            .constant(targets.values().expect("real targets").clone());
        let nu = self.0;
        (((outputs - y).square() / nu + 1.0).ln() * ((nu + 1.0) / 2.0)).mean()
    }

    fn sample(&self, outputs: &Tensor, seed: u64) -> Option<Targets> {
        let t = StudentTDistribution::new(self.0).ok()?;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let draws: Vec<f64> = (0..outputs.len()).map(|_| t.sample(&mut rng)).collect();
        Some(Targets::Values(Tensor::from_fn(outputs.shape(), |i| {
            outputs.data()[i] + draws[i]
        })))
    }
}

/// A residual network `x ↦ W₃ (h + tanh(W₂ h + b₂)) + b₃`, `h = tanh(W₁ x + b₁)`.
struct Residual;

impl Model for Residual {
    fn forward<'t>(&self, p: &[Var<'t>], x: Var<'t>) -> Var<'t> {
        let h = dense(x, p[0], p[1]).tanh();
        let h = h + dense(h, p[2], p[3]).tanh();
        dense(h, p[4], p[5])
    }
}

fn residual_params(inputs: usize, width: usize, seed: u64) -> Params {
    let layer = |i: usize, fan_in: usize, fan_out: usize| {
        let scale = (1.0 / fan_in as f64).sqrt();
        [
            (
                format!("w{i}"),
                Tensor::randn(&[fan_in, fan_out], seed + i as u64).map(|x| x * scale),
            ),
            (format!("b{i}"), Tensor::zeros(&[fan_out])),
        ]
    };
    Params::new(
        [
            layer(1, inputs, width),
            layer(2, width, width),
            layer(3, width, 1),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )
    .unwrap()
}

/// `y = sin(2x₀) + x₁x₂` plus noise with a few gross outliers.
fn regression(n: usize, seed: u64) -> Dataset {
    let x = Tensor::randn(&[n, 3], seed);
    let noise = Tensor::randn(&[n], seed + 1);
    let y = Tensor::from_fn(&[n, 1], |i| {
        let r = &x.data()[3 * i..3 * i + 3];
        let outlier = if i % 10 == 0 { 5.0 } else { 0.0 };
        (2.0 * r[0]).sin() + r[1] * r[2] + 0.1 * noise.data()[i] + outlier
    });
    Dataset::new(x, Targets::Values(y)).expect("well-formed")
}

/// `Jᵀ H_L J` from the engine's dense Jacobian of the model and dense
/// Hessian of the loss in the outputs.
fn dense_sandwich<L: Loss>(problem: &Supervised<Residual, L>, params: &Params) -> DMatrix<f64> {
    let x = problem.data().features().clone();
    let net = autodiff::func(|p| Residual.forward(p, p[0].tape().constant(x.clone())));
    let j = jacobian(net, params.tensors());
    let (m, n) = (j.shape()[0], j.shape()[1]);
    let j = DMatrix::from_row_slice(m, n, j.data());
    let z = autodiff::value(net, params.tensors());
    let targets = problem.data().targets();
    let h = hessian(
        |o| problem.loss().loss(o[0], targets),
        std::slice::from_ref(&z),
    );
    j.transpose() * DMatrix::from_row_slice(m, m, h.data()) * j
}

fn operator_matrix(op: &impl LinearOperator) -> DMatrix<f64> {
    let n = op.dim();
    DMatrix::from_row_slice(n, n, DenseMatrix::from_operator(op).data())
}

#[test]
fn custom_losses_get_exact_gauss_newton_products_from_the_engine() {
    let data = regression(12, 3);
    let params = residual_params(3, 4, 7);
    let huber = Supervised::new(Residual, PseudoHuber(0.5), data.clone()).unwrap();
    let student = Supervised::new(Residual, StudentT(3.0), data.clone()).unwrap();
    let check = |dense: DMatrix<f64>, op: DMatrix<f64>, name: &str| {
        let err = (&dense - &op).abs().max() / dense.abs().max();
        assert!(err < 1e-12, "{name}: relative difference {err:e}");
    };
    let op = huber
        .curvature(&params, &data, Curvature::GaussNewton)
        .expect("fits");
    check(
        dense_sandwich(&huber, &params),
        operator_matrix(&op),
        "pseudo-Huber",
    );
    let op = student
        .curvature(&params, &data, Curvature::GaussNewton)
        .expect("fits");
    check(
        dense_sandwich(&student, &params),
        operator_matrix(&op),
        "Student-t",
    );

    // Nothing more than a value: no exact Fisher, no sampler, and the
    // errors say so; the empirical Fisher always exists.
    assert!(huber.curvature(&params, &data, Curvature::Fisher).is_err());
    let mc = Curvature::MonteCarloFisher {
        samples: 1,
        seed: 0,
    };
    let message = huber
        .curvature(&params, &data, mc)
        .err()
        .expect("no sampler")
        .to_string();
    assert!(message.contains("sampler"), "{message}");
    assert!(huber
        .curvature(&params, &data, Curvature::EmpiricalFisher)
        .is_ok());
    assert!(student.curvature(&params, &data, mc).is_ok());
}

#[test]
fn a_model_written_by_hand_follows_the_mlp_it_equals_step_for_step() {
    // The same function as an Mlp, written as a plain forward over `dense`.
    struct ByHand;
    impl Model for ByHand {
        fn forward<'t>(&self, p: &[Var<'t>], x: Var<'t>) -> Var<'t> {
            dense(dense(x, p[0], p[1]).tanh(), p[2], p[3])
        }
    }
    let data = regression(30, 11);
    let mlp = Mlp::new(3)
        .dense(6, Activation::Tanh)
        .dense(1, Activation::Identity);
    let start = mlp.init(2);
    let as_mlp = Supervised::new(mlp, PseudoHuber(1.0), data.clone()).unwrap();
    let by_hand = Supervised::new(ByHand, PseudoHuber(1.0), data.clone()).unwrap();
    let (mut p, mut q) = (start.clone(), start);
    let config = KfacConfig {
        curvature: Curvature::GaussNewton,
        ..KfacConfig::default()
    };
    let (mut k1, mut k2) = (Kfac::new(config), Kfac::new(config));
    for _ in 0..15 {
        k1.step(&as_mlp, &mut p, &data).expect("step");
        k2.step(&by_hand, &mut q, &data).expect("step");
    }
    assert_eq!(p, q, "the two models took different K-FAC steps");
}

#[test]
fn a_layer_shared_by_two_inputs_is_one_kronecker_block() {
    // Two towers through one shared dense layer, summed.
    struct Siamese;
    impl Model for Siamese {
        fn forward<'t>(&self, p: &[Var<'t>], x: Var<'t>) -> Var<'t> {
            let (left, right) = (x.slice(1, 0, 2), x.slice(1, 2, 4));
            let shared = |v| dense(v, p[0], p[1]).tanh();
            dense(shared(left) + shared(right), p[2], p[3])
        }
    }
    let x = Tensor::randn(&[40, 4], 5);
    let y = Tensor::from_fn(&[40, 1], |i| {
        let r = &x.data()[4 * i..4 * i + 4];
        (r[0] - r[1]).tanh() + (r[2] - r[3]).tanh()
    });
    let data = Dataset::new(x, Targets::Values(y)).expect("well-formed");
    let params = Params::new(vec![
        (
            "shared.w".into(),
            Tensor::randn(&[2, 5], 1).map(|v| v * 0.7),
        ),
        ("shared.b".into(), Tensor::zeros(&[5])),
        ("out.w".into(), Tensor::randn(&[5, 1], 2).map(|v| v * 0.4)),
        ("out.b".into(), Tensor::zeros(&[1])),
    ])
    .unwrap();
    let problem = Supervised::new(Siamese, models::Mse, data.clone()).unwrap();
    let mut p = params.clone();
    let mut kfac = Kfac::default();
    let before = problem.objective_value(&p, &data);
    for _ in 0..30 {
        kfac.step(&problem, &mut p, &data).expect("step");
    }
    let shapes: Vec<(usize, usize)> = kfac
        .factors()
        .map(|(a, g)| (a.nrows(), g.nrows()))
        .collect();
    assert_eq!(
        shapes,
        [(3, 5), (6, 1)],
        "one block per layer, the shared one included"
    );
    let after = problem.objective_value(&p, &data);
    assert!(after < 0.1 * before, "{before} → {after}");
}

#[test]
fn parameters_of_no_layer_get_the_diagonal_fallback() {
    // A learnable output scale that belongs to no dense layer.
    struct Scaled;
    impl Model for Scaled {
        fn forward<'t>(&self, p: &[Var<'t>], x: Var<'t>) -> Var<'t> {
            dense(dense(x, p[0], p[1]).tanh(), p[2], p[3]) * p[4]
        }
    }
    let data = regression(30, 17);
    let mut params = Mlp::new(3)
        .dense(6, Activation::Tanh)
        .dense(1, Activation::Identity)
        .init(3);
    params = Params::new(
        params
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .chain([("scale".to_string(), Tensor::vector(vec![0.5]))])
            .collect(),
    )
    .unwrap();
    let problem = Supervised::new(Scaled, PseudoHuber(1.0), data.clone()).unwrap();
    let before = problem.objective_value(&params, &data);
    // Pseudo-Huber has no sampler: K-FAC's G comes from its Gauss-Newton matrix.
    let mut kfac = Kfac::new(KfacConfig {
        curvature: Curvature::GaussNewton,
        ..KfacConfig::default()
    });
    for _ in 0..20 {
        kfac.step(&problem, &mut params, &data).expect("step");
    }
    assert_eq!(kfac.factors().count(), 2);
    assert_ne!(params.get("scale").expect("kept").data()[0], 0.5);
    let after = problem.objective_value(&params, &data);
    assert!(after < 0.5 * before, "{before} → {after}");
}

/// Trains `Residual` with pseudo-Huber through `Trainer::fit` and returns
/// the first and last epoch's training loss.
fn fit(method: &mut impl TrainingMethod, batch_size: usize, epochs: usize) -> (f64, f64) {
    let (train, test) = regression(200, 23).split(0.25, 0).expect("split");
    let problem = Supervised::new(Residual, PseudoHuber(1.0), train).unwrap();
    let mut params = residual_params(3, 8, 31);
    let initial = problem.evaluate(params.tensors(), problem.data()).0;
    let trainer = Trainer {
        epochs,
        batch_size,
        progress: false,
        ..Trainer::default()
    };
    let history = trainer
        .fit(&problem, &mut params, method, Some(&test), |_| {
            Control::Continue
        })
        .unwrap();
    assert!(history.failures.is_empty(), "{:?}", history.failures);
    let last = history.last().expect("epochs ran");
    assert!(last.test_loss.is_some() && last.gradients > 0);
    (initial, last.train_loss)
}

#[test]
fn one_training_loop_drives_every_method_on_a_user_model_and_loss() {
    let full = 150;
    let runs = [
        ("Adam", fit(&mut Adam::new().lr(1e-2), 32, 40)),
        (
            "K-FAC",
            fit(
                &mut Kfac::new(KfacConfig {
                    curvature: Curvature::GaussNewton,
                    ..KfacConfig::default()
                }),
                full,
                30,
            ),
        ),
        (
            "natural gradient",
            fit(
                // The pseudo-Huber curvature vanishes at the outliers: damp
                // the system and bound the step in the curvature's metric.
                &mut NaturalGradient::new()
                    .lr(1.0)
                    .damping(0.1)
                    .max_kl(0.05)
                    .curvature(Curvature::GaussNewton)
                    .solver(Solver::Cg {
                        max_iter: 50,
                        rel_tol: 1e-6,
                    }),
                full,
                20,
            ),
        ),
        ("Hessian-free", fit(&mut HessianFree::default(), full, 10)),
        (
            "L-BFGS",
            fit(&mut FullBatch::new(Lbfgs::default(), 20), full, 5),
        ),
    ];
    for (name, (initial, last)) in runs {
        println!("{name}: {initial:.4} → {last:.4}");
        assert!(last < 0.5 * initial, "{name}: {initial} → {last}");
    }
}

/// Every built-in loss (squared error and binary cross-entropy on two
/// outputs, softmax, the Gaussian head) with every curvature and every
/// second-order method: five steps, none failing, the objective lower.
#[test]
fn every_builtin_loss_works_with_every_curvature_and_method() {
    use models::{BceWithLogits, GaussianHead, Mse, SoftmaxCrossEntropy};
    let x = Tensor::randn(&[24, 3], 41);
    let column = |i: usize, j: usize| x.data()[3 * i + j];
    let real = Targets::Values(Tensor::from_fn(&[24, 2], |n| {
        (column(n / 2, n % 2) * 1.5).sin()
    }));
    let binary = Targets::Values(Tensor::from_fn(&[24, 2], |n| {
        f64::from(u8::from(column(n / 2, n % 2) > 0.0))
    }));
    let classes = Targets::Classes {
        labels: (0..24)
            .map(|i| usize::from(column(i, 0) > 0.0) + usize::from(column(i, 1) > 0.5))
            .collect(),
        classes: 3,
    };
    let one = Targets::Values(Tensor::from_fn(&[24, 1], |i| {
        column(i, 0) + 0.3 * column(i, 2)
    }));
    let curvatures = [
        Curvature::GaussNewton,
        Curvature::Fisher,
        Curvature::MonteCarloFisher {
            samples: 2,
            seed: 3,
        },
        Curvature::EmpiricalFisher,
    ];
    fn check<L: Loss>(loss: L, targets: &Targets, outputs: usize, curvature: Curvature) {
        let label = std::any::type_name::<L>();
        let data = Dataset::new(Tensor::randn(&[24, 3], 41), targets.clone()).expect("well-formed");
        let mlp = Mlp::new(3)
            .dense(5, Activation::Tanh)
            .dense(outputs, Activation::Identity);
        let problem = Supervised::new(mlp.clone(), loss, data.clone()).unwrap();
        let start = mlp.init(1);
        let before = problem.objective_value(&start, &data);
        let run =
            |name: &str, method: &mut dyn FnMut(&mut Params) -> Result<(), models::StepError>| {
                let mut p = start.clone();
                for _ in 0..5 {
                    method(&mut p)
                        .unwrap_or_else(|e| panic!("{label}, {name}, {curvature:?}: {e}"));
                }
                let after = problem.objective_value(&p, &data);
                assert!(
                    after < before,
                    "{label}, {name}, {curvature:?}: {before} → {after}"
                );
            };
        let mut kfac = Kfac::new(KfacConfig {
            curvature,
            ..KfacConfig::default()
        });
        run("K-FAC", &mut |p| kfac.step(&problem, p, &data).map(|_| ()));
        let mut ng = NaturalGradient::new()
            .lr(0.5)
            .damping(0.1)
            .curvature(curvature)
            .solver(Solver::Cg {
                max_iter: 100,
                rel_tol: 1e-8,
            });
        // NOTE: the Gaussian head's output Hessian has determinant
        // −2r²/σ⁴ < 0 in (μ, log σ): its Gauss-Newton matrix is indefinite,
        // and natural gradient says so rather than stepping uphill.
        if label.ends_with("GaussianHead") && curvature == Curvature::GaussNewton {
            let mut p = start.clone();
            let error = ng.step(&problem, &mut p, &data).err();
            assert!(
                matches!(error, Some(models::StepError::NotPositiveDefinite(_))),
                "{error:?}"
            );
            assert_eq!(p, start);
        } else {
            run("natural gradient", &mut |p| {
                ng.step(&problem, p, &data).map(|_| ())
            });
        }
        let mut hf = HessianFree::new(models::second_order::HessianFreeConfig {
            curvature,
            ..Default::default()
        });
        run("Hessian-free", &mut |p| {
            hf.step(&problem, p, &data).map(|_| ())
        });
    }
    for curvature in curvatures {
        check(Mse, &real, 2, curvature);
        check(BceWithLogits, &binary, 2, curvature);
        check(SoftmaxCrossEntropy, &classes, 3, curvature);
        check(GaussianHead, &one, 2, curvature);
    }
}
