//! Command-line arguments for the examples: flags (`--json`, `--quick`) and
//! options with a value (`--start 1,2` or `--start=1,2`), each rejected with
//! a message naming it when it is unknown or malformed; and the one way every
//! example prints its figures (a table, or JSON with `--json`).

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

/// A bad command line: the message names the argument. Its `Debug` form is
/// the bare message, which is what `main` prints when it returns the error.
#[derive(Clone, PartialEq, Eq)]
pub struct ArgError(pub String);

impl fmt::Debug for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArgError {}

/// Parsed arguments: which flags were given and the value of each option.
#[derive(Debug, Default)]
pub struct Args {
    flags: Vec<String>,
    options: HashMap<String, String>,
}

impl Args {
    /// Parses the process's arguments, accepting only the listed flags and options
    /// (names without the leading `--`).
    pub fn from_env(flags: &[&str], options: &[&str]) -> Result<Args, ArgError> {
        Args::parse(std::env::args().skip(1), flags, options)
    }

    /// Parses `args` (without the program name).
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        flags: &[&str],
        options: &[&str],
    ) -> Result<Args, ArgError> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(name) = arg.strip_prefix("--") else {
                return Err(ArgError(format!("unexpected argument '{arg}'")));
            };
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            if flags.contains(&name) && inline.is_none() {
                parsed.flags.push(name.to_string());
            } else if options.contains(&name) {
                let value = match inline.or_else(|| args.next()) {
                    Some(v) => v,
                    None => return Err(ArgError(format!("--{name} needs a value"))),
                };
                parsed.options.insert(name.to_string(), value);
            } else {
                let known: Vec<String> = flags
                    .iter()
                    .chain(options)
                    .map(|n| format!("--{n}"))
                    .collect();
                return Err(ArgError(format!(
                    "unknown argument '--{name}' (known: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(parsed)
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// The raw value of option `name`, if given.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// Option `name` parsed as `T`, if given.
    pub fn value<T: FromStr>(&self, name: &str) -> Result<Option<T>, ArgError> {
        self.raw(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| ArgError(format!("--{name}: cannot read '{v}'")))
            })
            .transpose()
    }

    /// Option `name` as a point `x,y`, if given.
    pub fn point(&self, name: &str) -> Result<Option<[f64; 2]>, ArgError> {
        let Some(v) = self.raw(name) else {
            return Ok(None);
        };
        let bad = || ArgError(format!("--{name}: expected two numbers 'x,y', got '{v}'"));
        let parts: Vec<f64> = v
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        match parts[..] {
            [x, y] if x.is_finite() && y.is_finite() => Ok(Some([x, y])),
            _ => Err(bad()),
        }
    }

    /// Option `name` as a comma-separated list, if given.
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        self.raw(name)
            .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
    }
}

/// The figures of one example: a readable table and the same figures as JSON.
pub trait Figures {
    /// The human-readable report.
    fn table(&self) -> String;
    /// The machine-readable summary.
    fn json(&self) -> serde_json::Value;
}

/// Runs an example's body with the program's standard output. A closed
/// output — the example piped into `head`, say — ends it quietly, as for
/// any command-line tool, instead of as an error (or, with `println!`, a
/// panic).
pub fn with_stdout(
    body: impl FnOnce(&mut dyn Write) -> Result<(), Box<dyn Error>>,
) -> Result<(), Box<dyn Error>> {
    with_output(&mut std::io::stdout().lock(), body)
}

/// [`with_stdout`] on any output.
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
}

/// Prints `figures` as JSON when `--json` was given, else as a table.
pub fn emit(args: &Args, figures: &impl Figures) -> Result<(), Box<dyn Error>> {
    with_stdout(|out| {
        if args.flag("json") {
            writeln!(out, "{}", figures.json())?;
        } else {
            write!(out, "{}", figures.table())?;
        }
        Ok(())
    })
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
}
