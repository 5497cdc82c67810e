//! Drafting input: transcript segments or a typed summary, and the client's chart context.

use serde::{Deserialize, Serialize};

pub use crate::transcribe::{Segment, Speaker};

/// A segment as read from JSON files: only `id` and `text` are required.
#[derive(Debug, Clone, Deserialize)]
struct LenientSegment {
    id: u32,
    #[serde(default)]
    start: f64,
    #[serde(default)]
    end: f64,
    #[serde(default)]
    speaker: Speaker,
    text: String,
    #[serde(default)]
    avg_logprob: f32,
    #[serde(default)]
    no_speech_prob: f32,
}

impl From<LenientSegment> for Segment {
    fn from(l: LenientSegment) -> Segment {
        Segment {
            id: l.id,
            start: l.start,
            end: l.end,
            speaker: l.speaker,
            text: l.text,
            avg_logprob: l.avg_logprob,
            no_speech_prob: l.no_speech_prob,
        }
    }
}

/// Whether the segments are a conversation or the clinician's own summary/dictation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Therapist and client talking (a session transcript).
    Session,
    /// The clinician's typed or dictated summary, already in note voice.
    Dictation,
}

/// What to draft from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftInput {
    pub kind: InputKind,
    /// Segments with unique ids; statements cite these ids.
    pub segments: Vec<Segment>,
    #[serde(default)]
    pub client: ChartContext,
}

/// A goal of the treatment plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub text: String,
}

/// A measure result from the chart (e.g. PHQ-9 17 on 2026-11-02).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeasureResult {
    pub name: String,
    pub score: f64,
    #[serde(default)]
    pub date: Option<String>,
}

/// The chart context: compatible with the `client` object of the eval session files
/// (extra fields are ignored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartContext {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub presenting_problems: Vec<String>,
    /// Active treatment-plan goals.
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub interventions: Vec<String>,
    #[serde(default)]
    pub measures: Vec<MeasureResult>,
}

impl ChartContext {
    /// All chart text (used by the number/name checks).
    pub fn all_text(&self) -> String {
        let mut s = String::new();
        s.push_str(&self.name);
        s.push('\n');
        if let Some(d) = &self.date_of_birth {
            s.push_str(d);
            s.push('\n');
        }
        for p in &self.presenting_problems {
            s.push_str(p);
            s.push('\n');
        }
        for g in &self.goals {
            s.push_str(&g.text);
            s.push('\n');
        }
        for i in &self.interventions {
            s.push_str(i);
            s.push('\n');
        }
        for m in &self.measures {
            s.push_str(&format!("{} {}\n", m.name, m.score));
        }
        s
    }
}

/// Errors reading input files.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("the transcript is empty: nothing to draft from")]
    Empty,
    #[error("transcript segment ids must be unique; id {0} appears twice")]
    DuplicateId(u32),
    #[error("transcript JSON is not in a known shape ({0}); expected the output of `noted transcribe --format json`, a list of segments, or plain text")]
    Shape(String),
}

impl DraftInput {
    /// Checks the input: non-empty, unique ids, drops blank segments.
    pub fn validated(mut self) -> Result<DraftInput, InputError> {
        self.segments.retain(|s| !s.text.trim().is_empty());
        if self.segments.is_empty() {
            return Err(InputError::Empty);
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.segments {
            if !seen.insert(s.id) {
                return Err(InputError::DuplicateId(s.id));
            }
        }
        Ok(self)
    }

    /// A typed or dictated summary, split into sentences that become citable pseudo-segments.
    pub fn from_summary(text: &str, client: ChartContext) -> Result<DraftInput, InputError> {
        let segments = split_sentences(text)
            .into_iter()
            .enumerate()
            .map(|(i, t)| Segment {
                id: i as u32,
                start: 0.0,
                end: 0.0,
                speaker: Speaker::Therapist,
                text: t,
                avg_logprob: 0.0,
                no_speech_prob: 0.0,
            })
            .collect();
        DraftInput {
            kind: InputKind::Dictation,
            segments,
            client,
        }
        .validated()
    }

    /// Segments of a transcript file: JSON from `noted transcribe` (`{"segments": [...]}`),
    /// a JSON list of segments, or plain text with one utterance per line, optionally
    /// prefixed `Therapist:` / `Client:` (also `T:`, `C:`, `Clinician:`, `Patient:`).
    pub fn from_transcript_text(
        text: &str,
        client: ChartContext,
    ) -> Result<DraftInput, InputError> {
        let trimmed = text.trim_start();
        let segments = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| InputError::Shape(e.to_string()))?;
            let list = match &v {
                serde_json::Value::Array(_) => v.clone(),
                serde_json::Value::Object(o) => o
                    .get("segments")
                    .cloned()
                    .ok_or_else(|| InputError::Shape("no `segments` field".into()))?,
                _ => return Err(InputError::Shape("not an object or list".into())),
            };
            serde_json::from_value::<Vec<LenientSegment>>(list)
                .map_err(|e| InputError::Shape(e.to_string()))?
                .into_iter()
                .map(Segment::from)
                .collect()
        } else {
            parse_plain_lines(text)
        };
        DraftInput {
            kind: InputKind::Session,
            segments,
            client,
        }
        .validated()
    }

    /// The segment with this id.
    pub fn segment(&self, id: u32) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }
}

/// Plain text, one utterance per line with optional speaker prefixes.
pub fn parse_plain_lines(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (speaker, rest) = split_speaker(line);
        if rest.is_empty() {
            continue;
        }
        out.push(Segment {
            id: out.len() as u32,
            start: 0.0,
            end: 0.0,
            speaker,
            text: rest.to_string(),
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        });
    }
    out
}

fn split_speaker(line: &str) -> (Speaker, &str) {
    if let Some((head, rest)) = line.split_once(':') {
        let h = head.trim().to_ascii_lowercase();
        let sp = match h.as_str() {
            "therapist" | "t" | "clinician" | "counselor" | "counsellor" | "provider" => {
                Some(Speaker::Therapist)
            }
            "client" | "c" | "patient" | "p" => Some(Speaker::Client),
            _ => None,
        };
        if let Some(sp) = sp {
            return (sp, rest.trim());
        }
    }
    (Speaker::Unknown, line)
}

/// Splits prose into sentences (on `.`, `!`, `?` followed by space and a capital, digit or
/// quote; not after common abbreviations or inside numbers like 3.5).
pub fn split_sentences(text: &str) -> Vec<String> {
    const ABBREV: &[&str] = &[
        "dr", "mr", "mrs", "ms", "e.g", "i.e", "vs", "etc", "approx", "st", "no", "pt", "hx", "dx",
    ];
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' && i + 1 < chars.len() && chars[i + 1] == '\n' {
            push_sentence(&mut out, &mut cur);
            i += 1;
            continue;
        }
        cur.push(if c == '\n' { ' ' } else { c });
        if matches!(c, '.' | '!' | '?') {
            let next = chars.get(i + 1).copied();
            let after = chars[i + 1..].iter().copied().find(|c| !c.is_whitespace());
            let boundary = match (next, after) {
                (None, _) => true,
                (Some(n), Some(a)) if n.is_whitespace() => {
                    a.is_uppercase() || a.is_ascii_digit() || a == '"' || a == '\''
                }
                (Some(n), None) if n.is_whitespace() => true,
                _ => false,
            };
            let word: String = cur
                .trim_end_matches(['.', '!', '?'])
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if boundary && !(c == '.' && ABBREV.contains(&word.as_str())) {
                push_sentence(&mut out, &mut cur);
            }
        }
        i += 1;
    }
    push_sentence(&mut out, &mut cur);
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let s = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().any(|c| c.is_alphanumeric()) {
        out.push(s);
    }
    cur.clear();
}

/// A segment with only id, speaker and text set (unit tests of the drafting modules).
#[cfg(test)]
pub(crate) fn test_segment(id: u32, speaker: Speaker, text: &str) -> Segment {
    Segment {
        id,
        start: 0.0,
        end: 0.0,
        speaker,
        text: text.into(),
        avg_logprob: 0.0,
        no_speech_prob: 0.0,
    }
}

/// A session of such segments, numbered from 0 (unit tests of the drafting modules).
#[cfg(test)]
pub(crate) fn test_session(lines: &[(Speaker, &str)]) -> DraftInput {
    DraftInput {
        kind: InputKind::Session,
        segments: lines
            .iter()
            .enumerate()
            .map(|(i, (sp, t))| test_segment(i as u32, *sp, t))
            .collect(),
        client: ChartContext::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_sensibly() {
        let s = split_sentences(
            "Client slept 5.5 hours. Dr. Lee referred her! Next session Tuesday.\n\nPHQ-9 was 17",
        );
        assert_eq!(
            s,
            vec![
                "Client slept 5.5 hours.",
                "Dr. Lee referred her!",
                "Next session Tuesday.",
                "PHQ-9 was 17"
            ]
        );
    }

    #[test]
    fn plain_transcript_lines_with_prefixes() {
        let inp = DraftInput::from_transcript_text(
            "Therapist: How was your week?\n\nClient: Rough.\nSomething else\n",
            ChartContext::default(),
        )
        .unwrap();
        assert_eq!(inp.segments.len(), 3);
        assert_eq!(inp.segments[0].speaker, Speaker::Therapist);
        assert_eq!(inp.segments[1].speaker, Speaker::Client);
        assert_eq!(inp.segments[1].text, "Rough.");
        assert_eq!(inp.segments[2].speaker, Speaker::Unknown);
        assert_eq!(inp.segments[2].id, 2);
    }

    #[test]
    fn transcribe_json_is_read() {
        let j = r#"{"model":"m","audio_seconds":3.0,"segments":[{"id":4,"start":0.0,"end":1.5,"speaker":"client","text":"Hi","avg_logprob":-0.2,"no_speech_prob":0.01}],"text":"Hi"}"#;
        let inp = DraftInput::from_transcript_text(j, ChartContext::default()).unwrap();
        assert_eq!(inp.segments[0].id, 4);
        assert_eq!(inp.segments[0].speaker, Speaker::Client);
        assert!(matches!(
            DraftInput::from_transcript_text("  \n", ChartContext::default()),
            Err(InputError::Empty)
        ));
        let dup = r#"[{"id":1,"text":"a"},{"id":1,"text":"b"}]"#;
        let r = DraftInput::from_transcript_text(dup, ChartContext::default());
        assert!(matches!(r, Err(InputError::DuplicateId(1))), "{r:?}");
    }

    #[test]
    fn chart_context_reads_eval_client_object() {
        let c: ChartContext = serde_json::from_str(
            r#"{"name":"A B","date_of_birth":"1990-01-01","presenting_problems":["x"],"goals":[{"id":"g1","text":"t"}],"extra":1}"#,
        )
        .unwrap();
        assert_eq!(c.goals[0].id, "g1");
    }
}
