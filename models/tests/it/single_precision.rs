//! Training in f32: the same models, losses, methods, trainer and
//! checkpoints as f64, with the data and parameters converted explicitly
//! (`Dataset::cast`, `Params::cast`). The truth each f32 run is held to is
//! the f64 run from the same (rounded) start.

use autodiff::Tensor;
use models::curvature::Curvature;
use models::second_order::{HessianFree, Kfac, NaturalGradient, Shampoo};
use models::{
    checkpoint, data, Activation, Adam, Control, FullBatch, Mlp, Params, SoftmaxCrossEntropy,
    Standardizer, Supervised, Trainer, TrainingMethod,
};
use optim::linop::LinearOperator;
use optim::solvers::Lbfgs;

use crate::wine::{train_on_wine, wine_splits};

/// f32's unit roundoff, 2⁻²⁴.
const F32_ROUNDOFF: f64 = 5.960_464_477_539_063e-8;

/// The criterion: an f32 MLP trains on red wine to the held-out
/// accuracy of f64 within noise. The noise is that of the accuracy itself:
/// its binomial standard error on the held-out wines, for the mean over
/// the seeds.
#[test]
fn an_f32_mlp_trains_on_red_wine_to_the_held_out_accuracy_of_f64() {
    let (train, test) = wine_splits();
    let seeds = [0, 1, 2];
    let mut means = [0.0, 0.0];
    for seed in seeds {
        let (wide, narrow) = (
            train_on_wine::<f64>(&train, &test, seed),
            train_on_wine::<f32>(&train, &test, seed),
        );
        let (a64, l64) = (wide.test_accuracy.unwrap(), wide.test_loss.unwrap());
        let (a32, l32) = (narrow.test_accuracy.unwrap(), narrow.test_loss.unwrap());
        println!(
            "seed {seed}: held-out accuracy f64 {a64:.4}, f32 {a32:.4}; loss f64 {l64:.5}, f32 {l32:.5}"
        );
        means[0] += a64 / seeds.len() as f64;
        means[1] += a32 / seeds.len() as f64;
    }
    let p = means[0];
    let standard_error = (p * (1.0 - p) / (test.len() * seeds.len()) as f64).sqrt();
    println!(
        "mean held-out accuracy over {} seeds: f64 {:.4}, f32 {:.4} (binomial standard error {standard_error:.4}, {} test wines)",
        seeds.len(),
        means[0],
        means[1],
        test.len()
    );
    assert!(
        (means[1] - means[0]).abs() <= 2.0 * standard_error,
        "f32 {} vs f64 {}: more than two standard errors ({standard_error}) apart",
        means[1],
        means[0]
    );
    assert!(means[1] > test.majority_rate().unwrap() + 0.05);
}

/// Iris, a 4-8-3 tanh MLP, full batch: small enough for every method.
fn iris_problem<S: autodiff::Scalar>() -> (Supervised<Mlp, SoftmaxCrossEntropy, S>, Params<S>) {
    let iris = data::iris();
    let iris = Standardizer::fit(&iris).apply(&iris);
    let mlp = Mlp::new(4)
        .dense(8, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(0).cast::<S>().unwrap();
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, iris.cast::<S>().unwrap())
        .unwrap()
        .with_l2(1e-3);
    (problem, params)
}

/// The objective after `steps` full-batch steps of `method`, in `S`.
fn after_steps<S: autodiff::Scalar>(method: &mut impl TrainingMethod, steps: usize) -> (f64, f64) {
    let (problem, mut params) = iris_problem::<S>();
    let start = problem.objective_value(&params, problem.data());
    for _ in 0..steps {
        method.step(&problem, &mut params, problem.data()).unwrap();
    }
    (start, problem.objective_value(&params, problem.data()))
}

/// Every second-order method (and a full-batch solver) steps an f32 model,
/// lowers its objective, and follows the f64 run from the same start to
/// half of f32's digits (√ε₃₂ relative, ε₃₂ = 2⁻²³: ≈ 3.5e-4) after five steps.
#[test]
fn every_second_order_method_trains_in_f32_and_follows_the_f64_run() {
    fn compare<T: TrainingMethod>(name: &str, make: impl Fn() -> T) {
        let (start64, end64) = after_steps::<f64>(&mut make(), 5);
        let (start32, end32) = after_steps::<f32>(&mut make(), 5);
        let gap = (end32 - end64).abs() / end64.abs();
        println!(
            "{name}: f64 {start64:.6} → {end64:.8}, f32 {start32:.6} → {end32:.8}, relative gap {gap:.1e}"
        );
        assert!(end32 < 0.9 * start32, "{name}: f32 {start32} → {end32}");
        assert!(
            gap <= (2.0 * F32_ROUNDOFF).sqrt(),
            "{name}: f32 ends at {end32}, f64 at {end64}"
        );
    }
    compare("K-FAC", Kfac::default);
    compare("natural gradient", || {
        NaturalGradient::new()
            .lr(0.5)
            .damping(1e-2)
            .curvature(Curvature::Fisher)
    });
    compare("Hessian-free", HessianFree::default);
    compare("Shampoo", || Shampoo::new(Adam::new().lr(0.05)));
    compare("L-BFGS (full batch)", || {
        FullBatch::new(Lbfgs::default(), 5)
    });
    compare("Adam", || Adam::new().lr(0.05));
}

/// The Gauss-Newton operator of an f32 model gives the f64 model's products
/// to f32 precision: the relative error stays below 2¹⁰ ε₃₂, the tolerance
/// `autodiff::check` uses for f32.
#[test]
fn the_curvature_of_an_f32_model_matches_f64_to_f32_precision() {
    let (p64, params64) = iris_problem::<f64>();
    let (p32, params32) = iris_problem::<f32>();
    let g64 = p64
        .curvature(&params64, p64.data(), Curvature::GaussNewton)
        .unwrap();
    let g32 = p32
        .curvature(&params32, p32.data(), Curvature::GaussNewton)
        .unwrap();
    let n = params64.num_values();
    let v: Vec<f64> = Tensor::randn(&[n], 3).into_vec();
    let (a, b) = (g64.apply(&v), g32.apply(&v));
    let norm = |x: &[f64]| x.iter().map(|e| e * e).sum::<f64>().sqrt();
    let difference: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
    let relative = norm(&difference) / norm(&a);
    println!("Gauss-Newton product, f32 against f64: relative error {relative:.2e}");
    assert!(
        relative < 1024.0 * 2.0 * F32_ROUNDOFF,
        "relative error {relative}"
    );
}

/// An f32 model's checkpoint is F32 on disk (half the bytes), reads back
/// bit for bit, and is not read into an f64 model (or an F64 file into an
/// f32 model) without the explicit conversion.
#[test]
fn f32_checkpoints_are_f32_on_disk_and_convert_only_when_asked() {
    let dir = std::env::temp_dir().join(format!("f32-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mlp = Mlp::new(11)
        .dense(32, Activation::Tanh)
        .dense(6, Activation::Identity);
    let wide = mlp.init(0);
    let narrow = wide.cast::<f32>().unwrap();
    let (p32, p64) = (dir.join("narrow.safetensors"), dir.join("wide.safetensors"));
    checkpoint::save(&p32, &narrow).unwrap();
    checkpoint::save(&p64, &wide).unwrap();
    let size = |p: &std::path::Path| std::fs::metadata(p).unwrap().len() as f64;
    let values = 8.0 * wide.num_values() as f64;
    println!(
        "{} values: F64 file {} bytes, F32 file {} bytes",
        wide.num_values(),
        size(&p64),
        size(&p32)
    );
    assert!(size(&p64) - size(&p32) > 0.45 * values);

    let back = checkpoint::load_into(&p32, &narrow).unwrap();
    assert_eq!(back, narrow);
    let refused = checkpoint::load_into(&p64, &narrow)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("Params::cast"), "{refused}");
    assert!(checkpoint::load_into(&p32, &wide).is_err());
    // Widening is exact, so it needs no more than its name.
    let widened = checkpoint::load_into_widened(&p32, &wide).unwrap();
    assert_eq!(widened.cast::<f32>().unwrap(), narrow);
    assert!(checkpoint::load_into_widened(&p64, &narrow).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

/// A run of an f32 model saved mid-way and taken up again ends bit for bit
/// where the uninterrupted run does (the method's state is kept in f64).
#[test]
fn an_f32_run_resumes_bit_for_bit() {
    let dir = std::env::temp_dir().join(format!("f32-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.safetensors");
    let (problem, start) = iris_problem::<f32>();
    let mlp = problem.model().clone();
    let trainer = Trainer {
        epochs: 4,
        batch_size: 50,
        progress: false,
        ..Trainer::default()
    };
    let go = |_: &models::EpochRecord| Control::Continue;
    let (mut straight, mut kfac) = (start.clone(), Kfac::default());
    trainer
        .fit(&problem, &mut straight, &mut kfac, None, go)
        .unwrap();

    let (mut params, mut kfac) = (start.clone(), Kfac::default());
    let head = Trainer {
        epochs: 2,
        ..trainer.clone()
    }
    .fit(&problem, &mut params, &mut kfac, None, go)
    .unwrap();
    checkpoint::save_run(&path, &mlp, &params, &kfac, &head.progress).unwrap();
    let (mut resumed, mut kfac) = (mlp.init(7).cast::<f32>().unwrap(), Kfac::default());
    let progress = checkpoint::load_run(&path, &mlp, &mut resumed, &mut kfac).unwrap();
    trainer
        .fit_from(progress, &problem, &mut resumed, &mut kfac, None, go)
        .unwrap();
    let bits = |p: &Params<f32>| -> Vec<u32> { p.flatten().iter().map(|x| x.to_bits()).collect() };
    assert_eq!(bits(&resumed), bits(&straight));
    std::fs::remove_dir_all(&dir).ok();
}

/// A data set converted to f32 keeps its rows, and its values are the f64
/// values rounded once.
#[test]
fn data_converts_to_f32_by_rounding_each_value_once() {
    let wine = data::wine_quality();
    let wine32 = wine.cast::<f32>().unwrap();
    assert_eq!(wine32.len(), wine.len());
    assert_eq!(wine32.targets().labels(), wine.targets().labels());
    let rounded: Vec<f32> = wine.features().data().iter().map(|&v| v as f32).collect();
    assert_eq!(wine32.features().data(), rounded.as_slice());
}

/// The multivariate Gaussian's negative log-likelihood, written once over
/// the scalar type: its f32 gradient is the f64 gradient to f32 precision.
#[test]
fn the_gaussian_likelihood_has_its_f64_gradient_in_f32() {
    use models::likelihood::MultivariateGaussian;
    let mean = Tensor::vector(vec![0.5, -1.0, 2.0]);
    let raw = Tensor::from_rows(&[
        vec![0.1, 0.0, 0.0],
        vec![0.4, -0.2, 0.0],
        vec![-0.3, 0.2, 0.3],
    ])
    .unwrap();
    let g = MultivariateGaussian::from_params(&[mean.clone(), raw.clone()]).unwrap();
    let x = g.sample(20, 4);
    let x32 = x.cast::<f32>();
    let g64 = autodiff::grad(
        |p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
        &[mean.clone(), raw.clone()],
    );
    let g32 = autodiff::grad(
        |p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x32.clone())),
        &[mean.cast::<f32>(), raw.cast::<f32>()],
    );
    let (wide, narrow): (Vec<f64>, Vec<f64>) = (
        autodiff::flatten(&g64),
        autodiff::flatten(&g32)
            .iter()
            .map(|&v| f64::from(v))
            .collect(),
    );
    let scale = wide.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let worst = wide
        .iter()
        .zip(&narrow)
        .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
    println!(
        "Gaussian NLL gradient, f32 against f64: largest error {:.2e} of the largest entry",
        worst / scale
    );
    assert!(worst / scale < 1024.0 * 2.0 * F32_ROUNDOFF);
}

/// A model of one's own, written once over the scalar type: a residual
/// block through `dense`, so K-FAC finds its layers in either precision.
struct Residual;

impl<S: autodiff::Scalar> models::Model<S> for Residual {
    fn forward<'t>(
        &self,
        p: &[autodiff::VarOf<'t, S>],
        x: autodiff::VarOf<'t, S>,
    ) -> autodiff::VarOf<'t, S> {
        let h = x + models::dense(x, p[0], p[1]).tanh() * S::of(0.5);
        models::dense(h, p[2], p[3])
    }
}

/// The user's model in f32: its gradient is the f64 model's to f32
/// precision, and a K-FAC step (which finds its two dense layers) lowers
/// its objective, as in f64.
#[test]
fn a_user_model_written_once_trains_in_either_precision() {
    let iris = data::iris();
    let iris = Standardizer::fit(&iris).apply(&iris);
    let params = Params::new(vec![
        (
            "block.weight".into(),
            Tensor::randn(&[4, 4], 1).map(|v| 0.3 * v),
        ),
        ("block.bias".into(), Tensor::zeros(&[4])),
        (
            "head.weight".into(),
            Tensor::randn(&[4, 3], 2).map(|v| 0.3 * v),
        ),
        ("head.bias".into(), Tensor::zeros(&[3])),
    ])
    .unwrap();
    let wide = Supervised::new(Residual, SoftmaxCrossEntropy, iris.clone()).unwrap();
    let narrow =
        Supervised::new(Residual, SoftmaxCrossEntropy, iris.cast::<f32>().unwrap()).unwrap();
    let mut p32 = params.cast::<f32>().unwrap();
    let (_, g64) = wide.value_and_grad(params.tensors());
    let (_, g32) = narrow.value_and_grad(p32.tensors());
    let g64 = autodiff::flatten(&g64);
    let scale = g64.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let worst = g64
        .iter()
        .zip(autodiff::flatten(&g32))
        .fold(0.0_f64, |m, (a, b)| m.max((a - f64::from(b)).abs()));
    assert!(
        worst / scale < 1024.0 * 2.0 * F32_ROUNDOFF,
        "gradient gap {worst} of {scale}"
    );
    let before = narrow.objective_value(&p32, narrow.data());
    let mut kfac = Kfac::default();
    for _ in 0..3 {
        kfac.step(&narrow, &mut p32, narrow.data()).unwrap();
    }
    assert_eq!(kfac.factors().count(), 2, "K-FAC sees the two dense layers");
    assert!(narrow.objective_value(&p32, narrow.data()) < before);
}
