//! `can-i-deploy-gate`: parse flags, ask the broker (polling while unknown), exit with the verdict's code.

mod args;
mod report;
mod run;

fn main() -> std::process::ExitCode {
    pactline_cli::main(run::run)
}
