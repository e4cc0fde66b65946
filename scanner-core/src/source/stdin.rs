//! Standard input as a source: `terraform state pull | keyward scan -`.

use std::io::Read;
use std::time::Instant;

use crate::finding::Origin;
use crate::report::{Report, SkipReason};
use crate::scan::Scanner;

impl Scanner {
    /// Reads `reader` to its end (up to the maximum file size) and scans it as one input.
    pub fn scan_reader(&self, reader: impl Read) -> std::io::Result<Report> {
        let start = Instant::now();
        let limit = self.options().max_file_size;
        let mut buf = Vec::new();
        reader.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
        if buf.len() as u64 > limit {
            let mut report = Report::default();
            report.summary.skip(
                "-".into(),
                SkipReason::TooLarge,
                format!("standard input exceeds --max-file-size ({limit} bytes)"),
            );
            report.summary.elapsed = start.elapsed();
            return Ok(report);
        }
        let mut report = self.scan_bytes(&super::as_text(&buf), Origin::Stdin);
        report.summary.elapsed = start.elapsed();
        Ok(report)
    }
}
