//! `almapkg`: the command-line face of the almapkg core.
//!
//! Each sub-command lives in its own module with a `run(args) -> Result<(), String>`; errors
//! are printed as one clear line and give a non-zero exit code.

mod args;
mod classify;
mod extract;
mod input;
mod ls;
mod render;
mod stats;

const USAGE: &str = "usage: almapkg <command> [args]

commands:
  ls PACKAGE.tar... [--json]          list every entry (path, type, size, data offset)
  classify NAME_OR_PATH...            classify file names by the ALMA conventions (JSON lines)
  extract PACKAGE.tar... PATH -o OUT  stream one entry out of the package
  stats FILE.fits|PACKAGE.tar::PATH [--plane N] [--json]
  render FILE.fits|PACKAGE.tar::PATH [--plane N] [--stretch S] [--limits L] [--cmap C] -o OUT.png";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    let result = match args.first().map(String::as_str) {
        Some("ls") => ls::run(rest),
        Some("classify") => classify::run(rest),
        Some("extract") => extract::run(rest),
        Some("stats") => stats::run(rest),
        Some("render") => render::run(rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(msg) = result {
        eprintln!("almapkg: {msg}");
        std::process::exit(1);
    }
}
