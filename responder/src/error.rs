//! Errors of the network steps. Messages never contain a secret.

/// What went wrong talking to AWS or reading responder inputs.
#[derive(Debug, thiserror::Error)]
pub enum ResponderError {
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
    /// An AWS call failed.
    #[error("{operation} failed: {message}")]
    Aws {
        /// API operation (`s3:GetObject`).
        operation: &'static str,
        /// The SDK's error, with its code.
        message: String,
    },
    /// Bad input (an S3 URL, a backend block, a report).
    #[error("{0}")]
    Input(String),
    /// Local file I/O.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

impl ResponderError {
    pub(crate) fn aws<E: std::error::Error>(operation: &'static str, e: E) -> ResponderError {
        ResponderError::Aws {
            operation,
            message: brief(&e),
        }
    }
}

/// An SDK error for people: the chain of causes without the debug dump of the raw response
/// that the SDK's full display appends.
pub(crate) fn brief<E: std::error::Error>(e: &E) -> String {
    let full = aws_sdk_sts::error::DisplayErrorContext(e).to_string();
    match full.find(" (ServiceError(") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}
