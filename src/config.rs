//! Configuration: global options shared by every subcommand, settable by flag, by `NOTED_*`
//! environment variable, or by a TOML config file (flag > environment > file > default).

use std::path::{Path, PathBuf};

use clap::Args;

/// Options every subcommand understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Data directory: the chart database, audio awaiting transcription, logs.
    /// Default: the per-user data directory (e.g. ~/.local/share/noted).
    #[arg(long, env = "NOTED_DATA", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Models directory, shareable between data directories. Default: <data dir>/models.
    #[arg(long, env = "NOTED_MODELS", global = true)]
    pub models_dir: Option<PathBuf>,

    /// Config file (TOML; each key is an environment variable without its `NOTED_` prefix,
    /// e.g. `bind = "127.0.0.1:8080"`, `data = "/srv/noted"`).
    /// Default: <config dir>/noted/config.toml when it exists.
    #[arg(long, env = "NOTED_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// The data key file (64 hex digits, mode 0600), created on first start when missing.
    /// `NOTED_DATA_KEY` (the key itself) or a systemd credential `noted-data-key` take
    /// precedence. Default: <data dir>/data.key.
    #[arg(long, env = "NOTED_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,

    /// The chart database: `sqlite://` (the default: the data directory's noted.db),
    /// `sqlite://PATH` (another SQLite file, its keys beside it) or `postgres://...`
    /// (PostgreSQL; the data key, audit key and audio stay in the data directory).
    #[arg(
        long,
        env = "NOTED_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Where recordings' audio is kept between upload and transcription: the data directory
    /// (the default), `s3://BUCKET/PREFIX` (an S3-compatible store; endpoint, region and
    /// credentials from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_ALLOW_HTTP) or `file:///DIR` (a directory every machine
    /// mounts). Audio is sealed under the data key before it leaves the process.
    #[arg(long, env = "NOTED_AUDIO_STORE", global = true)]
    pub audio_store: Option<String>,

    /// Mark where two people speak at once in session recordings (pyannote segmentation, when
    /// installed with the speaker model). It adds about a quarter to the diarization's time (3 %
    /// of the transcription's, 2 cores): `false` skips it and diarizes as before.
    #[arg(
        long,
        env = "NOTED_OVERLAPS",
        global = true,
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_name = "BOOL"
    )]
    pub overlaps: bool,
}

impl GlobalOpts {
    /// The data directory, created on demand by the callers that write to it.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }

    /// The models directory.
    pub fn models_dir(&self) -> PathBuf {
        self.models_dir
            .clone()
            .unwrap_or_else(|| self.data_dir().join("models"))
    }

    /// Where downloaded wheels and other re-fetchable files are cached.
    pub fn cache_dir(&self) -> PathBuf {
        if let Ok(dir) = std::env::var("NOTED_CACHE") {
            return PathBuf::from(dir);
        }
        directories::ProjectDirs::from("", "", "noted")
            .map(|d| d.cache_dir().to_path_buf())
            .unwrap_or_else(|| self.data_dir().join("cache"))
    }
}

/// The per-user data directory, or `./noted-data` when the platform has none.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "noted")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("noted-data"))
}

/// Where `noted demo` keeps its practice unless told otherwise: next to the default data
/// directory, as `<name>-demo` (e.g. ~/.local/share/noted-demo), so that the demo account and
/// its published password never land in the database `noted serve` uses.
pub fn default_demo_data_dir() -> PathBuf {
    let d = default_data_dir();
    let name = d
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "noted".into());
    d.with_file_name(format!("{name}-demo"))
}

impl GlobalOpts {
    /// The options `noted demo` runs with: its own data directory unless `--data-dir` /
    /// `NOTED_DATA` names one, and the models of the regular data directory (models hold no
    /// chart data, and are large) unless `--models-dir` names others.
    pub fn for_demo(&self) -> GlobalOpts {
        let mut d = self.clone();
        if d.data_dir.is_none() {
            d.models_dir = Some(self.models_dir());
            d.data_dir = Some(default_demo_data_dir());
        }
        d
    }
}

/// Errors reading the config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid TOML: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("config file {path}: key `{key}` must be a string, number or boolean")]
    Value { path: PathBuf, key: String },
}

/// Finds the config file (`--config`/`NOTED_CONFIG`, else the default location) from the raw
/// arguments and exports each of its keys as `NOTED_<KEY>` unless that variable is already
/// set, so that clap's `env` handling applies the file with the right precedence.
pub fn apply_config_file(args: &[String]) -> Result<Option<PathBuf>, ConfigError> {
    let explicit = args
        .iter()
        .position(|a| a == "--config")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--config=").map(str::to_string))
        })
        .or_else(|| std::env::var("NOTED_CONFIG").ok())
        .map(PathBuf::from);
    let path = match explicit {
        Some(p) => p,
        None => match directories::ProjectDirs::from("", "", "noted") {
            Some(d) if d.config_dir().join("config.toml").exists() => {
                d.config_dir().join("config.toml")
            }
            _ => return Ok(None),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    for (key, value) in parse_config(&path, &text)? {
        if std::env::var_os(&key).is_none() {
            std::env::set_var(key, value);
        }
    }
    Ok(Some(path))
}

/// Turns a config file into `(NOTED_KEY, value)` pairs.
pub fn parse_config(path: &Path, text: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|source| ConfigError::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (key, value) in table {
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => {
                return Err(ConfigError::Value {
                    path: path.to_path_buf(),
                    key,
                })
            }
        };
        let env = format!("NOTED_{}", key.replace('-', "_").to_ascii_uppercase());
        out.push((env, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_its_own_data_directory() {
        let g = GlobalOpts {
            data_dir: None,
            models_dir: None,
            config: None,
            key_file: None,
            database_url: None,
            audio_store: None,
            overlaps: true,
        };
        let d = g.for_demo();
        assert_ne!(d.data_dir(), g.data_dir());
        assert_eq!(d.data_dir(), default_demo_data_dir());
        assert_eq!(d.models_dir(), g.models_dir());
        let told = GlobalOpts {
            data_dir: Some(PathBuf::from("/srv/x")),
            ..g
        };
        assert_eq!(told.for_demo().data_dir(), PathBuf::from("/srv/x"));
    }

    #[test]
    fn config_keys_become_env_names() {
        let pairs = parse_config(
            Path::new("x.toml"),
            "bind = \"0.0.0.0:9000\"\ndata = \"/srv/noted\"\nthreads = 4\n",
        )
        .unwrap();
        assert!(pairs.contains(&("NOTED_BIND".into(), "0.0.0.0:9000".into())));
        assert!(pairs.contains(&("NOTED_DATA".into(), "/srv/noted".into())));
        assert!(pairs.contains(&("NOTED_THREADS".into(), "4".into())));
    }

    #[test]
    fn nested_tables_are_refused() {
        let err = parse_config(Path::new("x.toml"), "[server]\nbind = 1\n").unwrap_err();
        assert!(err.to_string().contains("server"));
    }
}
