//! The store of sealed files, on a local folder and on a real S3 server: a
//! file streams in, is kept under its hash and opens to itself; the store
//! holds only ciphertext; a refused file leaves nothing behind.

mod support;

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use yici_materials::Refusal;
use yici_materials::envelope::MasterKey;
use yici_service::materials::{Blobs, Refused};

fn chunks(
    bytes: &[u8],
    size: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, String>> + Unpin {
    let parts: Vec<Result<Bytes, String>> = bytes
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(parts)
}

/// Every file under `dir`, recursively, with its bytes.
fn files_in(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_in(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).expect("read")));
        }
    }
    out
}

fn a_jpeg(len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    bytes.extend((0..len).map(|i| (i % 253) as u8));
    bytes
}

/// The whole content of a kept file, opened.
async fn opened(blobs: &Blobs, sha256: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stream = blobs.open(sha256).await.expect("opens");
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.expect("chunk"));
    }
    out
}

both_stores!(
    a_file_is_kept_sealed_under_its_hash_and_opens_to_itself,
    |blobs: Blobs| async move {
        // Over one multipart part (5 MiB), in small chunks.
        let jpeg = a_jpeg(6 * 1024 * 1024);
        let staged = blobs
            .stage(chunks(&jpeg, 70_000), 20 << 20)
            .await
            .unwrap_or_else(|e| panic!("staged: {e:?}"));
        assert_eq!(staged.scanned.size, jpeg.len() as u64);
        blobs.keep(&staged).await.expect("kept");
        let sha = staged.scanned.sha256.clone();
        assert_eq!(
            blobs.keys().await.expect("keys"),
            vec![format!("files/{sha}")]
        );
        assert_eq!(opened(&blobs, &sha).await, jpeg);
        // The same content again is kept once.
        let again = blobs
            .stage(chunks(&jpeg, 1 << 20), 20 << 20)
            .await
            .expect("staged");
        blobs.keep(&again).await.expect("kept");
        assert_eq!(blobs.keys().await.expect("keys").len(), 1);
        blobs.delete(&sha).await.expect("deleted");
        assert!(blobs.keys().await.expect("keys").is_empty());
    }
);

both_stores!(
    a_refused_file_leaves_nothing_behind,
    |blobs: Blobs| async move {
        let refused = blobs
            .stage(chunks(b"<html>not a document</html>", 4), 1 << 20)
            .await;
        assert!(
            matches!(refused, Err(Refused::File(Refusal::Unsupported))),
            "{refused:?}"
        );
        let too_big = blobs.stage(chunks(&a_jpeg(5_000), 1000), 4_000).await;
        assert!(
            matches!(
                too_big,
                Err(Refused::File(Refusal::TooLarge { limit: 4_000 }))
            ),
            "{too_big:?}"
        );
        assert!(blobs.keys().await.expect("keys").is_empty());
    }
);

#[tokio::test]
async fn the_folder_holds_ciphertext_only() {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = Blobs::folder(dir.path(), MasterKey::from_bytes([9; 32])).expect("blobs");
    let jpeg = a_jpeg(200_000);
    let staged = blobs
        .stage(chunks(&jpeg, 7_000), 1 << 20)
        .await
        .expect("staged");
    blobs.keep(&staged).await.expect("kept");
    let kept = files_in(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        !kept[0].1.windows(64).any(|w| w == &jpeg[1000..1064]),
        "no plaintext on disk"
    );
}

#[tokio::test]
async fn a_kept_file_changed_on_disk_does_not_open() {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = Blobs::folder(dir.path(), MasterKey::from_bytes([9; 32])).expect("blobs");
    let staged = blobs
        .stage(chunks(&a_jpeg(100_000), 9_000), 1 << 20)
        .await
        .expect("staged");
    blobs.keep(&staged).await.expect("kept");
    let (path, mut bytes) = files_in(dir.path()).remove(0);
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, bytes).expect("tamper");
    let mut stream = blobs.open(&staged.scanned.sha256).await.expect("opens");
    let mut failed = false;
    while let Some(chunk) = stream.next().await {
        failed |= chunk.is_err();
    }
    assert!(failed, "a changed file must end in an error");
}
