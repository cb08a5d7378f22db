//! The `apprunner` program; everything is in the library (`apprunner_cli::run`).

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(apprunner_cli::run(&argv));
}
