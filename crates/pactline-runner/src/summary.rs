//! The 1 MiB guard for `$GITHUB_STEP_SUMMARY`: over the limit GitHub drops the whole summary, so truncate with a note instead.

/// GitHub's limit for one step's summary file.
pub const SUMMARY_LIMIT: u64 = 1024 * 1024;

/// Bytes kept free for the truncation note.
const NOTE_RESERVE: u64 = 256;

/// What [`crate::Runner::append_summary`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryWrite {
    /// Everything was appended.
    Written,
    /// The start was appended, then a note; `dropped` bytes were left out.
    /// Later appends in this step are dropped.
    Truncated { dropped: usize },
    /// Nothing was appended: the summary was already full.
    Dropped { dropped: usize },
    /// `$GITHUB_STEP_SUMMARY` is unset (not on a runner): nothing was written.
    NoSummaryFile,
}

/// How much of `markdown` fits after `existing` bytes under `limit`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fit {
    All,
    /// Keep `markdown[..keep]` and add the note.
    Part {
        keep: usize,
    },
    Nothing,
}

pub(crate) fn fit(markdown: &str, existing: u64, limit: u64) -> Fit {
    let budget = limit.saturating_sub(existing);
    if markdown.len() as u64 <= budget {
        return Fit::All;
    }
    let Some(room) = budget.checked_sub(NOTE_RESERVE) else {
        return Fit::Nothing;
    };
    // `room` < markdown.len() here, so it fits in usize.
    let mut keep = usize::try_from(room)
        .unwrap_or(usize::MAX)
        .min(markdown.len());
    while !markdown.is_char_boundary(keep) {
        keep -= 1;
    }
    // Cut at the last line break so a table row or code fence line is not split.
    if let Some(newline) = markdown[..keep].rfind('\n') {
        keep = newline + 1;
    }
    if keep == 0 {
        Fit::Nothing
    } else {
        Fit::Part { keep }
    }
}

/// The note appended after a truncated summary; shorter than `NOTE_RESERVE`.
pub(crate) fn truncation_note(dropped: usize) -> String {
    format!(
        "\n\n> **Summary truncated:** {dropped} more bytes would exceed GitHub's 1 MiB step summary limit; see the log for the rest.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_text_fits() {
        assert_eq!(fit("hello", 0, 1024), Fit::All);
        assert_eq!(fit("hello", 1019, 1024), Fit::All);
    }

    #[test]
    fn overflow_cuts_at_a_line_break_leaving_room_for_the_note() {
        let line = "| a | b |\n";
        let text = line.repeat(100); // 1000 bytes
        let Fit::Part { keep } = fit(&text, 0, 600) else {
            panic!("expected a partial fit")
        };
        assert!(keep as u64 <= 600 - NOTE_RESERVE, "{keep}");
        assert_eq!(keep % line.len(), 0, "cut mid-line at {keep}");
    }

    #[test]
    fn overflow_never_splits_a_character() {
        let text = "é".repeat(400); // 800 bytes, no line breaks
        let Fit::Part { keep } = fit(&text, 0, 600) else {
            panic!("expected a partial fit")
        };
        assert!(text.is_char_boundary(keep));
        assert_eq!(keep, 344);
    }

    #[test]
    fn full_summary_takes_nothing() {
        assert_eq!(fit("x".repeat(300).as_str(), 900, 1024), Fit::Nothing);
        assert_eq!(fit("x", 1024, 1024), Fit::Nothing);
    }

    #[test]
    fn note_fits_its_reserve() {
        assert!((truncation_note(usize::MAX).len() as u64) < NOTE_RESERVE);
    }
}
