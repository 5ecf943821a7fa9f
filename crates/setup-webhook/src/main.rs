//! `setup-webhook`: parse flags, create or update the webhooks, exit with the outcome's code.

mod args;
mod run;
mod webhook;

fn main() -> std::process::ExitCode {
    pactline_cli::main(run::run)
}
