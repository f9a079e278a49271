//! `almapkg extract PACKAGE.tar... PATH -o OUT` (or `extract PACKAGE.tar::PATH -o OUT`):
//! streams one entry out of the package, in chunks, following links; `-o -` writes to stdout.

use crate::args::Args;
use crate::input::{locate, open_input, open_tars};
use almapkg::source::{ReadAt, SubSource};
use std::io::{self, Write};

const USAGE: &str = "usage: almapkg extract PACKAGE.tar... PATH -o OUT   (OUT may be - for stdout)
       almapkg extract PACKAGE.tar::PATH -o OUT";

/// Most bytes held in memory at once: entries can be tens of GB.
const CHUNK: u64 = 8 << 20;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut args = Args::parse(args, &["-o"], &[]).map_err(|e| format!("extract: {e}\n{USAGE}"))?;
    let out = args.value("-o").ok_or_else(|| format!("extract needs -o OUT\n{USAGE}"))?;
    match args.positionals() {
        [] => Err(USAGE.to_string()),
        [spec] => write_out(&*open_input(spec)?, spec, &out),
        [tar_names @ .., path] => {
            let tars = open_tars(tar_names)?;
            let (tar, entry) = locate(&tars, path)?;
            let data = SubSource { inner: &tar.file, start: entry.offset, len: entry.size };
            write_out(&data, &format!("{}::{}", tar.name, entry.path), &out)
        }
    }
}

/// Writes all of `data` (named `what` in errors) to the file `out`, or stdout for `-`.
fn write_out(data: &dyn ReadAt, what: &str, out: &str) -> Result<(), String> {
    let written = if out == "-" {
        copy_all(data, &mut io::stdout().lock())
    } else {
        let mut file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
        copy_all(data, &mut file)
    };
    match written {
        Err(CopyError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(CopyError::Write(e)) => Err(format!("{out}: {e}")),
        Err(CopyError::Read(msg)) => Err(format!("{what}: {msg}")),
        Ok(()) => Ok(()),
    }
}

enum CopyError {
    Read(String),
    Write(io::Error),
}

/// Copies all of `data` to `out`, `CHUNK` bytes at a time.
fn copy_all(data: &dyn ReadAt, out: &mut dyn Write) -> Result<(), CopyError> {
    let mut done = 0;
    while done < data.len() {
        let n = CHUNK.min(data.len() - done);
        let bytes = data.read_at(done, n).map_err(|e| CopyError::Read(e.to_string()))?;
        out.write_all(&bytes).map_err(CopyError::Write)?;
        done += n;
    }
    out.flush().map_err(CopyError::Write)
}
