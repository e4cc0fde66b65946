//! The progress bar for history scans: stderr, only on a terminal, never with `--no-progress`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use scanner_core::GitProgress;

pub struct Bar(ProgressBar);

impl Bar {
    /// A bar when stderr is a terminal and progress is wanted.
    pub fn new(wanted: bool) -> Option<Bar> {
        if !wanted || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} blobs {msg} [{elapsed_precise}, ETA {eta}] {per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(Bar(bar))
    }
}

impl GitProgress for Bar {
    fn start(&self, blobs: u64) {
        self.0.set_length(blobs);
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(1);
        let _ = bytes;
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
