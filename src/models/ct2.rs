//! Reader for CTranslate2 `model.bin` files (binary versions 2..6): the variables (name, shape,
//! dtype, bytes borrowed from the file) and aliases.

use std::collections::HashMap;

/// Element types of CTranslate2 variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Dtype {
    fn from_code(c: u8) -> Option<Dtype> {
        Some(match c {
            0 => Dtype::F32,
            1 => Dtype::I8,
            2 => Dtype::I16,
            3 => Dtype::I32,
            4 => Dtype::F16,
            5 => Dtype::Bf16,
            _ => return None,
        })
    }

    /// The code used in the file.
    pub fn code(self) -> u8 {
        match self {
            Dtype::F32 => 0,
            Dtype::I8 => 1,
            Dtype::I16 => 2,
            Dtype::I32 => 3,
            Dtype::F16 => 4,
            Dtype::Bf16 => 5,
        }
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Dtype::I8 => 1,
            Dtype::I16 | Dtype::F16 | Dtype::Bf16 => 2,
            Dtype::F32 | Dtype::I32 => 4,
        }
    }
}

/// Errors reading a CTranslate2 file.
#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    #[error("CTranslate2 model is truncated (at byte {0})")]
    Truncated(usize),
    #[error("unsupported CTranslate2 binary version {0} (expected 2..6)")]
    Version(u32),
    #[error("CTranslate2 variable `{name}` has unknown dtype code {code}")]
    Dtype { name: String, code: u8 },
    #[error("CTranslate2 variable `{name}` holds {nbytes} bytes, its shape {dims:?} needs {want}")]
    Size {
        name: String,
        dims: Vec<usize>,
        nbytes: usize,
        want: usize,
    },
    #[error("CTranslate2 name is not UTF-8")]
    Utf8,
}

/// One variable: row-major dims (like numpy's shape) and the raw little-endian bytes.
#[derive(Debug, Clone)]
pub struct Var<'a> {
    pub name: String,
    pub dims: Vec<usize>,
    pub dtype: Dtype,
    pub data: &'a [u8],
}

impl Var<'_> {
    /// Number of elements.
    pub fn numel(&self) -> usize {
        self.dims.iter().product()
    }

    /// Element `i` as f32 (floats; integers are converted).
    pub fn get_f32(&self, i: usize) -> f32 {
        let s = self.dtype.size();
        let b = &self.data[i * s..i * s + s];
        match self.dtype {
            Dtype::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            Dtype::F16 => half::f16::from_le_bytes([b[0], b[1]]).to_f32(),
            Dtype::Bf16 => half::bf16::from_le_bytes([b[0], b[1]]).to_f32(),
            Dtype::I8 => b[0] as i8 as f32,
            Dtype::I16 => i16::from_le_bytes([b[0], b[1]]) as f32,
            Dtype::I32 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32,
        }
    }

    /// A scalar (rank 0 or a single element) as an integer.
    pub fn scalar_i64(&self) -> Option<i64> {
        if self.numel() != 1 {
            return None;
        }
        let b = self.data;
        Some(match self.dtype {
            Dtype::I8 => b[0] as i8 as i64,
            Dtype::I16 => i16::from_le_bytes([b[0], b[1]]) as i64,
            Dtype::I32 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
            _ => self.get_f32(0) as i64,
        })
    }
}

/// A parsed model.bin.
#[derive(Debug)]
pub struct Ct2Model<'a> {
    pub version: u32,
    pub spec: String,
    pub revision: u32,
    pub vars: Vec<Var<'a>>,
    pub aliases: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl<'a> Ct2Model<'a> {
    /// A variable by name, following aliases.
    pub fn get(&self, name: &str) -> Option<&Var<'a>> {
        if let Some(&i) = self.index.get(name) {
            return Some(&self.vars[i]);
        }
        let target = self.aliases.iter().find(|(a, _)| a == name)?;
        self.index.get(&target.1).map(|&i| &self.vars[i])
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Ct2Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(Ct2Error::Truncated(self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, Ct2Error> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, Ct2Error> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, Ct2Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> Result<String, Ct2Error> {
        let n = self.u16()? as usize;
        let b = self.take(n)?;
        let b = b.strip_suffix(&[0]).unwrap_or(b);
        String::from_utf8(b.to_vec()).map_err(|_| Ct2Error::Utf8)
    }
}

/// Parses a CTranslate2 model.bin held in memory (e.g. a memory map).
pub fn parse(bytes: &[u8]) -> Result<Ct2Model<'_>, Ct2Error> {
    let mut c = Cursor { b: bytes, pos: 0 };
    let version = c.u32()?;
    if !(2..=6).contains(&version) {
        return Err(Ct2Error::Version(version));
    }
    let spec = c.string()?;
    let revision = c.u32()?;
    let n = c.u32()? as usize;
    // Each variable takes at least 8 bytes (name length, rank, dtype, byte count): a count
    // past what the file can hold does not size the vector.
    let mut vars = Vec::with_capacity(n.min(bytes.len() / 8));
    let mut index = HashMap::new();
    for _ in 0..n {
        let name = c.string()?;
        let rank = c.u8()? as usize;
        let mut dims = Vec::with_capacity(rank);
        for _ in 0..rank {
            dims.push(c.u32()? as usize);
        }
        let code = c.u8()?;
        let dtype = Dtype::from_code(code).ok_or_else(|| Ct2Error::Dtype {
            name: name.clone(),
            code,
        })?;
        let nbytes = c.u32()? as usize;
        // Dims multiplying past usize cannot match any byte count: refused, not overflowed.
        let want = dims
            .iter()
            .try_fold(dtype.size(), |n, &d| n.checked_mul(d))
            .unwrap_or(usize::MAX);
        if nbytes != want {
            return Err(Ct2Error::Size {
                name,
                dims,
                nbytes,
                want,
            });
        }
        let data = c.take(nbytes)?;
        index.insert(name.clone(), vars.len());
        vars.push(Var {
            name,
            dims,
            dtype,
            data,
        });
    }
    let mut aliases = Vec::new();
    if version >= 3 || c.pos < bytes.len() {
        let na = c.u32()? as usize;
        for _ in 0..na {
            let a = c.string()?;
            let b = c.string()?;
            aliases.push((a, b));
        }
    }
    Ok(Ct2Model {
        version,
        spec,
        revision,
        vars,
        aliases,
        index,
    })
}

/// Writes a CTranslate2 model.bin (version 6) from variables; used by tests to build
/// synthetic models.
pub fn write(
    spec: &str,
    vars: &[(&str, &[usize], Dtype, Vec<u8>)],
    aliases: &[(&str, &str)],
) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&6u32.to_le_bytes());
    string(&mut out, spec);
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
    for (name, dims, dtype, data) in vars {
        string(&mut out, name);
        out.push(dims.len() as u8);
        for d in *dims {
            out.extend_from_slice(&(*d as u32).to_le_bytes());
        }
        out.push(dtype.code());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
    for (a, b) in aliases {
        string(&mut out, a);
        string(&mut out, b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation() {
        let bytes = write(
            "WhisperSpec",
            &[
                (
                    "encoder/num_heads",
                    &[],
                    Dtype::I32,
                    6i32.to_le_bytes().to_vec(),
                ),
                (
                    "w",
                    &[2, 2],
                    Dtype::F32,
                    [1f32, 2., 3., 4.]
                        .iter()
                        .flat_map(|x| x.to_le_bytes())
                        .collect(),
                ),
            ],
            &[("alias", "w")],
        );
        let m = parse(&bytes).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        assert_eq!(m.get("encoder/num_heads").unwrap().scalar_i64(), Some(6));
        assert_eq!(m.get("alias").unwrap().get_f32(3), 4.0);
        let e = parse(&bytes[..bytes.len() - 20]).unwrap_err();
        assert!(matches!(e, Ct2Error::Truncated(_)), "{e}");
    }
}
