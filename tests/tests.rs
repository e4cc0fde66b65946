//! End-to-end tests of the `keyward` binary: real files in temp dirs, real processes.

mod aws;
mod cli;
mod hostile;
mod sarif;
mod util;
