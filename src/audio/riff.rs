//! A check of the format chunk of RIFF/WAVE and AIFF files before symphonia reads them:
//! symphonia's WAV and AIFF readers multiply header fields in 16 bits (a file claiming 65535
//! channels overflows them), so fields outside what real audio uses are refused here first.

use std::io::Read;
use std::path::Path;

/// The most channels a WAV file may declare (symphonia maps at most 32 positions anyway).
pub const MAX_CHANNELS: u16 = 32;

/// How much of the file is searched for the format chunk.
const HEAD: usize = 64 * 1024;

/// Why a WAV format chunk was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RiffError {
    #[error("the WAV format chunk declares {0} channels (1..{MAX_CHANNELS} are accepted)")]
    Channels(u16),
    #[error("the WAV format chunk declares {0} bits per sample")]
    Bits(u16),
    #[error("the WAV format chunk declares a block size of 0 bytes")]
    BlockAlign,
    #[error("the WAV format chunk is {0} bytes long, too short for its fields")]
    ShortFormat(u32),
}

/// Checks the format chunk of a RIFF/WAVE or AIFF file; anything else (or a file whose format
/// chunk is not in its first 64 KiB) passes unchecked, for the decoders to judge.
pub fn check_file(path: &Path) -> Result<(), RiffError> {
    let mut head = Vec::with_capacity(HEAD);
    let read = std::fs::File::open(path).and_then(|f| f.take(HEAD as u64).read_to_end(&mut head));
    if read.is_err() {
        return Ok(()); // the decoder reports unreadable files
    }
    check(&head)
}

/// [`check_file`] on the first bytes of a file.
pub fn check(head: &[u8]) -> Result<(), RiffError> {
    if head.len() >= 12 && &head[..4] == b"FORM" && matches!(&head[8..12], b"AIFF" | b"AIFC") {
        return check_aiff(head);
    }
    if head.len() < 12 || &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Ok(());
    }
    let mut pos = 12usize;
    while let Some(h) = head.get(pos..pos + 8) {
        let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        // Every format chunk: a file may hold several, and the reader keeps the last.
        if &h[..4] == b"fmt " {
            check_fmt(&head[pos + 8..], len)?;
        }
        pos = pos
            .saturating_add(8)
            .saturating_add(len as usize)
            .saturating_add(len as usize & 1);
    }
    Ok(())
}

/// AIFF: big-endian chunks; the `COMM` chunk starts with the channel count.
fn check_aiff(head: &[u8]) -> Result<(), RiffError> {
    let mut pos = 12usize;
    while let Some(h) = head.get(pos..pos + 8) {
        let len = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
        if &h[..4] == b"COMM" {
            let Some(c) = head.get(pos + 8..pos + 10) else {
                break;
            };
            let channels = u16::from_be_bytes([c[0], c[1]]);
            if !(1..=MAX_CHANNELS).contains(&channels) {
                return Err(RiffError::Channels(channels));
            }
        }
        pos = pos
            .saturating_add(8)
            .saturating_add(len as usize)
            .saturating_add(len as usize & 1);
    }
    Ok(())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn check_fmt(body: &[u8], len: u32) -> Result<(), RiffError> {
    if len < 16 {
        return Err(RiffError::ShortFormat(len));
    }
    let (Some(tag), Some(channels), Some(block_align), Some(bits)) = (
        u16_at(body, 0),
        u16_at(body, 2),
        u16_at(body, 12),
        u16_at(body, 14),
    ) else {
        return Ok(()); // truncated: the decoder reports it
    };
    if !(1..=MAX_CHANNELS).contains(&channels) {
        return Err(RiffError::Channels(channels));
    }
    if block_align == 0 {
        return Err(RiffError::BlockAlign);
    }
    // ADPCM (2, 0x11) is 4-bit; every other format whole bytes up to 64 bits.
    let bits_ok = match tag {
        0x0002 | 0x0011 => bits == 4,
        _ => bits > 0 && bits <= 64 && bits % 8 == 0,
    };
    if !bits_ok {
        return Err(RiffError::Bits(bits));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(channels: u16, block: u16, bits: u16) -> Vec<u8> {
        let mut w = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00".to_vec();
        w.extend_from_slice(&channels.to_le_bytes());
        w.extend_from_slice(&16_000u32.to_le_bytes());
        w.extend_from_slice(&32_000u32.to_le_bytes());
        w.extend_from_slice(&block.to_le_bytes());
        w.extend_from_slice(&bits.to_le_bytes());
        w.extend_from_slice(b"data\x00\x00\x00\x00");
        w
    }

    #[test]
    fn real_formats_pass_and_absurd_ones_are_refused() {
        assert_eq!(check(&wav(2, 4, 16)), Ok(()));
        assert_eq!(check(b"not a wav"), Ok(()));
        assert_eq!(
            check(&wav(u16::MAX, 4, 16)),
            Err(RiffError::Channels(u16::MAX))
        );
        assert_eq!(check(&wav(0, 4, 16)), Err(RiffError::Channels(0)));
        assert_eq!(check(&wav(1, 0, 16)), Err(RiffError::BlockAlign));
        assert_eq!(check(&wav(1, 2, 12)), Err(RiffError::Bits(12)));
        // A second format chunk (the reader keeps the last) is checked too.
        let good = wav(2, 4, 16);
        let mut two = good[..36].to_vec();
        two.extend_from_slice(&wav(u16::MAX, 4, 16)[12..]);
        assert_eq!(check(&two), Err(RiffError::Channels(u16::MAX)));
        let aiff = |ch: u16| {
            let mut a = b"FORM\x00\x00\x00\x2eAIFFCOMM\x00\x00\x00\x12".to_vec();
            a.extend_from_slice(&ch.to_be_bytes());
            a.extend_from_slice(&[0; 16]);
            a
        };
        assert_eq!(check(&aiff(2)), Ok(()));
        assert_eq!(check(&aiff(0x8000)), Err(RiffError::Channels(0x8000)));
    }
}
