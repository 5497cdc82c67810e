//! Prompt templates (minijinja, embedded from `prompts/`) and their version string.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::format::NoteFormat;
use super::input::{ChartContext, Goal, Segment, Speaker};

/// Hand-set version of the prompt set; bump when the meaning of a prompt changes.
pub const PROMPT_SERIES: &str = "2026.12-1";

/// The embedded templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "fuse_system.j2",
        include_str!("../../prompts/fuse_system.j2"),
    ),
    ("fuse_user.j2", include_str!("../../prompts/fuse_user.j2")),
    (
        "plan_system.j2",
        include_str!("../../prompts/plan_system.j2"),
    ),
    ("plan_user.j2", include_str!("../../prompts/plan_user.j2")),
    (
        "rewrite_system.j2",
        include_str!("../../prompts/rewrite_system.j2"),
    ),
    (
        "rewrite_user.j2",
        include_str!("../../prompts/rewrite_user.j2"),
    ),
    (
        "compose_system.j2",
        include_str!("../../prompts/compose_system.j2"),
    ),
    (
        "compose_user.j2",
        include_str!("../../prompts/compose_user.j2"),
    ),
    (
        "impression_system.j2",
        include_str!("../../prompts/impression_system.j2"),
    ),
    (
        "impression_user.j2",
        include_str!("../../prompts/impression_user.j2"),
    ),
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

/// System and user messages of a batch of exchanges to rewrite as note sentences.
pub fn rewrite(
    client: &ChartContext,
    dictation: bool,
    excerpts: &[String],
    instruction: Option<&str>,
    examples: bool,
) -> Result<(String, String), PromptError> {
    let sys = render(
        "rewrite_system.j2",
        minijinja::context! { dictation => dictation, instruction => instruction, examples => examples },
    )?;
    let user = render(
        "rewrite_user.j2",
        minijinja::context! { client => client, excerpts => excerpts },
    )?;
    Ok((sys, user))
}

/// A fact as the composition prompt shows it: its number and text.
#[derive(Debug, Serialize)]
pub struct PromptFact<'a> {
    pub n: usize,
    pub text: &'a str,
}

/// System and user messages of the composition prompt of one section.
#[allow(clippy::too_many_arguments)]
pub fn compose(
    format: &NoteFormat,
    section: &super::format::Section,
    client: &ChartContext,
    facts: &[PromptFact<'_>],
    max_sentences: usize,
    max_words: usize,
    subjects: &[&str],
    synthesis: bool,
    instruction: Option<&str>,
) -> Result<(String, String), PromptError> {
    let quoted: Vec<String> = subjects.iter().map(|s| format!("\"{s}\"")).collect();
    let sys = render(
        "compose_system.j2",
        minijinja::context! {
            format => format, section => section, max_sentences => max_sentences,
            max_words => max_words, subjects => quoted, synthesis => synthesis,
            instruction => instruction,
        },
    )?;
    let user = render(
        "compose_user.j2",
        minijinja::context! {
            client => client, facts => facts, section => section, max_sentences => max_sentences,
        },
    )?;
    Ok((sys, user))
}

/// Whether a statement repeats an example answer of the fact prompt rather than the session
/// ("Client agreed to practice the wind-down routine every night this week." written for a
/// session about gambling): half or more of its content words are those of one example
/// sentence.
pub fn echoes_example(statement: &str) -> bool {
    static EXAMPLES: std::sync::LazyLock<Vec<std::collections::HashSet<String>>> =
        std::sync::LazyLock::new(|| {
            let re = regex::Regex::new(r#""\d+": "([^"]+)""#).expect("pattern");
            re.captures_iter(include_str!("../../prompts/rewrite_system.j2"))
                .map(|c| super::text::content_stems(&c[1]).into_iter().collect())
                .collect()
        });
    let own: std::collections::HashSet<String> =
        super::text::content_stems(statement).into_iter().collect();
    !own.is_empty()
        && EXAMPLES
            .iter()
            .any(|ex| own.iter().filter(|w| ex.contains(*w)).count() * 2 >= own.len().max(3))
}

/// Whether a composed sentence borrows the composition prompt's example client: it says a
/// word of the example's facts ("practice drives", "collision") that none of the session's
/// facts given (`given`: their text and cited words) says. The example teaches the form of a
/// synthesis, so its framing words ("presents with", "motivated", "ambivalent") are free to
/// use; its facts are another client's.
pub fn borrows_compose_example(sentence: &str, given: &str) -> bool {
    static LEAKS: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| {
            let template = include_str!("../../prompts/compose_system.j2");
            let (mut example, mut rest) = (String::new(), String::new());
            for line in template.lines() {
                // the example's facts, not its answer (the answer's framing words are the
                // form the example teaches) nor the instructions
                match line.find("Facts:") {
                    Some(at) if line.starts_with("Example") => example.push_str(&line[at..]),
                    // (the example's answer; "Answer with JSON" is an instruction)
                    _ if line.starts_with("Answer:") => {}
                    _ => rest.push_str(line),
                }
                rest.push('\n');
            }
            let taught: std::collections::HashSet<String> =
                super::text::content_stems(&rest).into_iter().collect();
            super::text::content_stems(&example)
                .into_iter()
                .filter(|w| !taught.contains(w) && w.parse::<f64>().is_err())
                .collect()
        });
    let known: std::collections::HashSet<String> =
        super::text::content_stems(given).into_iter().collect();
    super::text::content_stems(sentence)
        .iter()
        .any(|w| LEAKS.contains(w) && !known.contains(w))
}

/// System and user messages of the fusion prompt: statements of one topic as one sentence
/// starting with `subject`.
pub fn fuse(subject: &str, facts: &[PromptFact<'_>]) -> Result<(String, String), PromptError> {
    let sys = render("fuse_system.j2", minijinja::context! { subject => subject })?;
    let user = render("fuse_user.j2", minijinja::context! { facts => facts })?;
    Ok((sys, user))
}

/// System and user messages of the impression prompt (the session's main concern, from the
/// facts).
pub fn impression(
    client: &ChartContext,
    facts: &[PromptFact<'_>],
) -> Result<(String, String), PromptError> {
    let sys = render("impression_system.j2", minijinja::context! {})?;
    let user = render(
        "impression_user.j2",
        minijinja::context! { client => client, facts => facts },
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
    fn a_synthesis_that_borrows_the_example_client_is_caught() {
        let given = "Client wants to become a doctor after high school. Client reported \
                     drinking every other weekend. I want to be a doctor.";
        // the example's "practice drives", written for a teenager's drinking
        assert!(borrows_compose_example(
            "Client is motivated by wanting to become a doctor but remains ambivalent about practice drives.",
            given
        ));
        // the example's framing words are the form it teaches
        assert!(!borrows_compose_example(
            "Client presents with drinking every other weekend and is motivated by wanting to become a doctor, but remains ambivalent.",
            given
        ));
        // the example's words said by this session too are this session's
        assert!(!borrows_compose_example(
            "Client presents with drinking since a collision in March.",
            "Client reported drinking more since a car collision in March."
        ));
    }

    #[test]
    fn the_prompt_example_is_not_the_session() {
        assert!(echoes_example(
            "Client agrees to practice the wind-down routine."
        ));
        assert!(echoes_example(
            "Next session scheduled in three weeks to review the routine."
        ));
        assert!(!echoes_example(
            "Client reported gambling at the pub most weekends."
        ));
        assert!(!echoes_example("Client agreed to meet again next week."));
    }

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
        let (s, u) = rewrite(
            &ChartContext::default(),
            false,
            &["Client: I slept five hours.".to_string()],
            Some("shorter"),
            true,
        )
        .unwrap();
        assert!(s.contains("asks: shorter"), "{s}");
        assert!(s.contains("Example answer"), "{s}");
        // asked again: the rules without the example answers
        let (again, _) = rewrite(
            &ChartContext::default(),
            false,
            &["Client: I slept five hours.".to_string()],
            None,
            false,
        )
        .unwrap();
        assert!(
            !again.contains("Example") && again.contains("Third person"),
            "{again}"
        );
        assert!(u.contains("(1) Client: I slept five hours."), "{u}");
        let (s, u) = compose(
            &f,
            &f.sections[0],
            &ChartContext::default(),
            &[PromptFact {
                n: 1,
                text: "Client reported sleeping five hours.",
            }],
            2,
            30,
            &["Client"],
            false,
            None,
        )
        .unwrap();
        assert!(s.contains("At most 2 sentences"), "{s}");
        assert!(
            u.contains("(1) Client reported sleeping five hours."),
            "{u}"
        );
        let g = Goal {
            id: "g1".into(),
            text: "Sleep 7 hours".into(),
        };
        let (_, u) = plan(&g, &l).unwrap();
        assert!(u.contains("Goal g1: Sleep 7 hours"));
        assert!(version().starts_with(PROMPT_SERIES));
    }
}
