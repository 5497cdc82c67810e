//! Prints a transcript's exchanges as the drafting pipeline sees them: each group's segments,
//! lead speaker, category, section and salience score, and whether it is selected for the
//! note, then the client's change and sustain talk and the stance sentence built from it:
//! `cargo run --example fact_groups -- [--format soap] FILE`. With `--models DIR` (or
//! `NOTED_TEST_MODELS`) holding all-MiniLM-L6-v2, scores are weighed by topic as in a draft.

use std::path::PathBuf;

use noted::draft::{change_talk, compose, facts, ChartContext, DraftInput, FormatLibrary};

fn main() -> anyhow::Result<()> {
    let mut files = Vec::new();
    let mut format = "soap".to_string();
    let mut models: Option<PathBuf> = std::env::var_os("NOTED_TEST_MODELS").map(PathBuf::from);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--format" => format = args.next().unwrap_or(format),
            "--models" => models = args.next().map(PathBuf::from),
            _ => files.push(PathBuf::from(a)),
        }
    }
    let format = FormatLibrary::builtin().get(&format)?;
    let encoder = models
        .as_deref()
        .and_then(noted::embed::find_installed)
        .map(|d| noted::embed::SentenceEncoder::load(&d))
        .transpose()?;
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        // an evaluation case (`noted eval`'s JSON with turns) or a transcript
        let input = match serde_json::from_str::<noted::draft::eval::EvalCase>(&text) {
            Ok(case) => case.input(),
            Err(_) => DraftInput::from_transcript_text(&text, ChartContext::default())?,
        };
        let mut groups = facts::groups(&input, &format);
        if let Some(enc) = &encoder {
            facts::weigh_by_topic(&mut groups, &input, enc);
        }
        let n = facts::fact_count(compose::note_budget(&input));
        let chosen = facts::select(groups.clone(), n);
        println!("== {} ({} groups, {} chosen)", f.display(), groups.len(), n);
        for g in &groups {
            let mark = if chosen.iter().any(|c| c.pos == g.pos) {
                "*"
            } else {
                " "
            };
            println!(
                "{mark} {:>5.1} {:?} {} -> {} {:?}",
                g.score, g.lead, g.category, g.section, g.ids
            );
            println!(
                "        {}",
                facts::prompt_line(&input, g)
                    .chars()
                    .take(220)
                    .collect::<String>()
            );
        }
        for found in change_talk::find(&input) {
            println!("  {:?} [{}] {}", found.talk, found.segment_id, found.quote);
        }
        if let Some(st) = change_talk::statement(&input) {
            println!("  => {} {:?}", st.text, st.citations);
        }
    }
    Ok(())
}
