//! Verdicts as values: "no" and "unknown" are answers, not errors, and map to their own exit codes.

/// Exit codes, the interface workflows branch on.
pub mod code {
    /// Yes, or done.
    pub const OK: u8 = 0;
    /// No: not deployable, verification failed.
    pub const NO: u8 = 1;
    /// Usage or input error: a bad flag, pact file, URL, a broker 4xx about our input.
    pub const USAGE: u8 = 2;
    /// The broker (or GitHub) unreachable or failing after retries, or credentials rejected.
    pub const UNAVAILABLE: u8 = 3;
    /// Still unknown after polling.
    pub const UNKNOWN: u8 = 4;
}

/// What a binary concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Yes / done.
    Ok,
    /// No, with the reasons.
    No { reasons: Vec<String> },
    /// Not known yet (missing results), with the reasons.
    Unknown { reasons: Vec<String> },
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Ok => code::OK,
            Outcome::No { .. } => code::NO,
            Outcome::Unknown { .. } => code::UNKNOWN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_their_codes() {
        assert_eq!(Outcome::Ok.exit_code(), 0);
        assert_eq!(Outcome::No { reasons: vec![] }.exit_code(), 1);
        assert_eq!(Outcome::Unknown { reasons: vec![] }.exit_code(), 4);
    }
}
