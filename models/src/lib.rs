//! MLPs, losses, Gaussian likelihoods, data sets, training loops and checkpoints.
