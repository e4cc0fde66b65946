//! AWS key intelligence, verification and the incident-response flow. Filled in by the responder work.
