//! Checkpoints in the safetensors format (readable from numpy and PyTorch),
//! written atomically: f64 by default, F32 on request ([`save_f32`], which
//! states its rounding), and F32, BF16 or F16 files (PyTorch's usual types)
//! read by widening exactly ([`load_widened`]).

mod elements;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use autodiff::{Scalar, Tensor};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use thiserror::Error;

use crate::mlp::Mlp;
use crate::params::{check_names, Params, ParamsError};
pub use crate::state::{MethodState, Resumable};
use crate::train::Progress;
use elements::{bytes_of, round_to_f32, widen, Accept};

/// Metadata key holding the parameter names in order (safetensors itself
/// does not keep the order).
const ORDER_KEY: &str = "parameter_order";

/// Metadata key holding the names of the training state's tensors in order
/// (absent in a checkpoint of parameters alone).
const STATE_KEY: &str = "state_order";

/// Metadata key holding the model's architecture ([`Architecture`]).
const ARCHITECTURE_KEY: &str = "architecture";

/// Metadata key holding the training method's kind ([`Resumable::kind`]).
const METHOD_KEY: &str = "method";

/// Metadata key holding a 64-bit FNV-1a hash of the names, order, shapes
/// and values, and of the architecture and method, so that a damaged file
/// is an error rather than a silently different model (safetensors itself
/// has no checksum).
const CHECKSUM_KEY: &str = "fnv1a64";

/// What a checkpoint holds: the parameters, and for a run the training
/// state, the architecture and the method's kind.
struct Contents<'p> {
    params: std::borrow::Cow<'p, Params>,
    state: Vec<(String, Tensor)>,
    labels: Vec<(&'static str, String)>,
}

impl Contents<'_> {
    /// Parameters alone.
    fn params(params: &Params) -> Contents<'_> {
        Contents {
            params: std::borrow::Cow::Borrowed(params),
            state: Vec::new(),
            labels: Vec::new(),
        }
    }
}

/// FNV-1a over the parameter order, then each tensor's name, shape and
/// bytes (parameters, then state), then the labels (none for a checkpoint
/// of parameters alone, whose hash is then as it always was).
fn content_hash(params: &Params, state: &[(String, Tensor)], labels: &[(&str, String)]) -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(params.names().join("\n").as_bytes());
    let tensors = params
        .iter()
        .chain(state.iter().map(|(n, t)| (n.as_str(), t)));
    for (name, t) in tensors {
        eat(name.as_bytes());
        for &d in t.shape() {
            eat(&(d as u64).to_le_bytes());
        }
        for v in t.data() {
            eat(&v.to_le_bytes());
        }
    }
    for (key, value) in labels {
        eat(format!("{key}={value}").as_bytes());
    }
    format!("{hash:016x}")
}

/// Why a checkpoint could not be written or read.
#[derive(Debug, Error)]
pub enum CheckpointError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file's tensor names cannot name parameters (see [`Params::new`]).
    #[error("{path}: {source}")]
    Names {
        /// The file.
        path: PathBuf,
        /// What is wrong with the names.
        source: ParamsError,
    },
    /// A training state entry is absent in form or value (see [`MethodState`]).
    #[error("the checkpoint's state entry {name:?} {reason}")]
    State {
        /// The entry.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The checkpoint was written for another architecture.
    #[error(
        "the checkpoint was written for the architecture {:?}, not {expected:?}",
        .saved.as_deref().unwrap_or("(none: it holds parameters alone)")
    )]
    Architecture {
        /// The checkpoint's (`None` for a checkpoint of parameters alone).
        saved: Option<String>,
        /// The model's.
        expected: String,
    },
    /// The checkpoint holds the state of another kind of training method.
    #[error(
        "the checkpoint holds the state of the method {:?}, not {expected:?}",
        .saved.as_deref().unwrap_or("(none: it holds parameters alone)")
    )]
    Method {
        /// The checkpoint's (`None` for a checkpoint of parameters alone).
        saved: Option<String>,
        /// The method's.
        expected: String,
    },
    /// The bytes are not a valid safetensors file (for example, truncated).
    #[error("{path}: not a valid safetensors file: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser reported.
        reason: String,
    },
    /// A tensor is stored with an element type the load does not take:
    /// other than F64 for [`load`] (F32, BF16 and F16 are read by
    /// [`load_widened`]), other than those four for [`load_widened`].
    #[error("tensor {name:?} is stored as {dtype}, expected {expected}")]
    Dtype {
        /// The tensor.
        name: String,
        /// Its stored type.
        dtype: String,
        /// The types the load takes.
        expected: &'static str,
    },
    /// A value beyond f32's range, which [`save_f32`] would make infinite
    /// (or, in a file read into an `f32` model, a training state that
    /// holds one).
    #[error("tensor {name:?} holds {value:e} at position {index}, beyond f32's range (±{max:e})", max = f32::MAX)]
    OutOfRange {
        /// The tensor.
        name: String,
        /// The value's position in the tensor's data.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The model expects a tensor the file does not have.
    #[error("the checkpoint has no tensor {name:?}")]
    Missing {
        /// The tensor.
        name: String,
    },
    /// The file has a tensor the model does not expect.
    #[error("the checkpoint has a tensor {name:?} that the model does not have")]
    Unexpected {
        /// The tensor.
        name: String,
    },
    /// A tensor's shape differs from the model's.
    #[error("tensor {name:?} has shape {found:?} in the checkpoint but {expected:?} in the model")]
    Shape {
        /// The tensor.
        name: String,
        /// The model's shape.
        expected: Vec<usize>,
        /// The checkpoint's shape.
        found: Vec<usize>,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> CheckpointError + '_ {
    move |source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn format_error(path: &Path, reason: impl ToString) -> CheckpointError {
    CheckpointError::Format {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// The bytes of `contents` as safetensors, every tensor stored as `dtype`
/// (F64, or F32 for values already rounded to f32).
/// How parameters of precision `S` are stored, and the loads that read them
/// back: exactly that type, and every type `S` holds exactly.
fn stored_as<S: Scalar>() -> (Dtype, Accept, Accept) {
    if S::NAME == "f32" {
        (Dtype::F32, Accept::F32, Accept::Widened32)
    } else {
        (Dtype::F64, Accept::F64, Accept::Widened)
    }
}

/// The bytes of a safetensors file: the parameters stored as `dtype`, the
/// training state (kept in f64 by every method) as F64.
fn encode(contents: &Contents<'_>, dtype: Dtype, path: &Path) -> Result<Vec<u8>, CheckpointError> {
    let Contents {
        params,
        state,
        labels,
    } = contents;
    let params: &Params = params;
    let all_names = params.names().iter().chain(state.iter().map(|(n, _)| n));
    check_names(all_names.map(String::as_str)).map_err(|source| CheckpointError::Names {
        path: path.to_path_buf(),
        source,
    })?;
    let tensors: Vec<(&str, &Tensor, Dtype)> = params
        .iter()
        .map(|(n, t)| (n, t, dtype))
        .chain(state.iter().map(|(n, t)| (n.as_str(), t, Dtype::F64)))
        .collect();
    let bytes: Vec<Vec<u8>> = tensors.iter().map(|(_, t, d)| bytes_of(t, *d)).collect();
    let views = tensors
        .iter()
        .zip(&bytes)
        .map(|((name, t, d), b)| {
            TensorView::new(*d, t.shape().to_vec(), b).map(|v| (name.to_string(), v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format_error(path, e))?;
    let mut metadata = HashMap::from([
        (ORDER_KEY.to_string(), params.names().join("\n")),
        (
            CHECKSUM_KEY.to_string(),
            content_hash(params, state, labels),
        ),
    ]);
    if !state.is_empty() {
        let order: Vec<&str> = state.iter().map(|(n, _)| n.as_str()).collect();
        metadata.insert(STATE_KEY.to_string(), order.join("\n"));
    }
    for (key, value) in labels {
        metadata.insert((*key).to_string(), value.clone());
    }
    safetensors::serialize(views, Some(metadata)).map_err(|e| format_error(path, e))
}

/// Writes `buffer` to a temporary file in `path`'s folder, flushes it to
/// disk and renames it over `path`; on failure the temporary file is removed.
fn write_atomically(path: &Path, buffer: &[u8]) -> Result<(), CheckpointError> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(buffer).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    written.map_err(io_error(path))
}

/// Writes `params` to `path` as f64 little-endian safetensors. The bytes go
/// to a temporary file in the same folder, are flushed to disk, and the file
/// is renamed over `path`, so a crash leaves either the old file or the new
/// one, never a partial one. The values are stored in the parameters' own
/// precision: F64 for an `f64` model, F32 for an `f32` one (exactly; to
/// store an `f64` model as F32, which rounds, use [`save_f32`]).
///
/// ```
/// use models::{checkpoint, Activation, Mlp};
/// let mlp = Mlp::new(3).dense(2, Activation::Tanh);
/// let params = mlp.init(0);
/// let path = std::env::temp_dir().join(format!("doc-ckpt-{}.safetensors", std::process::id()));
/// checkpoint::save(&path, &params)?;
/// assert_eq!(checkpoint::load_into(&path, &params)?, params);
/// let other = Mlp::new(4).dense(2, Activation::Tanh).init(0);
/// assert!(checkpoint::load_into(&path, &other).is_err());
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// [`CheckpointError::Io`] when the folder cannot be written.
pub fn save<S: Scalar>(path: impl AsRef<Path>, params: &Params<S>) -> Result<(), CheckpointError> {
    let path = path.as_ref();
    let (dtype, _, _) = stored_as::<S>();
    let values = params.widened();
    write_atomically(path, &encode(&Contents::params(&values), dtype, path)?)
}

/// Writes `params` to `path` as F32 safetensors (half the size; what
/// PyTorch and JAX users load by default), atomically as [`save`] does.
/// Each value is rounded to the nearest f32; the return value is the
/// largest relative change `|v − round(v)| / |v|` over the nonzero finite
/// values: at most 2⁻²⁴ ≈ 6e-8 when every value lies in f32's normal range
/// (magnitudes from about 1.2e-38 to 3.4e38), more for values that round
/// into its subnormal range or to zero. NaN and ±∞ are kept. The checksum
/// covers the rounded values, and [`load_widened`] reads them back exactly.
///
/// ```
/// use models::{checkpoint, Activation, Mlp};
/// let params = Mlp::new(3).dense(2, Activation::Tanh).init(0);
/// let path = std::env::temp_dir().join(format!("doc-f32-{}.safetensors", std::process::id()));
/// let rounding = checkpoint::save_f32(&path, &params)?;
/// assert!(rounding <= f64::from(f32::EPSILON) / 2.0);
/// let loaded = checkpoint::load_into_widened(&path, &params)?;
/// for ((_, a), (_, b)) in loaded.iter().zip(params.iter()) {
///     for (x, y) in a.data().iter().zip(b.data()) {
///         assert_eq!(*x, f64::from(*y as f32));
///     }
/// }
/// // `load` reads f64 alone, and says where to go for a narrower file.
/// assert!(checkpoint::load(&path).unwrap_err().to_string().contains("load_widened"));
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// [`CheckpointError::OutOfRange`] naming the first value beyond f32's
/// range (nothing is written then); [`CheckpointError::Io`] when the folder
/// cannot be written.
pub fn save_f32(path: impl AsRef<Path>, params: &Params) -> Result<f64, CheckpointError> {
    let path = path.as_ref();
    let mut largest = 0.0_f64;
    let mut rounded = Vec::with_capacity(params.len());
    for (name, t) in params.iter() {
        let (r, change) = round_to_f32(t).map_err(|e| CheckpointError::OutOfRange {
            name: name.to_string(),
            index: e.index,
            value: e.value,
        })?;
        largest = largest.max(change);
        rounded.push((name.to_string(), r));
    }
    let rounded = Params::new(rounded).expect("the names of `params`, which are valid");
    write_atomically(
        path,
        &encode(&Contents::params(&rounded), Dtype::F32, path)?,
    )?;
    Ok(largest)
}

/// Reads every tensor of a checkpoint written by [`save`] (or any
/// safetensors file of f64 tensors), in the saved order when recorded,
/// by name otherwise. Of a checkpoint written by [`save_run`], the
/// parameters alone.
///
/// # Errors
/// [`CheckpointError`] when the file cannot be read, is not valid
/// safetensors (truncated, corrupt, or its checksum does not match) or holds
/// a tensor that is not f64 ([`CheckpointError::Dtype`]; [`load_widened`]
/// reads F32, BF16 and F16).
pub fn load(path: impl AsRef<Path>) -> Result<Params, CheckpointError> {
    Ok(read(path.as_ref(), Accept::F64)?.params.into_owned())
}

/// [`load`] for a file whose tensors may also be F32, BF16 or F16 (as
/// PyTorch writes them, or [`save_f32`]): each value is widened to f64,
/// which is exact, so the parameters are the stored values themselves.
///
/// # Errors
/// As [`load`], with [`CheckpointError::Dtype`] for a tensor of any other
/// type (integers, F8).
pub fn load_widened(path: impl AsRef<Path>) -> Result<Params, CheckpointError> {
    Ok(read(path.as_ref(), Accept::Widened)?.params.into_owned())
}

fn read(path: &Path, accept: Accept) -> Result<Contents<'static>, CheckpointError> {
    let buffer = std::fs::read(path).map_err(io_error(path))?;
    decode(&buffer, accept, path)
}

/// [`load`] from bytes already in memory (errors name the path `<memory>`).
///
/// # Errors
/// As [`load`], except for I/O.
pub fn from_bytes(bytes: &[u8]) -> Result<Params, CheckpointError> {
    Ok(decode(bytes, Accept::F64, Path::new("<memory>"))?
        .params
        .into_owned())
}

/// The names recorded under `key`, in order (none when absent).
fn recorded(metadata: Option<&HashMap<String, String>>, key: &str) -> Vec<String> {
    metadata
        .and_then(|m| m.get(key))
        .map(|list| {
            list.split('\n')
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The tensor `name` of `file`, of a type `accept` takes, as f64.
fn tensor_of(
    file: &SafeTensors,
    name: String,
    accept: Accept,
    path: &Path,
) -> Result<(String, Tensor), CheckpointError> {
    let view = file.tensor(&name).map_err(|e| format_error(path, e))?;
    let Some(values) = widen(view.dtype(), view.data(), accept) else {
        return Err(CheckpointError::Dtype {
            name,
            dtype: format!("{:?}", view.dtype()),
            expected: accept.expected(),
        });
    };
    let tensor = Tensor::from_vec(view.shape(), values).map_err(|e| format_error(path, e))?;
    Ok((name, tensor))
}

fn decode(
    buffer: &[u8],
    accept: Accept,
    path: &Path,
) -> Result<Contents<'static>, CheckpointError> {
    let file = SafeTensors::deserialize(buffer).map_err(|e| format_error(path, e))?;
    let (_, header) = SafeTensors::read_metadata(buffer).map_err(|e| format_error(path, e))?;
    let metadata = header.metadata().as_ref();
    let mut names: Vec<String> = file.names().into_iter().map(String::from).collect();
    names.sort();
    let (order, state_order) = (recorded(metadata, ORDER_KEY), recorded(metadata, STATE_KEY));
    let mut all: Vec<String> = order.iter().chain(&state_order).cloned().collect();
    all.sort();
    let (order, state_order) = if all == names {
        (order, state_order)
    } else {
        (names, Vec::new())
    };
    let named = order
        .into_iter()
        .map(|name| tensor_of(&file, name, accept, path))
        .collect::<Result<Vec<_>, _>>()?;
    let state = state_order
        .into_iter()
        .map(|name| tensor_of(&file, name, Accept::F64, path))
        .collect::<Result<Vec<_>, _>>()?;
    let params = Params::new(named).map_err(|source| CheckpointError::Names {
        path: path.to_path_buf(),
        source,
    })?;
    let labels: Vec<(&'static str, String)> = [ARCHITECTURE_KEY, METHOD_KEY]
        .into_iter()
        .filter_map(|key| metadata.and_then(|m| m.get(key)).map(|v| (key, v.clone())))
        .collect();
    match metadata.and_then(|m| m.get(CHECKSUM_KEY)) {
        Some(stored) if *stored != content_hash(&params, &state, &labels) => Err(format_error(
            path,
            "checksum mismatch: the file was damaged or altered after it was written",
        )),
        _ => Ok(Contents {
            params: std::borrow::Cow::Owned(params),
            state,
            labels,
        }),
    }
}

/// Parameters read from a file, in the model's precision `S`: exact for
/// the types a load of `S` accepts; a value beyond `S`'s range (an F64
/// training state read into an `f32` model) is refused.
fn in_precision<S: Scalar>(params: &Params) -> Result<Params<S>, CheckpointError> {
    params.cast().map_err(|e| match e {
        ParamsError::OutOfRange {
            name, index, value, ..
        } => CheckpointError::OutOfRange { name, index, value },
        other => unreachable!("a conversion refuses values out of range only: {other}"),
    })
}

/// `loaded` in the order of `like`, checking that the names and shapes agree.
fn matched(loaded: &Params, like: &Params) -> Result<Params, CheckpointError> {
    let named = like
        .iter()
        .map(|(name, expected)| {
            let found = loaded.get(name).ok_or_else(|| CheckpointError::Missing {
                name: name.to_string(),
            })?;
            if found.shape() != expected.shape() {
                return Err(CheckpointError::Shape {
                    name: name.to_string(),
                    expected: expected.shape().to_vec(),
                    found: found.shape().to_vec(),
                });
            }
            Ok((name.to_string(), found.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(name) = loaded.names().iter().find(|n| like.get(n).is_none()) {
        return Err(CheckpointError::Unexpected { name: name.clone() });
    }
    Ok(Params::new(named).expect("the names of `like`, which are valid"))
}

/// Reads a checkpoint for a model whose parameters look like `like`: the
/// same names and shapes, returned in `like`'s order, in `like`'s
/// precision. The stored type must be that precision's (F64 for `f64`, F32
/// for `f32`): a checkpoint of the other precision is refused with
/// [`CheckpointError::Dtype`] naming the explicit conversion — load it as
/// it is and [`Params::cast`] it, which states its rounding.
///
/// ```
/// use models::{checkpoint, Activation, Mlp};
/// let params = Mlp::new(3).dense(2, Activation::Tanh).init(0).cast::<f32>()?;
/// let path = std::env::temp_dir().join(format!("doc-f32-model-{}.safetensors", std::process::id()));
/// checkpoint::save(&path, &params)?; // stored as F32
/// assert_eq!(checkpoint::load_into(&path, &params)?, params);
/// // The same file is not read into an f64 model without saying so...
/// let wide = params.cast::<f64>()?;
/// assert!(checkpoint::load_into(&path, &wide).is_err());
/// // ...which widening does, exactly.
/// assert_eq!(checkpoint::load_into_widened(&path, &wide)?, wide);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Besides those of [`load`], [`CheckpointError::Missing`],
/// [`CheckpointError::Unexpected`] or [`CheckpointError::Shape`] naming the
/// first tensor that does not match.
pub fn load_into<S: Scalar>(
    path: impl AsRef<Path>,
    like: &Params<S>,
) -> Result<Params<S>, CheckpointError> {
    let (_, exact, _) = stored_as::<S>();
    load_matching(path.as_ref(), like, exact)
}

/// The parameters of `path`, read as `accept` allows, matched to `like`
/// and converted to its precision (exactly: `accept` takes only types that
/// precision holds).
fn load_matching<S: Scalar>(
    path: &Path,
    like: &Params<S>,
    accept: Accept,
) -> Result<Params<S>, CheckpointError> {
    let loaded = read(path, accept)?.params.into_owned();
    in_precision(&matched(&loaded, &like.widened())?)
}

/// [`load_into`] reading as [`load_widened`] does: F64, F32, BF16 or F16,
/// widened exactly to f64, for an `f64` model; F32, BF16 or F16 for an
/// `f32` model (every type it holds exactly).
///
/// # Errors
/// As [`load_widened`] and [`load_into`].
pub fn load_into_widened<S: Scalar>(
    path: impl AsRef<Path>,
    like: &Params<S>,
) -> Result<Params<S>, CheckpointError> {
    let (_, _, widened) = stored_as::<S>();
    load_matching(path.as_ref(), like, widened)
}

/// A model that can describe its architecture in one line, so that a run
/// checkpoint is only ever loaded into the model it was written for.
pub trait Architecture {
    /// The description (equal descriptions mean the same architecture).
    fn architecture(&self) -> String;
}

impl Architecture for Mlp {
    /// `mlp 4 -> 8 Tanh -> 3 Identity`: the inputs, then each layer's width and activation.
    fn architecture(&self) -> String {
        let layers: String = self
            .layers()
            .iter()
            .map(|l| format!(" -> {} {:?}", l.fan_out, l.activation))
            .collect();
        format!("mlp {}{layers}", self.inputs())
    }
}

/// Prefix of the training method's state in a run checkpoint.
const METHOD_PREFIX: &str = "optimizer";

/// Prefix of the trainer's progress in a run checkpoint.
const TRAINER_PREFIX: &str = "trainer";

/// The trainer's progress as state entries (the best parameters under `best/`).
fn progress_state<S: Scalar>(progress: &Progress<S>) -> MethodState {
    let mut state = MethodState::default();
    state.put_count("epochs", progress.epochs as u64);
    state.put_count("steps", progress.steps as u64);
    state.put_count("gradients", progress.gradients as u64);
    state.put_count("curvature_products", progress.curvature_products as u64);
    state.put_count("since_best", progress.since_best as u64);
    if let Some(lr) = progress.base_learning_rate {
        state.put_scalar("base_learning_rate", lr);
    }
    if let Some((loss, best)) = &progress.best {
        state.put_scalar("best_loss", *loss);
        for (name, t) in best.iter() {
            state.put(format!("best/{name}"), t.cast());
        }
    }
    state
}

/// The progress [`progress_state`] wrote, the best parameters shaped like `like`.
fn progress_from<S: Scalar>(
    state: &MethodState,
    like: &Params<S>,
) -> Result<Progress<S>, CheckpointError> {
    let best = if state.has("best_loss") {
        let named = state.nested("best").entries().to_vec();
        let best = Params::new(named).map_err(|e| CheckpointError::State {
            name: "best".to_string(),
            reason: e.to_string(),
        })?;
        Some((
            state.scalar("best_loss")?,
            in_precision(&matched(&best, &like.widened())?)?,
        ))
    } else {
        None
    };
    let base_learning_rate = if state.has("base_learning_rate") {
        Some(state.scalar("base_learning_rate")?)
    } else {
        None
    };
    Ok(Progress {
        epochs: state.index("epochs")?,
        steps: state.index("steps")?,
        gradients: state.index("gradients")?,
        curvature_products: state.index("curvature_products")?,
        base_learning_rate,
        best,
        since_best: state.index("since_best")?,
    })
}

/// Writes a run to `path` (atomically, as [`save`] does): the parameters
/// under their names, the method's state under `optimizer/<kind>/`, the
/// trainer's progress under `trainer/`, and the architecture and method in
/// the metadata, all under the checksum. [`load_run`] reads it back, and
/// [`crate::Trainer::fit_from`] goes on as if the run had not stopped.
///
/// ```
/// use models::checkpoint;
/// use models::{data, Activation, Adam, Control, Mlp, SoftmaxCrossEntropy, Supervised, Trainer};
///
/// let mlp = Mlp::new(4).dense(6, Activation::Tanh).dense(3, Activation::Identity);
/// let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data::iris())?;
/// let trainer = Trainer { epochs: 4, batch_size: 25, progress: false, ..Trainer::default() };
/// let path = std::env::temp_dir().join(format!("doc-run-{}.safetensors", std::process::id()));
///
/// // Two epochs, then the run stops and is saved.
/// let (mut params, mut adam) = (mlp.init(0), Adam::new().lr(0.01));
/// let first = Trainer { epochs: 2, ..trainer.clone() };
/// let history = first.fit(&problem, &mut params, &mut adam, None, |_| Control::Continue)?;
/// checkpoint::save_run(&path, &mlp, &params, &adam, &history.progress)?;
///
/// // Later: a fresh model and optimizer with the same settings take it up.
/// let (mut resumed, mut adam) = (mlp.init(1), Adam::new().lr(0.01));
/// let progress = checkpoint::load_run(&path, &mlp, &mut resumed, &mut adam)?;
/// trainer.fit_from(progress, &problem, &mut resumed, &mut adam, None, |_| Control::Continue)?;
///
/// // The same as four epochs in one go, bit for bit.
/// let (mut straight, mut adam) = (mlp.init(0), Adam::new().lr(0.01));
/// trainer.fit(&problem, &mut straight, &mut adam, None, |_| Control::Continue)?;
/// assert_eq!(resumed, straight);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`CheckpointError::Io`] when the folder cannot be written;
/// [`CheckpointError::Names`] when a state entry's name collides with a
/// parameter's.
pub fn save_run<S: Scalar>(
    path: impl AsRef<Path>,
    model: &impl Architecture,
    params: &Params<S>,
    method: &impl Resumable,
    progress: &Progress<S>,
) -> Result<(), CheckpointError> {
    let path = path.as_ref();
    let (dtype, _, _) = stored_as::<S>();
    let kind = method.kind();
    let mut state = MethodState::default();
    state.put_nested(&format!("{METHOD_PREFIX}/{kind}"), method.export_state());
    state.put_nested(TRAINER_PREFIX, progress_state(progress));
    let contents = Contents {
        params: std::borrow::Cow::Owned(params.widened()),
        state: state.entries().to_vec(),
        labels: vec![(ARCHITECTURE_KEY, model.architecture()), (METHOD_KEY, kind)],
    };
    write_atomically(path, &encode(&contents, dtype, path)?)
}

/// Reads a run written by [`save_run`] for `model` and `method` (built
/// with the settings of the run that was saved): replaces `params` (which
/// give the names and shapes expected) and the method's state, and returns
/// the progress to hand to [`crate::Trainer::fit_from`]. On error nothing
/// is changed.
///
/// # Errors
/// Besides those of [`load_into`], [`CheckpointError::Architecture`] when the
/// checkpoint was written for another architecture,
/// [`CheckpointError::Method`] when it holds the state of another kind of
/// method, and [`CheckpointError::Missing`] or [`CheckpointError::State`]
/// when an entry of the state is absent or malformed.
pub fn load_run<S: Scalar>(
    path: impl AsRef<Path>,
    model: &impl Architecture,
    params: &mut Params<S>,
    method: &mut impl Resumable,
) -> Result<Progress<S>, CheckpointError> {
    let (_, exact, _) = stored_as::<S>();
    let contents = read(path.as_ref(), exact)?;
    let label = |key: &str| {
        contents
            .labels
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    };
    let expected = model.architecture();
    if label(ARCHITECTURE_KEY).as_deref() != Some(expected.as_str()) {
        return Err(CheckpointError::Architecture {
            saved: label(ARCHITECTURE_KEY),
            expected,
        });
    }
    let kind = method.kind();
    if label(METHOD_KEY).as_deref() != Some(kind.as_str()) {
        return Err(CheckpointError::Method {
            saved: label(METHOD_KEY),
            expected: kind,
        });
    }
    let loaded = in_precision(&matched(&contents.params, &params.widened())?)?;
    let state = MethodState::from_entries(contents.state);
    let progress = progress_from(&state.nested(TRAINER_PREFIX), params)?;
    method.import_state(&state.nested(&format!("{METHOD_PREFIX}/{kind}")))?;
    *params = loaded;
    Ok(progress)
}
