//! `noted init` (create the data key) and `noted encrypt` (encrypt a data directory from
//! before encryption at rest).

use crate::config::GlobalOpts;
use crate::crypto::{DataKey, KeySource};
use crate::store::encrypt;

fn keep_it(key: &DataKey) {
    if let KeySource::File(p) = key.source() {
        println!(
            "Keep a copy of {} somewhere other than this machine (a password manager, a USB \
             stick in a safe): without it neither the database, nor kept audio, nor any backup \
             can be read by anyone.",
            p.display()
        );
    }
}

/// `noted init`: creates the data directory and its data key, or says where the key is.
pub async fn run_init(g: &GlobalOpts) -> anyhow::Result<()> {
    let dir = g.data_dir();
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let (key, created) = DataKey::load_or_create(&dir, g.key_file.as_deref())?;
    if created {
        println!("created the data key: {} (id {})", key.source(), key.id());
    } else {
        println!("the data key is {} (id {})", key.source(), key.id());
    }
    keep_it(&key);
    Ok(())
}

/// `noted encrypt`: see [`crate::store::encrypt`].
pub async fn run_encrypt(g: &GlobalOpts) -> anyhow::Result<()> {
    super::database(g)?.require_sqlite("noted encrypt", encrypt::ON_POSTGRES)?;
    let e = encrypt::encrypt_data_dir(&g.data_dir(), g.key_file.as_deref()).await?;
    if e.key_created {
        println!("created the data key: {}", e.key.source());
    }
    println!(
        "database encrypted ({} tables, {} rows, compared with the original); {} audio files \
         sealed.\nThe unencrypted database was kept as {}: once `noted serve` shows your charts, \
         delete it (e.g. `shred -u {}`).",
        e.tables,
        e.rows,
        e.audio_sealed,
        e.kept.display(),
        e.kept.display()
    );
    keep_it(&e.key);
    Ok(())
}
