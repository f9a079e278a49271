//! A small argument parser shared by the sub-commands: positionals, `--flag`s, and options
//! that take a value (`--plane 3`, `-o out.png`). Unknown options are errors, not ignored.

use std::collections::HashMap;

pub struct Args {
    positional: Vec<String>,
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Args {
    /// Parses `args`; `with_value` lists the options that take a value, `flags` those that do not.
    pub fn parse(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<Args, String> {
        let mut out = Args { positional: Vec::new(), values: HashMap::new(), flags: Vec::new() };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if with_value.contains(&arg.as_str()) {
                let v = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
                out.values.insert(arg.clone(), v.clone());
            } else if flags.contains(&arg.as_str()) {
                out.flags.push(arg.clone());
            } else if arg.starts_with('-') && arg != "-" {
                return Err(format!("unknown option {arg}"));
            } else {
                out.positional.push(arg.clone());
            }
        }
        Ok(out)
    }

    pub fn positional(&self, i: usize, what: &str) -> Result<String, String> {
        self.positional.get(i).cloned().ok_or_else(|| format!("missing {what}"))
    }

    pub fn positionals(&self) -> &[String] {
        &self.positional
    }

    pub fn value(&mut self, name: &str) -> Option<String> {
        self.values.remove(name)
    }

    pub fn number<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>, String> {
        self.value(name).map(|v| v.parse().map_err(|_| format!("{name} takes a number, not {v:?}"))).transpose()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}
