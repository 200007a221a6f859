//! The playground's formula box: `f(x, y)` as typed by a person, parsed into
//! a tree and evaluated with the engine's operations, so its gradient and
//! Hessian are exact with no hand-written derivative.
//!
//! Grammar (usual precedence; `^` binds tighter than a unary minus and
//! groups to the right, so `-x^2 = -(x^2)` and `2^3^2 = 2^9`):
//!
//! ```text
//! sum     = product { ("+" | "-") product }
//! product = signed { ("*" | "/") signed }
//! signed  = ("-" | "+") signed | power
//! power   = atom [ ("^" | "**") signed ]
//! atom    = number | "x" | "y" | "pi" | "e" | name "(" sum ")" | "(" sum ")"
//! ```
//!
//! A power with an exponent free of `x` and `y` is the engine's `powf`; any
//! other is `exp(b · ln a)`, which is NaN for `a ≤ 0` (a solver that walks
//! there reports it).
//!
//! ```
//! use examples::playground::formula::Formula;
//! let f = Formula::parse("(1 - x)^2 + 100*(y - x^2)^2")?;
//! let err = Formula::parse("x + * y").unwrap_err();
//! assert_eq!(err.column, 5);
//! # Ok::<(), examples::playground::formula::FormulaError>(())
//! ```

use std::fmt;

use autodiff::{Tensor, Var};

/// Longest formula accepted, in characters.
pub const MAX_LEN: usize = 400;
/// Deepest nesting of parentheses and operators accepted.
pub const MAX_DEPTH: usize = 64;

/// The functions a formula may call.
pub const FUNCTIONS: [&str; 12] = [
    "sin", "cos", "tan", "exp", "log", "ln", "sqrt", "abs", "tanh", "atan", "sigmoid", "softplus",
];

/// A formula that does not parse: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaError {
    /// The 1-based column (in characters) of the offending token.
    pub column: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for FormulaError {}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Number(f64),
    X,
    Y,
    Neg(Box<Node>),
    Binary(Binary, Box<Node>, Box<Node>),
    Call(&'static str, Box<Node>),
}

impl Node {
    fn uses_xy(&self) -> bool {
        match self {
            Node::Number(_) => false,
            Node::X | Node::Y => true,
            Node::Neg(a) | Node::Call(_, a) => a.uses_xy(),
            Node::Binary(_, a, b) => a.uses_xy() || b.uses_xy(),
        }
    }

    /// The node on the tape of `x`, `y` (two vars of shape `[1]`).
    fn eval<'t>(&self, x: Var<'t>, y: Var<'t>) -> Var<'t> {
        match self {
            Node::Number(c) => x.tape().constant(Tensor::scalar(*c)),
            Node::X => x,
            Node::Y => y,
            Node::Neg(a) => -a.eval(x, y),
            Node::Binary(op, a, b) => {
                let a_var = a.eval(x, y);
                match op {
                    Binary::Add => a_var + b.eval(x, y),
                    Binary::Sub => a_var - b.eval(x, y),
                    Binary::Mul => a_var * b.eval(x, y),
                    Binary::Div => a_var / b.eval(x, y),
                    // A constant exponent is read off its own evaluation.
                    Binary::Pow if !b.uses_xy() => a_var.powf(b.eval(x, y).item()),
                    Binary::Pow => (b.eval(x, y) * a_var.ln()).exp(),
                }
            }
            Node::Call(name, a) => {
                let a = a.eval(x, y);
                match *name {
                    "sin" => a.sin(),
                    "cos" => a.cos(),
                    "tan" => a.sin() / a.cos(),
                    "exp" => a.exp(),
                    "log" | "ln" => a.ln(),
                    "sqrt" => a.sqrt(),
                    "abs" => a.abs(),
                    "tanh" => a.tanh(),
                    "atan" => a.atan(),
                    "sigmoid" => a.sigmoid(),
                    "softplus" => a.softplus(),
                    other => unreachable!("the parser admits only FUNCTIONS, not '{other}'"),
                }
            }
        }
    }
}

/// A parsed formula in `x` and `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    root: Node,
}

impl Formula {
    /// Parses `text`; the error names the column and what was expected there.
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_LEN {
            return Err(FormulaError {
                column: MAX_LEN + 1,
                message: format!("the formula is longer than {MAX_LEN} characters"),
            });
        }
        let tokens = tokenize(&chars)?;
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            depth: 0,
            end: chars.len() + 1,
        };
        let root = parser.sum()?;
        match parser.peek() {
            None => Ok(Formula { root }),
            Some((column, token)) => Err(FormulaError {
                column,
                message: format!(
                    "expected an operator or the end, found {}",
                    token.describe()
                ),
            }),
        }
    }

    /// `f(x)` for one var `x` of shape `[2]`, as a scalar var.
    pub fn eval<'t>(&self, xy: Var<'t>) -> Var<'t> {
        let (x, y) = (xy.slice(0, 0, 1), xy.slice(0, 1, 2));
        // `+ 0·x` keeps a formula free of x and y on the tape of x.
        (self.root.eval(x, y) + x * 0.0).sum()
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64),
    Name(String),
    Op(char),
    Power,
    Open,
    Close,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Number(v) => format!("the number {v}"),
            Token::Name(n) => format!("'{n}'"),
            Token::Op(c) => format!("'{c}'"),
            Token::Power => "'^'".to_string(),
            Token::Open => "'('".to_string(),
            Token::Close => "')'".to_string(),
        }
    }
}

/// The tokens with their 1-based columns.
fn tokenize(chars: &[char]) -> Result<Vec<(usize, Token)>, FormulaError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // An exponent: e or E, an optional sign, then a digit.
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let sign = usize::from(matches!(chars.get(i + 1), Some('+' | '-')));
                if chars.get(i + 1 + sign).is_some_and(char::is_ascii_digit) {
                    i += 1 + sign;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let value = text.parse::<f64>().map_err(|_| FormulaError {
                column,
                message: format!("'{text}' is not a number"),
            })?;
            tokens.push((column, Token::Number(value)));
            continue;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push((column, Token::Name(chars[start..i].iter().collect())));
            continue;
        }
        let token = match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                Token::Power
            }
            '^' => Token::Power,
            '+' | '-' | '*' | '/' => Token::Op(c),
            '(' => Token::Open,
            ')' => Token::Close,
            _ => {
                return Err(FormulaError {
                    column,
                    message: format!("unexpected character '{c}'"),
                })
            }
        };
        tokens.push((column, token));
        i += 1;
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    at: usize,
    depth: usize,
    /// The column just past the text, for errors at the end.
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.at).map(|(c, t)| (*c, t))
    }

    fn error(&self, message: impl Into<String>) -> FormulaError {
        FormulaError {
            column: self.peek().map_or(self.end, |(c, _)| c),
            message: message.into(),
        }
    }

    fn deeper(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested more than {MAX_DEPTH} deep")));
        }
        Ok(())
    }

    fn sum(&mut self) -> Result<Node, FormulaError> {
        self.deeper()?;
        let mut node = self.product()?;
        while let Some((_, Token::Op(c @ ('+' | '-')))) = self.peek() {
            let op = if *c == '+' { Binary::Add } else { Binary::Sub };
            self.at += 1;
            node = Node::Binary(op, Box::new(node), Box::new(self.product()?));
        }
        self.depth -= 1;
        Ok(node)
    }

    fn product(&mut self) -> Result<Node, FormulaError> {
        let mut node = self.signed()?;
        while let Some((_, Token::Op(c @ ('*' | '/')))) = self.peek() {
            let op = if *c == '*' { Binary::Mul } else { Binary::Div };
            self.at += 1;
            node = Node::Binary(op, Box::new(node), Box::new(self.signed()?));
        }
        Ok(node)
    }

    fn signed(&mut self) -> Result<Node, FormulaError> {
        match self.peek() {
            Some((_, Token::Op(c @ ('-' | '+')))) => {
                let negate = *c == '-';
                self.at += 1;
                self.deeper()?;
                let inner = self.signed()?;
                self.depth -= 1;
                Ok(if negate {
                    Node::Neg(Box::new(inner))
                } else {
                    inner
                })
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Node, FormulaError> {
        let base = self.atom()?;
        if let Some((_, Token::Power)) = self.peek() {
            self.at += 1;
            self.deeper()?;
            let exponent = self.signed()?;
            self.depth -= 1;
            return Ok(Node::Binary(
                Binary::Pow,
                Box::new(base),
                Box::new(exponent),
            ));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Node, FormulaError> {
        let Some((_, token)) = self.peek() else {
            return Err(self.error("the formula ends where a number, x, y or '(' was expected"));
        };
        let node = match token {
            Token::Number(v) => Node::Number(*v),
            Token::Name(name) => match name.as_str() {
                "x" => Node::X,
                "y" => Node::Y,
                "pi" => Node::Number(std::f64::consts::PI),
                "e" => Node::Number(std::f64::consts::E),
                _ => return self.call(),
            },
            Token::Open => {
                self.at += 1;
                let inner = self.sum()?;
                self.close()?;
                return Ok(inner);
            }
            other => {
                return Err(self.error(format!(
                    "expected a number, x, y, a function or '(', found {}",
                    other.describe()
                )))
            }
        };
        self.at += 1;
        Ok(node)
    }

    fn call(&mut self) -> Result<Node, FormulaError> {
        let Some((_, Token::Name(name))) = self.peek() else {
            unreachable!("call is entered on a name");
        };
        let Some(&function) = FUNCTIONS.iter().find(|&&f| f == name) else {
            return Err(self.error(format!(
                "unknown name '{name}' (known: x, y, pi, e, {})",
                FUNCTIONS.join(", ")
            )));
        };
        self.at += 1;
        if !matches!(self.peek(), Some((_, Token::Open))) {
            return Err(self.error(format!("expected '(' after {function}")));
        }
        self.at += 1;
        let argument = self.sum()?;
        self.close()?;
        Ok(Node::Call(function, Box::new(argument)))
    }

    fn close(&mut self) -> Result<(), FormulaError> {
        match self.peek() {
            Some((_, Token::Close)) => {
                self.at += 1;
                Ok(())
            }
            Some((_, other)) => {
                let found = other.describe();
                Err(self.error(format!("expected ')', found {found}")))
            }
            None => Err(self.error("missing ')'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use optim::objective::{AutodiffObjective, Objective};

    fn objective(text: &str) -> AutodiffObjective<impl for<'t> Fn(Var<'t>) -> Var<'t>> {
        let f = Formula::parse(text).expect("parses");
        AutodiffObjective::new(2, move |x| f.eval(x))
    }

    #[test]
    fn values_follow_the_usual_precedence() {
        let at = |text: &str, x: f64, y: f64| objective(text).value(&[x, y]);
        assert_eq!(at("1 + 2 * 3", 0.0, 0.0), 7.0);
        assert_eq!(at("-x^2", 3.0, 0.0), -9.0);
        assert_eq!(at("2^3^2", 0.0, 0.0), 512.0);
        assert_eq!(at("x ** 2 / y", 3.0, 2.0), 4.5);
        assert_eq!(at("2e-1 * x - -y", 10.0, 1.0), 3.0);
        assert_eq!(at("(x - y) * (x + y)", 5.0, 3.0), 16.0);
        assert_eq!(at("2^-1", 0.0, 0.0), 0.5);
        assert_eq!(at("e", 0.0, 0.0), std::f64::consts::E);
    }

    #[test]
    fn derivatives_are_exact_against_closed_forms() {
        // f = sin(x)·y³ + exp(x·y): gradient and Hessian by hand.
        let f = objective("sin(x) * y^3 + exp(x*y)");
        let (x, y): (f64, f64) = (0.7, -0.4);
        let e = (x * y).exp();
        let g = f.grad(&[x, y]);
        assert!((g[0] - (x.cos() * y.powi(3) + y * e)).abs() < 1e-14);
        assert!((g[1] - (3.0 * x.sin() * y * y + x * e)).abs() < 1e-14);
        let h = f.hessian(&[x, y]);
        let hxy = 3.0 * x.cos() * y * y + e + x * y * e;
        assert!((h.get(0, 0) - (-x.sin() * y.powi(3) + y * y * e)).abs() < 1e-14);
        assert!((h.get(0, 1) - hxy).abs() < 1e-14 && (h.get(1, 0) - hxy).abs() < 1e-14);
        assert!((h.get(1, 1) - (6.0 * x.sin() * y + x * x * e)).abs() < 1e-14);
        // A variable exponent: d/dx x^y = y x^(y−1).
        let g = objective("x^y").grad(&[2.0, 3.0]);
        assert!((g[0] - 12.0).abs() < 1e-12 && (g[1] - 8.0 * 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn errors_name_the_column() {
        let err = |text: &str| Formula::parse(text).unwrap_err();
        assert_eq!(err("x + * y").column, 5);
        assert_eq!(err("2x").column, 2);
        assert_eq!(err("(x + y").column, 7);
        assert!(err("(x + y").message.contains("missing ')'"));
        assert_eq!(err("x + foo(y)").column, 5);
        assert!(err("x + foo(y)").message.contains("unknown name 'foo'"));
        assert_eq!(err("sin x").column, 5);
        assert_eq!(err("x $ y").column, 3);
        assert_eq!(err("").column, 1);
        assert_eq!(err("x + ").column, 5);
        assert_eq!(err("1.2.3").column, 1);
        assert!(err(&"(".repeat(100)).message.contains("nested"));
        assert!(err(&"x+".repeat(MAX_LEN)).message.contains("longer"));
    }
}
