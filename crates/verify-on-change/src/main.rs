//! `verify-on-change`: parse flags, verify, exit with the outcome's code.

mod args;
mod command;
mod env_vars;
#[cfg(feature = "native")]
mod native;
mod plan;
mod report;
mod run;
mod status;

fn main() -> std::process::ExitCode {
    pactline_cli::main(run::run)
}
