//! End-to-end tests of the `keyward` binary: real files in temp dirs, real processes.

mod aws;
mod cli;
mod git;
mod hostile;
mod pre_commit;
mod sarif;
mod util;
