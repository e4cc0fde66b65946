//! `keyward`: the command-line front end. It parses arguments, wires sources to the scanner and
//! the scanner to the writers, and maps results to exit codes. No scanning logic lives here.

mod args;
mod commands;
mod exit;
mod output;

use clap::Parser;

fn main() {
    fixed_mmap_threshold();
    let args = args::Cli::parse();
    let code = match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("keyward: error: {err:#}");
            exit::ExitCode::Error
        }
    };
    std::process::exit(code as i32);
}

/// Large allocations (inflated blobs of a history scan, up to `--max-file-size`) are mapped and
/// unmapped on their own instead of coming from glibc's arenas. By default glibc raises this
/// threshold after the first large free, and the arenas then held freed blobs resident: peak RSS
/// of a 3000-commit history scan 187 MB → 167 MB (docs/benchmarks.md).
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called first thing, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}
