//! The example programs' integration tests, in one test binary: each program is run as a user would run it.
//!
//! One integration-test crate per package keeps the test build to one link;
//! each module below was its own test file.

mod bounded_fits;
mod command_lines;
mod nystrom_pcg;
mod pictures;
mod playground;
mod precision;
mod programs;
mod tour_adam_diagonal;
mod tours;
