//! `almapkg ls PACKAGE.tar... [--json]`: every entry of every tar, from the headers alone.

use crate::args::Args;
use crate::input::open_tar;
use almapkg::naming::{classify, Classification};
use almapkg::tar_index::{EntryType, TarEntry};
use serde::Serialize;
use std::io::{self, Write};

const USAGE: &str = "usage: almapkg ls PACKAGE.tar... [--json]";

/// One `--json` line: the entry, the tar it came from, and (files and links) what the
/// entry is by the ALMA conventions — the same fields `almapkg classify` prints.
#[derive(Serialize)]
struct JsonEntry<'a> {
    tar: &'a str,
    #[serde(flatten)]
    entry: &'a TarEntry,
    #[serde(flatten)]
    class: Option<Classification>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = Args::parse(args, &[], &["--json"]).map_err(|e| format!("ls: {e}\n{USAGE}"))?;
    let json = args.flag("--json");
    let names = args.positionals();
    if names.is_empty() {
        return Err(USAGE.to_string());
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut problems = Vec::new();
    for name in names {
        let tar = match open_tar(name) {
            Ok(tar) => tar,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let heading = (names.len() > 1 && !json).then_some(name.as_str());
        let written = if json {
            write_json(&mut out, name, &tar.index.entries)
        } else {
            write_table(&mut out, heading, &tar.index.entries)
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(format!("writing the listing: {e}")),
            Ok(()) => {}
        }
        if let Some(problem) = &tar.index.stopped {
            problems.push(format!("{name}: {problem}"));
        }
    }
    // One line per problem, each with the "almapkg: " prefix main() puts on the first.
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\nalmapkg: "))
    }
}

fn write_json(out: &mut impl Write, tar: &str, entries: &[TarEntry]) -> io::Result<()> {
    for entry in entries {
        let class = (entry.kind != EntryType::Dir).then(|| classify(&entry.path));
        serde_json::to_writer(&mut *out, &JsonEntry { tar, entry, class })?;
        writeln!(out)?;
    }
    Ok(())
}

/// An aligned table: type, size, data offset, path and link target.
fn write_table(out: &mut impl Write, heading: Option<&str>, entries: &[TarEntry]) -> io::Result<()> {
    if let Some(name) = heading {
        writeln!(out, "{name}:")?;
    }
    let width = |f: fn(&TarEntry) -> u64| entries.iter().map(|e| f(e).to_string().len()).max().unwrap_or(1);
    let (size_w, offset_w) = (width(|e| e.size), width(|e| e.offset));
    for e in entries {
        let link = e.link.as_deref().map(|l| format!(" -> {l}")).unwrap_or_default();
        writeln!(out, "{:<8}  {:>size_w$}  {:>offset_w$}  {}{link}", type_name(e.kind), e.size, e.offset, e.path)?;
    }
    Ok(())
}

fn type_name(kind: EntryType) -> &'static str {
    match kind {
        EntryType::File => "file",
        EntryType::Dir => "dir",
        EntryType::Symlink => "symlink",
        EntryType::Hardlink => "hardlink",
        EntryType::Other => "other",
    }
}
