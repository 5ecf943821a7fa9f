//! `publish-pact`: parse flags, publish, exit with the outcome's code.

mod args;
mod pacts;
mod run;
mod trigger;

fn main() -> std::process::ExitCode {
    pactline_cli::main(run::run)
}
