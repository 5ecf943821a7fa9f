//! `record-results`: parse the subcommand, record it in the broker, exit with the outcome's code.

mod args;
mod junit;
mod run;

fn main() -> std::process::ExitCode {
    pactline_cli::main(run::run)
}
