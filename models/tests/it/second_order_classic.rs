//! Every second-order method lowers the training loss of the classic 5-8-1
//! tanh network on 100 points labelled by x₀ + x₁ > 0.

use autodiff::Tensor;
use models::second_order::{
    HessianFree, HessianFreeConfig, Kfac, KfacConfig, NaturalGradient, Shampoo, Solver, StepRule,
};
use models::{
    Activation, Adam, BceWithLogits, Dataset, Mlp, Optimizer, Params, Supervised, Targets,
    TrainingMethod,
};

fn classic() -> (Supervised<Mlp, BceWithLogits>, Params) {
    let x = Tensor::randn(&[100, 5], 0);
    let labels = x
        .data()
        .chunks(5)
        .map(|r| usize::from(r[0] + r[1] > 0.0))
        .collect();
    let data = Dataset::new(x, Targets::Classes { labels, classes: 2 }).expect("well-formed");
    let mlp = Mlp::new(5)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Identity);
    let params = mlp.init(0);
    (Supervised::new(mlp, BceWithLogits, data).unwrap(), params)
}

fn loss(problem: &Supervised<Mlp, BceWithLogits>, params: &Params) -> f64 {
    problem.value_and_grad(params.tensors()).0
}

#[test]
fn each_method_lowers_the_training_loss() {
    let (problem, start) = classic();
    let initial = loss(&problem, &start);
    let mut finals = Vec::new();

    let mut p = start.clone();
    let mut ng = NaturalGradient::new()
        .lr(0.5)
        .damping(1e-3)
        .solver(Solver::Cholesky);
    for _ in 0..10 {
        ng.step(&problem, &mut p, problem.data())
            .expect("natural gradient");
    }
    finals.push(("natural gradient", loss(&problem, &p)));

    let mut p = start.clone();
    let mut kfac = Kfac::new(KfacConfig {
        rule: StepRule::Fixed {
            lr: 0.1,
            momentum: 0.0,
        },
        damping: 0.01,
        adapt_damping: false,
        ..KfacConfig::default()
    });
    for _ in 0..20 {
        kfac.step(&problem, &mut p, problem.data()).expect("K-FAC");
    }
    finals.push(("K-FAC, fixed step", loss(&problem, &p)));

    let mut p = start.clone();
    let mut kfac = Kfac::new(KfacConfig::default());
    for _ in 0..10 {
        kfac.step(&problem, &mut p, problem.data()).expect("K-FAC");
    }
    finals.push(("K-FAC, quadratic model", loss(&problem, &p)));

    let mut p = start.clone();
    let mut kfac = Kfac::new(KfacConfig::default());
    for epoch in 0..3 {
        for batch in problem.data().shuffled(epoch).batches(25) {
            kfac.step(&problem, &mut p, &batch).expect("K-FAC");
        }
    }
    finals.push(("K-FAC, minibatches of 25", loss(&problem, &p)));

    let mut p = start.clone();
    let mut hf = HessianFree::new(HessianFreeConfig::default());
    for _ in 0..5 {
        hf.step(&problem, &mut p, problem.data())
            .expect("Hessian-free");
    }
    finals.push(("Hessian-free", loss(&problem, &p)));

    let mut p = start.clone();
    let mut shampoo = Shampoo::new(Adam::new().lr(0.05));
    for _ in 0..20 {
        let (_, g) = problem.value_and_grad(p.tensors());
        shampoo.update(p.tensors_mut(), &g);
    }
    finals.push(("Shampoo", loss(&problem, &p)));

    for (name, last) in finals {
        println!("{name}: {initial} → {last}");
        assert!(last < 0.8 * initial, "{name}: {initial} → {last}");
    }
}
