//! `almapkg classify NAME_OR_PATH...`: print the classification of each name as one JSON
//! object per line.

use almapkg::naming::classify;

pub fn run(args: &[String]) -> Result<(), String> {
    if args.is_empty() {
        return Err("usage: almapkg classify NAME_OR_PATH...".into());
    }
    for arg in args {
        let json = serde_json::to_string(&classify(arg))
            .map_err(|e| format!("cannot write the classification of {arg:?} as JSON: {e}"))?;
        println!("{json}");
    }
    Ok(())
}
