//! `casa_commands.log`: the CASA calls made by each pipeline stage
//! (written by `pipeline/infrastructure/basetask.py`).
//!
//! Layout: a `raise Error(...)` guard and a `#` prologue; then per stage a line
//! `# hif_…(…)` (the pipeline task call), `#`-prefixed description lines, and the CASA
//! calls, wrapped at 80 columns with continuation lines indented. Excerpts may start in
//! the middle of a stage: calls before the first stage line go into a stage with index 0.

use serde::Serialize;

use crate::naming::is_stage_token;

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct CasaCommands {
    pub stages: Vec<Stage>,
}

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct Stage {
    /// 1-based position of the stage in the log (0: calls seen before the first stage line).
    pub index: usize,
    /// The pipeline task call, e.g. `hif_makeimlist(specmode='cube')` (empty for index 0).
    pub task_call: String,
    /// The stage's description comment, one line per comment line.
    pub description: String,
    pub calls: Vec<Call>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Call {
    /// The CASA task or function name (`tclean`, `flagdata`, `copytree`...).
    pub task: String,
    /// The whole call on one line (wrapped lines re-joined).
    pub text: String,
    /// 1-based line where the call starts.
    pub line: usize,
}

impl Call {
    /// The value of a quoted string argument, e.g. `imagename` of a tclean call.
    pub fn string_argument(&self, name: &str) -> Option<&str> {
        let text = self.text.as_str();
        let pattern = format!("{name}='");
        text.match_indices(&pattern).find_map(|(at, _)| {
            let before = text[..at].chars().next_back();
            if !matches!(before, Some('(' | ' ' | ',')) {
                return None;
            }
            let value = &text[at + pattern.len()..];
            value.find('\'').map(|end| &value[..end])
        })
    }
}

impl CasaCommands {
    /// The tclean call whose `imagename` produced this product file (the last one, i.e.
    /// the final clean iteration). The product name drops the stage token `sNN_M`, the
    /// `iterN` token and may carry a `member.` prefix and move the datatype token, so the
    /// two names are compared as sets of tokens without those.
    pub fn tclean_for_image(&self, product_file_name: &str) -> Option<&Call> {
        let name = product_file_name.rsplit(['/', '\\']).next().unwrap_or(product_file_name);
        let wanted = image_key(name);
        self.stages
            .iter()
            .rev()
            .flat_map(|s| s.calls.iter().rev())
            .filter(|c| c.task == "tclean")
            .find(|c| c.string_argument("imagename").is_some_and(|n| image_key(n) == wanted))
    }
}

/// The tokens that identify an image across pipeline and archive names, sorted.
fn image_key(name: &str) -> Vec<&str> {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let name = name.strip_suffix(".fits").unwrap_or(name);
    let name = name.strip_prefix("member.").unwrap_or(name);
    let mut tokens: Vec<&str> = name.split('.').filter(|t| !is_image_variant(t)).collect();
    tokens.sort_unstable();
    tokens
}

/// Tokens that differ between a tclean imagename and the exported product files.
fn is_image_variant(token: &str) -> bool {
    const VARIANTS: &[&str] = &[
        "pbcor", "pb", "mask", "alpha", "error", "image", "residual", "psf", "model", "sd", "weight", "tt0", "tt1",
        "regcal",
    ];
    let numbered = |prefix: &str| {
        token.strip_prefix(prefix).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    VARIANTS.contains(&token) || numbered("iter") || numbered("v") || is_stage_token(token)
}

/// Parse a casa_commands.log (never fails: unknown lines are skipped).
pub fn parse(text: &str) -> CasaCommands {
    let mut log = CasaCommands::default();
    let mut in_description = false;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(task_call) = stage_call(raw) {
            let index = log.stages.iter().filter(|s| s.index > 0).count() + 1;
            log.stages.push(Stage { index, task_call: task_call.to_string(), ..Stage::default() });
            in_description = true;
        } else if let Some(comment) = raw.strip_prefix('#') {
            if in_description {
                add_description(&mut log, comment.trim());
            }
        } else if let Some(task) = call_start(raw) {
            in_description = false;
            let call = Call { task: task.to_string(), text: raw.trim_end().to_string(), line: number };
            push_call(&mut log, call);
        } else if raw.starts_with(char::is_whitespace) && !raw.trim().is_empty() {
            if let Some(call) = log.stages.last_mut().and_then(|s| s.calls.last_mut()) {
                join_wrapped(&mut call.text, raw.trim());
            }
        }
    }
    log
}

/// `# hifa_importdata(vis=[...])` → the task call.
fn stage_call(line: &str) -> Option<&str> {
    let call = line.strip_prefix("# ")?;
    let task = call_start(call)?;
    task.starts_with('h').then_some(call).filter(|_| task.contains('_'))
}

/// The function name when `line` starts a call: `name(` at column 0.
fn call_start(line: &str) -> Option<&str> {
    let open = line.find('(')?;
    let name = &line[..open];
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    valid.then_some(name)
}

/// Add a call to the stage being read; calls before the first stage line open the
/// index-0 stage.
fn push_call(log: &mut CasaCommands, call: Call) {
    match log.stages.last_mut() {
        Some(stage) => stage.calls.push(call),
        None => log.stages.push(Stage { calls: vec![call], ..Stage::default() }),
    }
}

fn add_description(log: &mut CasaCommands, comment: &str) {
    let Some(stage) = log.stages.last_mut() else {
        return;
    };
    if comment.is_empty() {
        return;
    }
    if !stage.description.is_empty() {
        stage.description.push('\n');
    }
    stage.description.push_str(comment);
}

/// Re-join a wrapped line: the writer breaks at spaces (dropped) and after hyphens (kept).
fn join_wrapped(text: &mut String, continuation: &str) {
    if !text.ends_with('-') {
        text.push(' ');
    }
    text.push_str(continuation);
}
