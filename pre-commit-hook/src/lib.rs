//! Git hook integration (staged-change scanning, hook install). Filled in by the git/hook work.
