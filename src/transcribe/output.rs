//! Transcript writers: JSON (the shared contract), plain text, SubRip (.srt) and WebVTT (.vtt).

use super::{Speaker, Transcript};

/// Output formats of `noted transcribe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Json,
    Txt,
    Srt,
    Vtt,
}

impl Transcript {
    /// `{"model","audio_seconds","elapsed_seconds","segments":[...],"text"}`, pretty-printed;
    /// diarized sessions add `"speakers"` (how roles were attributed, see
    /// [`crate::diarize::SpeakerAttribution`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("transcript serializes")
    }

    /// One segment per line, led by its speaker when known (`Therapist: ...`, `Client: ...`:
    /// the plain transcript form `noted draft --transcript` reads back).
    pub fn to_txt(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            match s.speaker {
                Speaker::Therapist => out.push_str("Therapist: "),
                Speaker::Client => out.push_str("Client: "),
                Speaker::Unknown => {}
            }
            out.push_str(&s.text);
            out.push('\n');
        }
        out
    }

    /// SubRip subtitles.
    pub fn to_srt(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.segments.iter().enumerate() {
            out.push_str(&format!(
                "{}\n{} --> {}\n{}\n\n",
                i + 1,
                timestamp(s.start, ','),
                timestamp(s.end, ','),
                s.text
            ));
        }
        out
    }

    /// WebVTT subtitles; known speakers become voice tags.
    pub fn to_vtt(&self) -> String {
        let mut out = String::from("WEBVTT\n\n");
        for s in &self.segments {
            let voice = match s.speaker {
                Speaker::Therapist => "<v Therapist>",
                Speaker::Client => "<v Client>",
                Speaker::Unknown => "",
            };
            out.push_str(&format!(
                "{} --> {}\n{}{}\n\n",
                timestamp(s.start, '.'),
                timestamp(s.end, '.'),
                voice,
                s.text.replace("-->", "->")
            ));
        }
        out
    }

    /// The transcript in the given format.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json() + "\n",
            Format::Txt => self.to_txt(),
            Format::Srt => self.to_srt(),
            Format::Vtt => self.to_vtt(),
        }
    }
}

/// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT).
pub fn timestamp(seconds: f64, sep: char) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::super::Segment;
    use super::*;

    fn sample() -> Transcript {
        Transcript {
            model: "tiny".into(),
            audio_seconds: 3725.5,
            elapsed_seconds: 1.0,
            segments: vec![Segment {
                id: 0,
                start: 3723.25,
                end: 3725.5,
                speaker: Speaker::Therapist,
                text: "How was your week?".into(),
                avg_logprob: -0.2,
                no_speech_prob: 0.01,
            }],
            text: "How was your week?".into(),
            speakers: None,
        }
    }

    #[test]
    fn subtitle_formats() {
        let t = sample();
        assert_eq!(
            t.to_srt(),
            "1\n01:02:03,250 --> 01:02:05,500\nHow was your week?\n\n"
        );
        assert!(t
            .to_vtt()
            .starts_with("WEBVTT\n\n01:02:03.250 --> 01:02:05.500\n<v Therapist>How"));
        assert_eq!(t.to_txt(), "Therapist: How was your week?\n");
        let v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
        for k in [
            "model",
            "audio_seconds",
            "elapsed_seconds",
            "segments",
            "text",
        ] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert_eq!(v["segments"][0]["speaker"], "therapist");
    }
}
