//! Small helpers for the step summaries: table cells and code spans that cannot break the Markdown around them.

/// Text safe inside a table cell: `|` escaped, line breaks as `<br>`.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// A code span in a table cell (`` `x` ``), or an empty cell for `None`.
pub fn code(text: Option<&str>) -> String {
    match text {
        Some(t) if !t.is_empty() => format!("`{}`", cell(&t.replace('`', "'"))),
        _ => String::new(),
    }
}

/// A Markdown table from a header and rows of already-escaped cells.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(code(Some("x`y")), "`x'y`");
        assert_eq!(code(None), "");
        assert_eq!(
            table(&["a", "b"], &[vec!["1".into(), "2".into()]]),
            "| a | b |\n|---|---|\n| 1 | 2 |\n"
        );
    }
}
