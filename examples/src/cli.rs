//! Command lines of the example programs, and the one way every program
//! prints its figures.
//!
//! Every program follows one pattern; a new program copies it:
//!
//! 1. Its arguments are a `#[derive(clap::Parser)]` struct in [`programs`]:
//!    the struct's doc comment is the `--help` text, every option states its
//!    default (`default_value_t`, or "default: …" in its doc when the default
//!    depends on another option), and `--json` comes from [`JsonFlag`].
//! 2. Each value is checked as it is read, by a parser from [`values`]
//!    (finite, positive, in a range, a point within bounds, a writable
//!    output path); checks that need two arguments at once go in its
//!    [`Program::validate`]. So a bad value is refused, with a message that
//!    names the argument, before any work starts.
//! 3. The struct implements [`Program`] and is listed in [`programs::all`],
//!    where the tests find it: `--help` works, and arbitrary command lines
//!    give errors, never panics.
//! 4. Its `main` is `examples::cli::main(run)`, with
//!    `fn run(args: TheArgs, out: &mut dyn Write) -> Result<(), Box<dyn Error>>`
//!    doing the work. The exit status is 0 on success and for `--help`, 2
//!    for a usage error (clap's own or `validate`'s), 1 for a failure while
//!    running (printed as `error: …`).
//! 5. Figures go to `out` through [`emit`]: a table, or with `--json` one
//!    JSON document written by `serde_json` (a non-finite number becomes
//!    `null`, so the output always parses). Output files are written with
//!    [`crate::svg::write_atomic`].

pub mod programs;
pub mod values;

use std::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;

/// A bad argument value found outside clap (e.g. by a library function
/// that the playground shares): the message names the argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArgError {}

/// The `--json` flag every program takes.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct JsonFlag {
    /// Print the figures as JSON on standard output instead of a table
    /// (a number that is not finite is written as null)
    #[arg(long)]
    pub json: bool,
}

/// A program's arguments: clap parses them, then [`Program::validate`]
/// checks what needs more than one argument.
pub trait Program: clap::Parser {
    /// Checks across arguments; the message names the argument at fault.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Parses and validates a command line (the program's name first): all a
/// program does before its work, and what the tests call in-process.
pub fn parse<P, I, T>(argv: I) -> Result<P, clap::Error>
where
    P: Program,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = P::try_parse_from(argv)?;
    args.validate()
        .map_err(|message| P::command().error(ErrorKind::ValueValidation, message))?;
    Ok(args)
}

/// A program's `main`: parses the process's arguments, runs `run` on
/// standard output, and turns the outcome into the exit status (0, 2 for a
/// usage error, 1 for a failure while running).
pub fn main<P: Program>(
    run: impl FnOnce(P, &mut dyn Write) -> Result<(), Box<dyn Error>>,
) -> ExitCode {
    let args = match parse::<P, _, _>(std::env::args_os()) {
        Ok(args) => args,
        Err(e) => {
            // Nothing more can be said if the terminal itself has gone.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match with_output(&mut io::stdout(), |out| run(args, out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The figures of one example: a readable table and the same figures as JSON.
pub trait Figures {
    /// The human-readable report.
    fn table(&self) -> String;
    /// The machine-readable summary.
    fn json(&self) -> serde_json::Value;
}

/// Runs `body` on `out`. A closed output — the program piped into `head`,
/// say — ends it quietly, as for any command-line tool, instead of as an
/// error (or, with `println!`, a panic).
fn with_output(
    out: &mut dyn Write,
    body: impl FnOnce(&mut dyn Write) -> Result<(), Box<dyn Error>>,
) -> Result<(), Box<dyn Error>> {
    match body(out).and_then(|()| Ok(out.flush()?)) {
        Err(e) if is_closed_pipe(e.as_ref()) => Ok(()),
        other => other,
    }
}

/// Whether `e` is a write to an output whose reader has gone.
fn is_closed_pipe(e: &(dyn Error + 'static)) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        || e.downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind())
            .is_some_and(|kind| kind == io::ErrorKind::BrokenPipe)
}

/// Prints `figures` as one JSON document when `json`, else as a table.
pub fn emit(out: &mut dyn Write, json: bool, figures: &impl Figures) -> Result<(), Box<dyn Error>> {
    if json {
        json_line(out, &figures.json())
    } else {
        write!(out, "{}", figures.table())?;
        Ok(())
    }
}

/// Writes `value` as one line of JSON (serde_json: always valid JSON).
pub fn json_line(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Box<dyn Error>> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The model name of the first CPU, from `/proc/cpuinfo`.
pub fn machine() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// Formats an iteration count, or `> cap` when the run did not converge.
pub fn iterations(converged: bool, iterations: usize) -> String {
    if converged {
        iterations.to_string()
    } else {
        format!("> {iterations}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output whose every write fails with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(self.0))
        }
    }

    #[test]
    fn a_closed_output_ends_the_body_quietly_and_other_failures_do_not() {
        let print = |out: &mut dyn Write| -> Result<(), Box<dyn Error>> {
            writeln!(out, "figures")?;
            Ok(())
        };
        assert!(with_output(&mut Failing(io::ErrorKind::BrokenPipe), print).is_ok());
        let full = with_output(&mut Failing(io::ErrorKind::StorageFull), print);
        assert!(full.is_err_and(|e| !is_closed_pipe(e.as_ref())));
        let mut kept = Vec::new();
        assert!(with_output(&mut kept, print).is_ok());
        assert_eq!(kept, b"figures\n");
    }

    #[test]
    fn json_through_a_closed_output_ends_quietly_too() {
        let print = |out: &mut dyn Write| json_line(out, &serde_json::json!({"x": [1.0, 2.0]}));
        assert!(with_output(&mut Failing(io::ErrorKind::BrokenPipe), print).is_ok());
    }

    #[test]
    fn non_finite_numbers_are_written_as_null_and_the_line_parses() {
        let mut out = Vec::new();
        let value = serde_json::json!({"nan": f64::NAN, "inf": f64::INFINITY, "one": 1.5});
        json_line(&mut out, &value).expect("writes to memory");
        let back: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        assert!(back["nan"].is_null() && back["inf"].is_null());
        assert_eq!(back["one"].as_f64(), Some(1.5));
    }
}
