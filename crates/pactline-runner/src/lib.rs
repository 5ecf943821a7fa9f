//! GitHub runner I/O: inputs, outputs, GITHUB_ENV, step summary, annotations, groups, masks; plain text off GitHub; the one place that prints.
//!
//! A [`Runner`] is built from an environment map and two writers, so tests
//! capture everything it prints (see [`Captured`]). Its two modes:
//!
//! | | on GitHub (`GITHUB_ACTIONS=true`) | off GitHub |
//! |---|---|---|
//! | info | stdout | stderr |
//! | print (a report: tables, verdicts) | stdout | stdout |
//! | debug | `::debug::msg` | `debug: msg` on stderr, only with `RUNNER_DEBUG=1` |
//! | annotations | `::error file=…,line=…,title=…::msg` | `error: file:line:col: title: msg` on stderr |
//! | groups | `::group::title` … `::endgroup::` | `== title ==` on stderr |
//! | masks | `::add-mask::value` per line | nothing printed |
//!
//! In both modes every printed message, and the step summary, has masked values
//! replaced by `***`.
//!
//! Environment files are used whenever their variable names one, in either mode
//! (act, Gitea and tests set them too); never another file:
//!
//! | | variable set | variable unset |
//! |---|---|---|
//! | [`Runner::set_output`] | heredoc entry appended to `$GITHUB_OUTPUT` | `name: value` on stdout (multi-line values as an indented `name: \|` block) |
//! | [`Runner::export_var`] | heredoc entry appended to `$GITHUB_ENV` | a debug line only |
//! | [`Runner::add_path`] | line appended to `$GITHUB_PATH` | a debug line only |
//! | [`Runner::append_summary`] | appended to `$GITHUB_STEP_SUMMARY`, 1 MiB guard | nothing ([`SummaryWrite::NoSummaryFile`]) |
//!
//! So off GitHub stdout carries only outputs and reports ([`Runner::print`]), and messages go to stderr.
//! Printing never fails: a closed stdout or stderr is ignored.

mod capture;
mod command;
pub mod env_vars;
mod error;
mod file_command;
mod summary;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use capture::Captured;
pub use command::{escape_data, escape_property, format_command, Annotation, Level};
pub use error::Error;
pub use summary::{SummaryWrite, SUMMARY_LIMIT};

use file_command::{append, heredoc_entry, new_delimiter, EOL};

/// Replacement for masked values in printed text.
const MASKED: &str = "***";

/// GitHub runner I/O for one step.
pub struct Runner {
    env: HashMap<String, String>,
    stdout: Box<dyn Write + Send>,
    stderr: Box<dyn Write + Send>,
    /// Masked values, longest first.
    masks: Vec<String>,
    /// Set once the summary was truncated or found full: later appends are dropped.
    summary_closed: bool,
}

impl Runner {
    /// A runner over `env` printing to the given writers.
    pub fn new(
        env: HashMap<String, String>,
        stdout: Box<dyn Write + Send>,
        stderr: Box<dyn Write + Send>,
    ) -> Self {
        Runner {
            env,
            stdout,
            stderr,
            masks: Vec::new(),
            summary_closed: false,
        }
    }

    /// A runner over a snapshot of the process environment, printing to the
    /// process' stdout and stderr. Call once, in `main`.
    pub fn from_process() -> Self {
        let env = std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect();
        Runner::new(
            env,
            Box::new(std::io::stdout()),
            Box::new(std::io::stderr()),
        )
    }

    /// A runner over `env` whose stdout and stderr are captured, for tests.
    pub fn captured(env: HashMap<String, String>) -> (Self, Captured, Captured) {
        let (stdout, stderr) = (Captured::new(), Captured::new());
        let runner = Runner::new(env, stdout.writer(), stderr.writer());
        (runner, stdout, stderr)
    }

    /// True on a GitHub Actions runner (`GITHUB_ACTIONS=true`).
    pub fn is_github_actions(&self) -> bool {
        self.env.get(env_vars::GITHUB_ACTIONS).map(String::as_str) == Some("true")
    }

    /// True when the run has debug logging on (`RUNNER_DEBUG=1`).
    pub fn is_debug(&self) -> bool {
        self.env.get(env_vars::RUNNER_DEBUG).map(String::as_str) == Some("1")
    }

    // ----- inputs -----------------------------------------------------------

    /// The variable an input is read from: `INPUT_` + the name upper-cased with
    /// spaces as `_` (hyphens are kept: `broker-url` → `INPUT_BROKER-URL`).
    pub fn input_var(name: &str) -> String {
        format!(
            "{}{}",
            env_vars::INPUT_PREFIX,
            name.replace(' ', "_").to_uppercase()
        )
    }

    /// An input, trimmed; `None` when unset or blank (GitHub passes unset
    /// optional inputs as empty strings).
    pub fn input(&self, name: &str) -> Option<String> {
        self.env
            .get(&Runner::input_var(name))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// An input that must be set.
    ///
    /// # Errors
    ///
    /// [`Error::MissingInput`] when unset or blank.
    pub fn required_input(&self, name: &str) -> Result<String, Error> {
        self.input(name).ok_or_else(|| Error::MissingInput {
            name: name.to_owned(),
            var: Runner::input_var(name),
        })
    }

    /// A boolean input (YAML 1.2 core: `true | True | TRUE | false | False | FALSE`);
    /// `None` when unset or blank.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBoolean`] for any other value.
    pub fn bool_input(&self, name: &str) -> Result<Option<bool>, Error> {
        match self.input(name).as_deref() {
            None => Ok(None),
            Some("true" | "True" | "TRUE") => Ok(Some(true)),
            Some("false" | "False" | "FALSE") => Ok(Some(false)),
            Some(other) => Err(Error::InvalidBoolean {
                name: name.to_owned(),
                value: other.to_owned(),
            }),
        }
    }

    // ----- printing ---------------------------------------------------------

    /// A log line (stdout on GitHub, stderr off it).
    pub fn info(&mut self, message: &str) {
        let message = self.redact(message).into_owned();
        self.log(&message);
    }

    /// A report for the user (a table, a verdict, URLs): stdout in both modes, so it can be
    /// piped or captured; masked values redacted. Lines that look like workflow commands
    /// (`::`) are indented so the runner does not act on them.
    pub fn print(&mut self, text: &str) {
        let text = self.redact(text).into_owned();
        for line in text.lines() {
            if line.trim_start().starts_with("::") {
                self.write_stdout(&format!(" {line}"));
            } else {
                self.write_stdout(line);
            }
        }
    }

    /// A debug line: always sent on GitHub (it shows it only with debug logging
    /// on); printed off GitHub only with `RUNNER_DEBUG=1`.
    pub fn debug(&mut self, message: &str) {
        let message = self.redact(message).into_owned();
        if self.is_github_actions() {
            let line = format_command("debug", &[], &message);
            self.write_stdout(&line);
        } else if self.is_debug() {
            self.write_stderr(&format!("debug: {message}"));
        }
    }

    /// An error annotation without a location.
    pub fn error(&mut self, message: &str) {
        self.annotate(&Annotation::error(message));
    }

    /// A warning annotation without a location.
    pub fn warning(&mut self, message: &str) {
        self.annotate(&Annotation::warning(message));
    }

    /// A notice annotation without a location.
    pub fn notice(&mut self, message: &str) {
        self.annotate(&Annotation::notice(message));
    }

    /// An annotation: a workflow command on GitHub, a `level: …` line on stderr off it.
    pub fn annotate(&mut self, annotation: &Annotation) {
        let mut annotation = annotation.clone();
        annotation.message = self.redact(&annotation.message).into_owned();
        if let Some(title) = &annotation.title {
            annotation.title = Some(self.redact(title).into_owned());
        }
        if self.is_github_actions() {
            self.write_stdout(&annotation.to_command());
        } else {
            self.write_stderr(&annotation.to_plain());
        }
    }

    /// Open a collapsible group (GitHub does not nest them).
    pub fn start_group(&mut self, title: &str) {
        let title = self.redact(title).into_owned();
        if self.is_github_actions() {
            self.write_stdout(&format_command("group", &[], &title));
        } else {
            self.write_stderr(&format!("== {title} =="));
        }
    }

    /// Close the group opened by [`Runner::start_group`].
    pub fn end_group(&mut self) {
        if self.is_github_actions() {
            self.write_stdout(&format_command("endgroup", &[], ""));
        }
    }

    /// Run `f` inside a group that is closed whatever `f` returns.
    pub fn group<T>(&mut self, title: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.start_group(title);
        let result = f(self);
        self.end_group();
        result
    }

    /// Mask a secret: each non-blank line is registered with the runner
    /// (`::add-mask::`, on GitHub) and replaced by `***` in everything this
    /// runner prints from now on. Call before the value could be printed.
    pub fn mask(&mut self, secret: &str) {
        for line in secret.lines() {
            if line.trim().is_empty() {
                continue;
            }
            if self.is_github_actions() {
                let command = format_command("add-mask", &[], line);
                self.write_stdout(&command);
            }
            if !self.masks.iter().any(|m| m == line) {
                self.masks.push(line.to_owned());
                self.masks.sort_by_key(|m| std::cmp::Reverse(m.len()));
            }
        }
    }

    /// `text` with every masked value replaced by `***`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for mask in &self.masks {
            if out.contains(mask.as_str()) {
                out = Cow::Owned(out.replace(mask.as_str(), MASKED));
            }
        }
        out
    }

    // ----- environment files ------------------------------------------------

    /// Set a step output.
    ///
    /// Appends a heredoc entry to `$GITHUB_OUTPUT` when set; otherwise prints
    /// `name: value` on stdout. Warns when the value holds a masked secret, which
    /// GitHub refuses to pass on to other jobs.
    ///
    /// # Errors
    ///
    /// An invalid name, or a file that cannot be appended to.
    pub fn set_output(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let Some(path) = self.file_var(env_vars::GITHUB_OUTPUT) else {
            let text = self.redact(&plain_output(name, value)).into_owned();
            self.write_stdout(&text);
            return Ok(());
        };
        let entry = heredoc_entry("output", name, value, &new_delimiter())?;
        append(env_vars::GITHUB_OUTPUT, &path, &entry)?;
        if self.redact(value) != value {
            self.warning(&format!(
                "output `{name}` contains a masked value; GitHub will not pass it to other jobs"
            ));
        }
        Ok(())
    }

    /// Set an environment variable for the job's later steps (`$GITHUB_ENV`).
    /// The current process' environment is not changed.
    ///
    /// # Errors
    ///
    /// An invalid name, or a file that cannot be appended to.
    pub fn export_var(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let Some(path) = self.file_var(env_vars::GITHUB_ENV) else {
            self.debug(&format!(
                "not exporting `{name}`: ${} is not set",
                env_vars::GITHUB_ENV
            ));
            return Ok(());
        };
        let entry = heredoc_entry("environment variable", name, value, &new_delimiter())?;
        append(env_vars::GITHUB_ENV, &path, &entry)
    }

    /// Prepend a directory to `PATH` for the job's later steps (`$GITHUB_PATH`).
    ///
    /// # Errors
    ///
    /// A file that cannot be appended to.
    pub fn add_path(&mut self, dir: &Path) -> Result<(), Error> {
        let Some(path) = self.file_var(env_vars::GITHUB_PATH) else {
            self.debug(&format!(
                "not adding `{}` to PATH: ${} is not set",
                dir.display(),
                env_vars::GITHUB_PATH
            ));
            return Ok(());
        };
        append(
            env_vars::GITHUB_PATH,
            &path,
            &format!("{}{EOL}", dir.display()),
        )
    }

    /// Append Markdown to the step summary (`$GITHUB_STEP_SUMMARY`), masked values redacted.
    ///
    /// GitHub rejects a summary over 1 MiB whole, so text that would pass the
    /// limit is cut at a line break and followed by a note (and a warning in the
    /// log); later appends in the step are then dropped.
    ///
    /// # Errors
    ///
    /// A file that cannot be appended to.
    pub fn append_summary(&mut self, markdown: &str) -> Result<SummaryWrite, Error> {
        let Some(path) = self.file_var(env_vars::GITHUB_STEP_SUMMARY) else {
            return Ok(SummaryWrite::NoSummaryFile);
        };
        let markdown = self.redact(markdown).into_owned();
        if self.summary_closed {
            return Ok(SummaryWrite::Dropped {
                dropped: markdown.len(),
            });
        }
        let existing = std::fs::metadata(&path).map_or(0, |m| m.len());
        match summary::fit(&markdown, existing, SUMMARY_LIMIT) {
            summary::Fit::All => {
                append(env_vars::GITHUB_STEP_SUMMARY, &path, &markdown)?;
                Ok(SummaryWrite::Written)
            }
            summary::Fit::Part { keep } => {
                let dropped = markdown.len() - keep;
                let text = format!("{}{}", &markdown[..keep], summary::truncation_note(dropped));
                append(env_vars::GITHUB_STEP_SUMMARY, &path, &text)?;
                self.summary_closed = true;
                self.warning(&format!(
                    "step summary truncated: {dropped} bytes left out to stay under GitHub's 1 MiB limit"
                ));
                Ok(SummaryWrite::Truncated { dropped })
            }
            summary::Fit::Nothing => {
                self.summary_closed = true;
                self.warning(&format!(
                    "step summary full: {} bytes left out to stay under GitHub's 1 MiB limit",
                    markdown.len()
                ));
                Ok(SummaryWrite::Dropped {
                    dropped: markdown.len(),
                })
            }
        }
    }

    // ----- internals --------------------------------------------------------

    /// The path an environment-file variable names, if set and not blank.
    fn file_var(&self, var: &str) -> Option<PathBuf> {
        self.env
            .get(var)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }

    /// A log line: stdout on GitHub, stderr off it.
    fn log(&mut self, line: &str) {
        if self.is_github_actions() {
            self.write_stdout(line);
        } else {
            self.write_stderr(line);
        }
    }

    fn write_stdout(&mut self, line: &str) {
        // Printing is best effort: nobody is left to tell about a closed stdout.
        let _ = writeln!(self.stdout, "{line}");
        let _ = self.stdout.flush();
    }

    fn write_stderr(&mut self, line: &str) {
        let _ = writeln!(self.stderr, "{line}");
        let _ = self.stderr.flush();
    }
}

/// `name: value`, or for a multi-line value `name: |` and the lines indented by two.
fn plain_output(name: &str, value: &str) -> String {
    if !value.contains('\n') {
        return format!("{name}: {value}");
    }
    let mut out = format!("{name}: |");
    for line in value.lines() {
        out.push_str("\n  ");
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn on_github(extra: &[(&str, &str)]) -> (Runner, Captured, Captured) {
        let mut pairs = vec![("GITHUB_ACTIONS", "true")];
        pairs.extend_from_slice(extra);
        Runner::captured(env(&pairs))
    }

    fn off_github(extra: &[(&str, &str)]) -> (Runner, Captured, Captured) {
        Runner::captured(env(extra))
    }

    /// Parse heredoc entries back, as the runner does: `(name, value)` pairs.
    fn parse_heredocs(text: &str) -> Vec<(String, String)> {
        let mut entries = Vec::new();
        let mut lines = text.split(EOL);
        while let Some(header) = lines.next() {
            if header.is_empty() {
                continue;
            }
            let (name, delimiter) = header.split_once("<<").expect("heredoc header");
            let mut value = Vec::new();
            for line in lines.by_ref() {
                if line == delimiter {
                    break;
                }
                value.push(line);
            }
            entries.push((name.to_owned(), value.join(EOL)));
        }
        entries
    }

    // ----- print -----

    #[test]
    fn print_goes_to_stdout_in_both_modes_redacted_and_defused() {
        for (mut runner, out, err) in [on_github(&[]), off_github(&[])] {
            runner.mask("s3cret");
            runner.print("table s3cret\n::error::not a command");
            let printed = out.contents();
            assert!(printed.contains("table ***\n"), "{printed}");
            assert!(printed.contains("\n ::error::not a command\n"), "{printed}");
            assert!(!err.contents().contains("table"));
        }
    }

    // ----- inputs -----

    #[test]
    fn input_names_are_uppercased_with_spaces_as_underscores_and_hyphens_kept() {
        let rows = [
            ("broker-url", "INPUT_BROKER-URL"),
            ("pact files", "INPUT_PACT_FILES"),
            ("dry_run", "INPUT_DRY_RUN"),
        ];
        for (name, var) in rows {
            assert_eq!(Runner::input_var(name), var);
        }
    }

    #[test]
    fn inputs_are_trimmed_and_blank_means_unset() {
        let (runner, _, _) = off_github(&[
            ("INPUT_BROKER-URL", "  https://broker.example.com \n"),
            ("INPUT_VERSION", "   "),
        ]);
        assert_eq!(
            runner.input("broker-url").as_deref(),
            Some("https://broker.example.com")
        );
        assert_eq!(runner.input("version"), None);
        assert_eq!(runner.input("missing"), None);
    }

    #[test]
    fn required_input_names_the_input_and_its_variable() {
        let (runner, _, _) = off_github(&[]);
        let err = runner.required_input("broker-url").unwrap_err();
        assert!(err.is_input());
        assert_eq!(
            err.to_string(),
            "input `broker-url` is required: set it with `with: broker-url: …` (read from $INPUT_BROKER-URL)"
        );
    }

    #[test]
    fn boolean_inputs_follow_yaml_core_schema() {
        let rows: [(&str, Option<bool>); 7] = [
            ("true", Some(true)),
            ("True", Some(true)),
            ("TRUE", Some(true)),
            ("false", Some(false)),
            ("False", Some(false)),
            ("FALSE", Some(false)),
            ("", None),
        ];
        for (value, want) in rows {
            let (runner, _, _) = off_github(&[("INPUT_DRY-RUN", value)]);
            assert_eq!(runner.bool_input("dry-run").unwrap(), want, "{value:?}");
        }
        for bad in ["yes", "1", "tRUE", "on"] {
            let (runner, _, _) = off_github(&[("INPUT_DRY-RUN", bad)]);
            let err = runner.bool_input("dry-run").unwrap_err();
            assert!(
                matches!(err, Error::InvalidBoolean { .. }),
                "{bad}: {err:?}"
            );
        }
    }

    // ----- outputs and environment files -----

    #[test]
    fn output_is_a_heredoc_entry_with_a_random_delimiter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        let path_str = path.display().to_string();
        let (mut runner, stdout, _) = on_github(&[("GITHUB_OUTPUT", &path_str)]);
        runner.set_output("deployable", "true").unwrap();
        runner
            .set_output("reason", "no verification results\nfor orders-api")
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.split(EOL).collect();
        let (name, delimiter) = lines[0].split_once("<<").unwrap();
        assert_eq!(name, "deployable");
        assert!(delimiter.starts_with("ghadelimiter_"), "{delimiter}");
        assert_eq!(lines[1], "true");
        assert_eq!(lines[2], delimiter);
        let second_delimiter = lines[3].split_once("<<").unwrap().1;
        assert_ne!(delimiter, second_delimiter, "delimiters must not repeat");
        assert_eq!(
            parse_heredocs(&text),
            [
                ("deployable".to_owned(), "true".to_owned()),
                (
                    "reason".to_owned(),
                    "no verification results\nfor orders-api".to_owned()
                ),
            ]
        );
        assert_eq!(stdout.contents(), "", "outputs are not printed on GitHub");
    }

    #[test]
    fn output_appends_to_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        std::fs::write(&path, format!("earlier=1{EOL}")).unwrap();
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_OUTPUT", &path_str)]);
        runner.set_output("later", "2").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(&format!("earlier=1{EOL}later<<")),
            "{text}"
        );
    }

    #[test]
    fn output_off_github_prints_name_value_lines_on_stdout() {
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.set_output("deployable", "false").unwrap();
        runner.set_output("reason", "line one\nline two").unwrap();
        assert_eq!(
            stdout.contents(),
            "deployable: false\nreason: |\n  line one\n  line two\n"
        );
        assert_eq!(stderr.contents(), "");
    }

    #[test]
    fn output_holding_a_masked_value_warns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        let path_str = path.display().to_string();
        let (mut runner, stdout, _) = on_github(&[("GITHUB_OUTPUT", &path_str)]);
        runner.mask("s3cr3t-token");
        runner.set_output("auth", "Bearer s3cr3t-token").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("Bearer s3cr3t-token"), "file keeps the value");
        assert!(
            stdout
                .contents()
                .contains("::warning::output `auth` contains a masked value"),
            "{}",
            stdout.contents()
        );
    }

    #[test]
    fn invalid_output_name_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_OUTPUT", &path_str)]);
        let err = runner.set_output("a=b", "v").unwrap_err();
        assert!(matches!(err, Error::InvalidName { .. }), "{err:?}");
        assert!(!path.exists());
    }

    #[test]
    fn export_var_writes_a_heredoc_entry_to_github_env() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("env");
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_ENV", &path_str)]);
        runner
            .export_var("PACT_BROKER_BASE_URL", "https://broker.example.com")
            .unwrap();
        assert_eq!(
            parse_heredocs(&std::fs::read_to_string(&path).unwrap()),
            [(
                "PACT_BROKER_BASE_URL".to_owned(),
                "https://broker.example.com".to_owned()
            )]
        );
    }

    #[test]
    fn export_var_off_github_prints_nothing_without_debug() {
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.export_var("A", "b").unwrap();
        assert_eq!(stdout.contents(), "");
        assert_eq!(stderr.contents(), "");
        let (mut runner, _, stderr) = off_github(&[("RUNNER_DEBUG", "1")]);
        runner.export_var("A", "b").unwrap();
        assert_eq!(
            stderr.contents(),
            "debug: not exporting `A`: $GITHUB_ENV is not set\n"
        );
    }

    #[test]
    fn add_path_appends_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("path");
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_PATH", &path_str)]);
        runner.add_path(Path::new("/opt/pactline/bin")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("/opt/pactline/bin{EOL}")
        );
    }

    // ----- step summary -----

    #[test]
    fn summary_is_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_STEP_SUMMARY", &path_str)]);
        assert_eq!(
            runner.append_summary("## can-i-deploy\n").unwrap(),
            SummaryWrite::Written
        );
        assert_eq!(
            runner.append_summary("Computer says yes \\o/\n").unwrap(),
            SummaryWrite::Written
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "## can-i-deploy\nComputer says yes \\o/\n"
        );
    }

    #[test]
    fn summary_over_one_mib_is_truncated_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        let path_str = path.display().to_string();
        let (mut runner, stdout, _) = on_github(&[("GITHUB_STEP_SUMMARY", &path_str)]);
        let row = "| web-app | 9f8e7d6 | orders-api | a94a8fe | ✅ | 12 |\n";
        let table = row.repeat(SUMMARY_LIMIT as usize / row.len() + 100);
        let SummaryWrite::Truncated { dropped } = runner.append_summary(&table).unwrap() else {
            panic!("expected truncation");
        };
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.len() as u64 <= SUMMARY_LIMIT, "{}", written.len());
        assert!(written.contains("**Summary truncated:**"));
        assert!(written.contains(&format!("{dropped} more bytes")));
        let kept = written.split("\n\n> **Summary truncated").next().unwrap();
        assert_eq!(kept.len() + dropped, table.len());
        assert!(kept.ends_with(row), "cut at a row boundary");
        assert!(stdout
            .contents()
            .contains("::warning::step summary truncated"));
        // Later appends are dropped, not added after the note.
        assert_eq!(
            runner.append_summary("more\n").unwrap(),
            SummaryWrite::Dropped { dropped: 5 }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    }

    #[test]
    fn summary_counts_what_the_file_already_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        std::fs::write(&path, "x".repeat(SUMMARY_LIMIT as usize - 10)).unwrap();
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_STEP_SUMMARY", &path_str)]);
        assert_eq!(
            runner.append_summary("a line that does not fit\n").unwrap(),
            SummaryWrite::Dropped { dropped: 25 }
        );
        assert_eq!(std::fs::metadata(&path).unwrap().len(), SUMMARY_LIMIT - 10);
    }

    #[test]
    fn summary_without_a_file_is_skipped() {
        let (mut runner, stdout, stderr) = off_github(&[]);
        assert_eq!(
            runner.append_summary("# hi\n").unwrap(),
            SummaryWrite::NoSummaryFile
        );
        assert_eq!(stdout.contents() + &stderr.contents(), "");
    }

    #[test]
    fn summary_redacts_masked_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        let path_str = path.display().to_string();
        let (mut runner, _, _) = on_github(&[("GITHUB_STEP_SUMMARY", &path_str)]);
        runner.mask("hunter2");
        runner.append_summary("token: hunter2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "token: ***\n");
    }

    // ----- printing -----

    #[test]
    fn annotations_on_github_are_escaped_workflow_commands() {
        let (mut runner, stdout, stderr) = on_github(&[]);
        runner.annotate(
            &Annotation::error("2 of 5 interactions failed\nsee log")
                .file("pacts/web-app-orders-api.json")
                .line(3)
                .title("Verification: orders-api, main"),
        );
        runner.warning("50% done");
        runner.notice("ok");
        assert_eq!(
            stdout.contents(),
            "::error file=pacts/web-app-orders-api.json,line=3,\
             title=Verification%3A orders-api%2C main::2 of 5 interactions failed%0Asee log\n\
             ::warning::50%25 done\n\
             ::notice::ok\n"
        );
        assert_eq!(stderr.contents(), "");
    }

    #[test]
    fn annotations_off_github_are_plain_lines_on_stderr() {
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.error("broker unreachable");
        runner.annotate(
            &Annotation::warning("pending pact")
                .file("pacts/a.json")
                .line(9),
        );
        assert_eq!(
            stderr.contents(),
            "error: broker unreachable\nwarning: pacts/a.json:9: pending pact\n"
        );
        assert_eq!(stdout.contents(), "");
    }

    #[test]
    fn info_goes_to_stdout_on_github_and_stderr_off_it() {
        let (mut runner, stdout, _) = on_github(&[]);
        runner.info("publishing 2 pacts");
        assert_eq!(stdout.contents(), "publishing 2 pacts\n");
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.info("publishing 2 pacts");
        assert_eq!(stdout.contents(), "");
        assert_eq!(stderr.contents(), "publishing 2 pacts\n");
    }

    #[test]
    fn debug_is_a_command_on_github_and_hidden_off_it_unless_enabled() {
        let (mut runner, stdout, _) = on_github(&[]);
        runner.debug("GET /\nHTTP 200");
        assert_eq!(stdout.contents(), "::debug::GET /%0AHTTP 200\n");
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.debug("hidden");
        assert_eq!(stdout.contents() + &stderr.contents(), "");
        let (mut runner, _, stderr) = off_github(&[("RUNNER_DEBUG", "1")]);
        runner.debug("shown");
        assert_eq!(stderr.contents(), "debug: shown\n");
    }

    #[test]
    fn groups_always_close() {
        let (mut runner, stdout, _) = on_github(&[]);
        let result: Result<(), &str> = runner.group("Publish: web-app, 1.0", |r| {
            r.info("inside");
            Err("failed inside the group")
        });
        assert!(result.is_err());
        assert_eq!(
            stdout.contents(),
            "::group::Publish: web-app, 1.0\ninside\n::endgroup::\n"
        );
    }

    #[test]
    fn groups_off_github_are_a_header_line() {
        let (mut runner, _, stderr) = off_github(&[]);
        runner.group("Publish", |r| r.info("inside"));
        assert_eq!(stderr.contents(), "== Publish ==\ninside\n");
    }

    #[test]
    fn mask_registers_each_line_and_redacts_later_output() {
        let (mut runner, stdout, _) = on_github(&[]);
        runner.mask("line-one-secret\r\nline-two%secret\n\n");
        runner.info("a line-one-secret and line-two%secret");
        runner.error("auth failed for line-one-secret");
        assert_eq!(
            stdout.contents(),
            "::add-mask::line-one-secret\n\
             ::add-mask::line-two%25secret\n\
             a *** and ***\n\
             ::error::auth failed for ***\n"
        );
    }

    #[test]
    fn mask_off_github_prints_nothing_but_still_redacts() {
        let (mut runner, stdout, stderr) = off_github(&[]);
        runner.mask("tok_123456");
        runner.info("Authorization: Bearer tok_123456");
        runner.set_output("echo", "tok_123456").unwrap();
        assert_eq!(stderr.contents(), "Authorization: Bearer ***\n");
        assert_eq!(stdout.contents(), "echo: ***\n");
    }

    #[test]
    fn longer_masks_are_redacted_first() {
        let (mut runner, _, _) = off_github(&[]);
        runner.mask("abc");
        runner.mask("abcdef");
        assert_eq!(runner.redact("xabcdefx abc"), "x***x ***");
    }

    #[test]
    fn github_mode_needs_exactly_true() {
        for (value, want) in [
            ("true", true),
            ("false", false),
            ("TRUE", false),
            ("", false),
        ] {
            let (runner, _, _) = off_github(&[("GITHUB_ACTIONS", value)]);
            assert_eq!(runner.is_github_actions(), want, "{value:?}");
        }
    }
}
