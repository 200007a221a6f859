//! Checkpoints in the safetensors format (readable from numpy and PyTorch),
//! written atomically.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use autodiff::Tensor;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use thiserror::Error;

use crate::params::Params;

/// Metadata key holding the parameter names in order (safetensors itself
/// does not keep the order).
const ORDER_KEY: &str = "parameter_order";

/// Metadata key holding a 64-bit FNV-1a hash of the names, order, shapes
/// and values, so that a damaged file is an error rather than a silently
/// different model (safetensors itself has no checksum).
const CHECKSUM_KEY: &str = "fnv1a64";

/// FNV-1a over the parameter order, then each tensor's name, shape and bytes.
fn content_hash(params: &Params) -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(params.names().join("\n").as_bytes());
    for (name, t) in params.iter() {
        eat(name.as_bytes());
        for &d in t.shape() {
            eat(&(d as u64).to_le_bytes());
        }
        for v in t.data() {
            eat(&v.to_le_bytes());
        }
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
    /// The bytes are not a valid safetensors file (for example, truncated).
    #[error("{path}: not a valid safetensors file: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser reported.
        reason: String,
    },
    /// A tensor is stored with an element type other than f64.
    #[error("tensor {name:?} is stored as {dtype}, expected F64")]
    Dtype {
        /// The tensor.
        name: String,
        /// Its stored type.
        dtype: String,
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

/// Writes `params` to `path` as f64 little-endian safetensors. The bytes go
/// to a temporary file in the same folder, are flushed to disk, and the file
/// is renamed over `path`, so a crash leaves either the old file or the new
/// one, never a partial one.
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
pub fn save(path: impl AsRef<Path>, params: &Params) -> Result<(), CheckpointError> {
    let path = path.as_ref();
    let bytes: Vec<Vec<u8>> = params
        .tensors()
        .iter()
        .map(|t| t.data().iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = params
        .iter()
        .zip(&bytes)
        .map(|((name, t), b)| {
            TensorView::new(Dtype::F64, t.shape().to_vec(), b).map(|v| (name.to_string(), v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format_error(path, e))?;
    let order = params.names().join("\n");
    let metadata = HashMap::from([
        (ORDER_KEY.to_string(), order),
        (CHECKSUM_KEY.to_string(), content_hash(params)),
    ]);
    let buffer =
        safetensors::serialize(views, Some(metadata)).map_err(|e| format_error(path, e))?;

    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&buffer).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    written.map_err(io_error(path))
}

/// Reads every tensor of a checkpoint written by [`save`] (or any
/// safetensors file of f64 tensors), in the saved order when recorded,
/// by name otherwise.
///
/// # Errors
/// [`CheckpointError`] when the file cannot be read, is not valid
/// safetensors (truncated, corrupt, or its checksum does not match) or holds
/// a tensor that is not f64.
pub fn load(path: impl AsRef<Path>) -> Result<Params, CheckpointError> {
    let path = path.as_ref();
    let buffer = std::fs::read(path).map_err(io_error(path))?;
    decode(&buffer, path)
}

/// [`load`] from bytes already in memory (errors name the path `<memory>`).
///
/// # Errors
/// As [`load`], except for I/O.
pub fn from_bytes(bytes: &[u8]) -> Result<Params, CheckpointError> {
    decode(bytes, Path::new("<memory>"))
}

fn decode(buffer: &[u8], path: &Path) -> Result<Params, CheckpointError> {
    let file = SafeTensors::deserialize(buffer).map_err(|e| format_error(path, e))?;
    let (_, metadata) = SafeTensors::read_metadata(buffer).map_err(|e| format_error(path, e))?;
    let checksum = metadata
        .metadata()
        .as_ref()
        .and_then(|m| m.get(CHECKSUM_KEY))
        .cloned();
    let mut names: Vec<String> = file.names().into_iter().map(String::from).collect();
    names.sort();
    if let Some(order) = metadata.metadata().as_ref().and_then(|m| m.get(ORDER_KEY)) {
        let recorded: Vec<String> = order.split('\n').map(String::from).collect();
        let mut sorted = recorded.clone();
        sorted.sort();
        if sorted == names {
            names = recorded;
        }
    }
    let named = names
        .into_iter()
        .map(|name| {
            let view = file.tensor(&name).map_err(|e| format_error(path, e))?;
            if view.dtype() != Dtype::F64 {
                return Err(CheckpointError::Dtype {
                    name,
                    dtype: format!("{:?}", view.dtype()),
                });
            }
            let values: Vec<f64> = view
                .data()
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes")))
                .collect();
            let tensor =
                Tensor::from_vec(view.shape(), values).map_err(|e| format_error(path, e))?;
            Ok((name, tensor))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let params = Params::new(named);
    match checksum {
        Some(stored) if stored != content_hash(&params) => Err(format_error(
            path,
            "checksum mismatch: the file was damaged or altered after it was written",
        )),
        _ => Ok(params),
    }
}

/// Reads a checkpoint for a model whose parameters look like `like`: the
/// same names and shapes, returned in `like`'s order.
///
/// # Errors
/// Besides those of [`load`], [`CheckpointError::Missing`],
/// [`CheckpointError::Unexpected`] or [`CheckpointError::Shape`] naming the
/// first tensor that does not match.
pub fn load_into(path: impl AsRef<Path>, like: &Params) -> Result<Params, CheckpointError> {
    let loaded = load(path)?;
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
    Ok(Params::new(named))
}
