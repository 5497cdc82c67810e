//! Prompt templates (minijinja, embedded from `prompts/`) and their version string.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::format::NoteFormat;
use super::input::{ChartContext, Goal, Segment, Speaker};

/// Hand-set version of the prompt set; bump when the meaning of a prompt changes.
pub const PROMPT_SERIES: &str = "2026.11-1";

/// The embedded templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "extract_system.j2",
        include_str!("../../prompts/extract_system.j2"),
    ),
    (
        "extract_user.j2",
        include_str!("../../prompts/extract_user.j2"),
    ),
    (
        "plan_system.j2",
        include_str!("../../prompts/plan_system.j2"),
    ),
    ("plan_user.j2", include_str!("../../prompts/plan_user.j2")),
];

/// Errors rendering prompts (a template bug).
#[derive(Debug, thiserror::Error)]
#[error("prompt template {name} failed to render: {message}")]
pub struct PromptError {
    pub name: String,
    pub message: String,
}

/// The version recorded in every draft: the series plus a hash of the template texts, so an
/// edited template is always distinguishable.
pub fn version() -> String {
    let mut h = Sha256::new();
    for (name, text) in TEMPLATES {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    format!("{PROMPT_SERIES}+{}", &hex::encode(d)[..10])
}

/// A segment as the prompt shows it.
#[derive(Debug, Serialize)]
pub struct PromptLine<'a> {
    pub id: u32,
    pub label: &'static str,
    pub text: &'a str,
}

/// Prompt lines for segments.
pub fn lines<'a>(segments: &[&'a Segment]) -> Vec<PromptLine<'a>> {
    segments
        .iter()
        .map(|s| PromptLine {
            id: s.id,
            label: match s.speaker {
                Speaker::Therapist => "Therapist",
                Speaker::Client => "Client",
                Speaker::Unknown => "Speaker",
            },
            text: s.text.trim(),
        })
        .collect()
}

fn render(name: &str, ctx: minijinja::Value) -> Result<String, PromptError> {
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(false);
    let text = TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| PromptError {
            name: name.into(),
            message: "no such template".into(),
        })?;
    env.add_template(name, text).map_err(|e| PromptError {
        name: name.into(),
        message: e.to_string(),
    })?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| PromptError {
            name: name.into(),
            message: e.to_string(),
        })
}

/// System and user messages of the per-window extraction prompt.
pub fn extract(
    format: &NoteFormat,
    client: &ChartContext,
    dictation: bool,
    lines: &[PromptLine<'_>],
    window_index: usize,
    window_count: usize,
    max_findings: usize,
    only_section: Option<&super::format::Section>,
    instruction: Option<&str>,
) -> Result<(String, String), PromptError> {
    let sys = render(
        "extract_system.j2",
        minijinja::context! {
            format => format, dictation => dictation,
            only_section => only_section, instruction => instruction,
        },
    )?;
    let user = render(
        "extract_user.j2",
        minijinja::context! {
            client => client, dictation => dictation, segments => lines,
            window_index => window_index, window_count => window_count, max_findings => max_findings,
        },
    )?;
    Ok((sys, user))
}

/// System and user messages of the per-goal plan-update prompt.
pub fn plan(goal: &Goal, lines: &[PromptLine<'_>]) -> Result<(String, String), PromptError> {
    let sys = render("plan_system.j2", minijinja::context! {})?;
    let user = render(
        "plan_user.j2",
        minijinja::context! { goal => goal, segments => lines },
    )?;
    Ok((sys, user))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::format::FormatLibrary;

    #[test]
    fn templates_render() {
        let f = FormatLibrary::builtin().get("birp").unwrap();
        let seg = Segment {
            id: 7,
            start: 0.0,
            end: 1.0,
            speaker: Speaker::Client,
            text: "I slept five hours.".into(),
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        };
        let l = lines(&[&seg]);
        let (s, u) = extract(&f, &ChartContext::default(), false, &l, 1, 2, 8, None, None).unwrap();
        let (s2, _) = extract(
            &f,
            &ChartContext::default(),
            false,
            &l,
            1,
            1,
            8,
            Some(&f.sections[1]),
            Some("shorter"),
        )
        .unwrap();
        assert!(
            s2.contains("Write only the Intervention section") && s2.contains("asks: shorter"),
            "{s2}"
        );
        assert!(s.contains("- intervention:"), "{s}");
        assert!(u.contains("[7] Client: I slept five hours."), "{u}");
        assert!(u.contains("Part 1 of 2"));
        let g = Goal {
            id: "g1".into(),
            text: "Sleep 7 hours".into(),
        };
        let (_, u) = plan(&g, &l).unwrap();
        assert!(u.contains("Goal g1: Sleep 7 hours"));
        assert!(version().starts_with(PROMPT_SERIES));
    }
}
