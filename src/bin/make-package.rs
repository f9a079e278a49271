//! `make-package OUT_DIR [--size small|large] [--gb N] [--entries M] [--weblog-from DIR]`:
//! writes the deterministic sample ALMA delivery (or a sparse benchmark tar) and lists it.
//! `make-package --bad-inputs DIR`: writes the bad-input matrix (one file per case and
//! `cases.json`) for the browser tests.

use std::path::PathBuf;
use std::process::ExitCode;

use almapkg::generator::bad_inputs::write_bad_inputs;
use almapkg::generator::{write_package, PackageSpec, Size};

const USAGE: &str = "usage: make-package OUT_DIR [--size small|large] [--gb N] [--entries M] [--weblog-from DIR] \
                     [--seed S]\n       make-package --bad-inputs DIR";

/// What the command line asks for.
enum Task {
    Package(PathBuf, PackageSpec),
    BadInputs(PathBuf),
}

fn parse(args: &[String]) -> Result<Task, String> {
    if let [flag, dir] = args {
        if flag == "--bad-inputs" {
            return Ok(Task::BadInputs(PathBuf::from(dir)));
        }
    }
    let mut out = None;
    let mut spec = PackageSpec::default();
    let (mut large, mut gb, mut entries) = (false, 10u64, 500u64);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let number =
            |name: &str, v: String| v.parse::<u64>().map_err(|_| format!("{name} expects a whole number, got '{v}'"));
        match arg.as_str() {
            "--size" => match value("--size")?.as_str() {
                "small" => large = false,
                "large" => large = true,
                other => return Err(format!("--size must be small or large, got '{other}'")),
            },
            "--gb" => gb = number("--gb", value("--gb")?)?,
            "--entries" => entries = number("--entries", value("--entries")?)?,
            "--seed" => spec.seed = number("--seed", value("--seed")?)?,
            "--weblog-from" => spec.weblog_from = Some(PathBuf::from(value("--weblog-from")?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}\n{USAGE}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}\n{USAGE}")),
        }
    }
    if large {
        if entries == 0 {
            return Err("--entries must be at least 1".into());
        }
        spec.size = Size::Large { gb, entries };
    }
    Ok(Task::Package(out.ok_or(USAGE)?, spec))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out_dir, written) = match parse(&args) {
        Ok(Task::Package(dir, spec)) => {
            let written = write_package(&dir, &spec);
            (dir, written)
        }
        Ok(Task::BadInputs(dir)) => {
            let written = write_bad_inputs(&dir);
            (dir, written)
        }
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match written {
        Ok(paths) => {
            for path in paths {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                println!("{size:>14}  {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make-package: could not write into {}: {e}", out_dir.display());
            ExitCode::FAILURE
        }
    }
}
