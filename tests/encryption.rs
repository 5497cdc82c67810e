//! Encryption at rest: the data key (created private, read from a file, the environment or a
//! systemd credential), the SQLCipher database (unreadable without its key, a clear error with
//! the wrong one or none), and `noted encrypt` for a data directory from before encryption.
//! The CLI is run through its binary, as an operator runs it.

use std::path::Path;
use std::process::{Command, Output};

use noted::crypto::sealed::{self, AUDIO_MAGIC};
use noted::crypto::{plain::PlainView, DataKey};
use noted::store::{Store, StoreError, SQLITE_HEADER};
use sqlx::Connection;

fn noted(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    // An empty config file of its own, so that no operator's config applies.
    let config = data.with_extension("toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    let mut c = Command::new(env!("CARGO_BIN_EXE_noted"));
    c.args(args)
        .env("NOTED_DATA", data)
        .env("NOTED_CONFIG", data.with_extension("toml"))
        .env_remove("NOTED_KEY_FILE")
        .env_remove("NOTED_DATA_KEY")
        .env_remove("CREDENTIALS_DIRECTORY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run the noted binary")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn head(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()[..16].to_vec()
}

#[tokio::test]
async fn a_new_data_directory_gets_a_private_key_and_an_unreadable_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = noted(&data, &["init"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Keep a copy"));
    let key_path = data.join("data.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The database is created under that key.
    let store = Store::open_in_dir(&data).await.unwrap();
    sqlx::query("CREATE TABLE IF NOT EXISTS probe (v TEXT)")
        .execute(store.sqlite_pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO probe VALUES ('PLAINTEXT-MARKER-123')")
        .execute(store.sqlite_pool())
        .await
        .unwrap();
    store.close().await;
    let db = data.join("noted.db");
    assert_ne!(head(&db), SQLITE_HEADER.to_vec());
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.windows(20).any(|w| w == b"PLAINTEXT-MARKER-123"));
    // Plain SQLite (no key) cannot read it.
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&db);
    let plain = async {
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await?;
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sqlite_master")
            .fetch_one(&mut c)
            .await
    }
    .await;
    assert!(plain.is_err(), "read without the key: {plain:?}");

    // A wrong key: a clear error from the library and from the binary, no panic.
    let wrong = dir.path().join("wrong.key");
    noted::crypto::key::write_key_file(&wrong, &[5; 32]).unwrap();
    let e = Store::open_in_dir_with_key_file(&data, Some(&wrong))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::WrongKey { .. }), "{e}");
    assert!(e.to_string().contains("the key is wrong"), "{e}");
    let out = noted(
        &data,
        &["--key-file", wrong.to_str().unwrap(), "audit", "verify"],
        &[],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the key is wrong"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let out = noted(
        &data,
        &["audit", "verify"],
        &[("NOTED_DATA_KEY", &"ab".repeat(32))],
    );
    assert!(
        stderr(&out).contains("the key is wrong"),
        "{}",
        stderr(&out)
    );
    let out = noted(
        &data,
        &["audit", "verify"],
        &[("NOTED_DATA_KEY", "not-a-key")],
    );
    assert!(
        stderr(&out).contains("does not hold a data key"),
        "{}",
        stderr(&out)
    );

    // The right key from the environment, and from a systemd credential.
    let hex = std::fs::read_to_string(&key_path).unwrap();
    let out = noted(
        &data,
        &["audit", "verify"],
        &[("NOTED_DATA_KEY", hex.trim())],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let creds = dir.path().join("creds");
    std::fs::create_dir(&creds).unwrap();
    std::fs::write(creds.join("noted-data-key"), &hex).unwrap();
    std::fs::rename(&key_path, dir.path().join("moved.key")).unwrap();
    let out = noted(
        &data,
        &["audit", "verify"],
        &[("CREDENTIALS_DIRECTORY", creds.to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // No key at all: refused with what to do, and no new key or empty database is made.
    let out = noted(&data, &["audit", "verify"], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no data key"), "{}", stderr(&out));
    assert!(!key_path.exists());
    assert_eq!(std::fs::read(&db).unwrap().len(), bytes.len());
}

#[tokio::test]
async fn a_plaintext_data_directory_is_refused_until_noted_encrypt_converts_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("audio")).unwrap();
    // A database as Noted made it before encryption: plain SQLite, all migrations.
    let db = data.join("noted.db");
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("CREATE TEMP TABLE audit_key (k TEXT NOT NULL)")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .unwrap();
        noted::store::MIGRATOR.run(&pool).await.unwrap();
        pool.close().await;
    }
    assert_eq!(head(&db), SQLITE_HEADER.to_vec());
    let wav: Vec<u8> = (0..100_000u32).map(|i| (i % 200) as u8).collect();
    let audio = data.join("audio/rec-old.wav");
    std::fs::write(&audio, &wav).unwrap();

    let out = noted(&data, &["audit", "verify"], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("noted encrypt"), "{}", stderr(&out));
    assert_eq!(
        head(&db),
        SQLITE_HEADER.to_vec(),
        "refusing changes nothing"
    );

    let out = noted(&data, &["encrypt"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("1 audio files sealed"), "{said}");
    assert_ne!(head(&db), SQLITE_HEADER.to_vec());
    assert_eq!(
        head(&data.join("noted.db.unencrypted")),
        SQLITE_HEADER.to_vec()
    );
    let out = noted(&data, &["audit", "verify"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let key = DataKey::load_existing(&data, None).unwrap();
    let store = Store::open_in_dir(&data).await.unwrap();
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(store.sqlite_pool())
        .await
        .unwrap();
    assert_eq!(migrations as usize, noted::store::MIGRATOR.iter().count());
    store.close().await;
    assert!(sealed::is_sealed(&audio, AUDIO_MAGIC).unwrap());
    assert_eq!(
        std::fs::read(PlainView::open(&audio, &key).unwrap().path()).unwrap(),
        wav
    );
    // Running it again is refused: the database is encrypted already.
    let out = noted(&data, &["encrypt"], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("already encrypted"),
        "{}",
        stderr(&out)
    );
}
