//! End-to-end tests of the `keyward` binary: real files in temp dirs, real processes.

mod aws;
mod aws_emulator;
mod aws_leak_shapes;
mod cli;
mod generated_values;
mod git;
mod hardening;
mod hostile;
mod non_secrets;
mod pre_commit;
mod respond;
mod sarif;
mod terraform;
mod tfstate_remote;
mod util;
