//! Workflow commands (`::error file=…::msg`) with the exact escaping of `@actions/core`, and their plain-text twins.

use std::fmt;

/// Escape a command's message (data): `%` → `%25`, `\r` → `%0D`, `\n` → `%0A`.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escape a command property value: as [`escape_data`], plus `:` → `%3A` and `,` → `%2C`.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// `::name k=v,k=v::message`, or `::name::message` without properties.
pub fn format_command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let mut out = format!("::{name}");
    for (i, (key, value)) in properties.iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ',' });
        out.push_str(key);
        out.push('=');
        out.push_str(&escape_property(value));
    }
    out.push_str("::");
    out.push_str(&escape_data(message));
    out
}

/// Severity of an [`Annotation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        })
    }
}

/// A message shown in the log and, on GitHub, on the run's summary page and the
/// file it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub level: Level,
    pub message: String,
    pub title: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub end_line: Option<u32>,
    /// Only meaningful when the annotation spans one line.
    pub col: Option<u32>,
    pub end_column: Option<u32>,
}

impl Annotation {
    pub fn new(level: Level, message: impl Into<String>) -> Self {
        Annotation {
            level,
            message: message.into(),
            title: None,
            file: None,
            line: None,
            end_line: None,
            col: None,
            end_column: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Annotation::new(Level::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Annotation::new(Level::Warning, message)
    }

    pub fn notice(message: impl Into<String>) -> Self {
        Annotation::new(Level::Notice, message)
    }

    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    #[must_use]
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    #[must_use]
    pub fn line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    #[must_use]
    pub fn end_line(mut self, end_line: u32) -> Self {
        self.end_line = Some(end_line);
        self
    }

    #[must_use]
    pub fn col(mut self, col: u32) -> Self {
        self.col = Some(col);
        self
    }

    #[must_use]
    pub fn end_column(mut self, end_column: u32) -> Self {
        self.end_column = Some(end_column);
        self
    }

    /// The workflow command, properties in the order GitHub documents them:
    /// `file, line, endLine, col, endColumn, title`.
    pub fn to_command(&self) -> String {
        let mut props: Vec<(&str, String)> = Vec::new();
        if let Some(file) = &self.file {
            props.push(("file", file.clone()));
        }
        let numbers = [
            ("line", self.line),
            ("endLine", self.end_line),
            ("col", self.col),
            ("endColumn", self.end_column),
        ];
        for (key, value) in numbers {
            if let Some(n) = value {
                props.push((key, n.to_string()));
            }
        }
        if let Some(title) = &self.title {
            props.push(("title", title.clone()));
        }
        format_command(&self.level.to_string(), &props, &self.message)
    }

    /// Plain text for logs off GitHub: `error: file:line:col: title: message`.
    pub fn to_plain(&self) -> String {
        let mut out = format!("{}: ", self.level);
        if let Some(file) = &self.file {
            out.push_str(file);
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(col) = self.col {
                    out.push_str(&format!(":{col}"));
                }
            }
            out.push_str(": ");
        }
        if let Some(title) = &self.title {
            out.push_str(title);
            out.push_str(": ");
        }
        out.push_str(&self.message);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_cr_and_lf_only() {
        let rows = [
            ("100%", "100%25"),
            ("a\rb", "a%0Db"),
            ("a\nb", "a%0Ab"),
            ("a\r\nb", "a%0D%0Ab"),
            ("%0A", "%250A"),
            ("key: a, b", "key: a, b"),
            ("", ""),
            ("ünïcødé ✓", "ünïcødé ✓"),
        ];
        for (input, want) in rows {
            assert_eq!(escape_data(input), want, "{input:?}");
        }
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        let rows = [
            ("src/a.rs", "src/a.rs"),
            ("C:\\a,b.json", "C%3A\\a%2Cb.json"),
            ("50%: done,\nnext", "50%25%3A done%2C%0Anext"),
            ("a\r", "a%0D"),
        ];
        for (input, want) in rows {
            assert_eq!(escape_property(input), want, "{input:?}");
        }
    }

    #[test]
    fn command_without_properties_has_no_space() {
        assert_eq!(format_command("error", &[], "boom"), "::error::boom");
        assert_eq!(format_command("endgroup", &[], ""), "::endgroup::");
    }

    #[test]
    fn annotation_with_every_property() {
        let a = Annotation::error("Pact verification failed:\n2 interactions")
            .file("pacts/web-app-orders-api.json")
            .line(12)
            .end_line(12)
            .col(3)
            .end_column(9)
            .title("orders-api: GET /orders, 200");
        assert_eq!(
            a.to_command(),
            "::error file=pacts/web-app-orders-api.json,line=12,endLine=12,col=3,endColumn=9,\
             title=orders-api%3A GET /orders%2C 200::Pact verification failed:%0A2 interactions"
        );
    }

    #[test]
    fn annotation_levels() {
        assert_eq!(Annotation::warning("w").to_command(), "::warning::w");
        assert_eq!(Annotation::notice("n").to_command(), "::notice::n");
        assert_eq!(
            Annotation::error("e").title("T").to_command(),
            "::error title=T::e"
        );
    }

    #[test]
    fn plain_annotation_reads_like_a_compiler_message() {
        let rows = [
            (Annotation::error("boom"), "error: boom"),
            (
                Annotation::warning("stale")
                    .file("pacts/a.json")
                    .line(3)
                    .col(7),
                "warning: pacts/a.json:3:7: stale",
            ),
            (
                Annotation::notice("yes").title("can-i-deploy"),
                "notice: can-i-deploy: yes",
            ),
            (
                Annotation::error("x").file("a.json").title("T"),
                "error: a.json: T: x",
            ),
        ];
        for (annotation, want) in rows {
            assert_eq!(annotation.to_plain(), want);
        }
    }
}
