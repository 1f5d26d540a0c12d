//! Where the sealed files are kept: an object store (`object_store`'s
//! local folder by default, an S3-compatible store for several servers),
//! every file sealed with the deployment's key (`yici_materials::envelope`)
//! and named by the SHA-256 of its content.
//!
//! A file streams in: each chunk is scanned, sealed and written to a
//! staging object as it arrives, so an upload is never held whole. When
//! the scan passes, the staged object becomes `files/{sha256}`; when it
//! fails, the staged object is deleted and nothing is kept.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use yici_materials::envelope::{HEADER, MasterKey, Opener, Randomness, Sealer};
use yici_materials::{Refusal, Scan, Scanned};

use crate::error::{Result, ServiceError};

/// Bytes of a multipart part on S3, whose smallest part is 5 MiB.
const S3_PART: usize = 5 * 1024 * 1024;

/// Bytes of a part written to a folder: small, so that an upload holds at
/// most a few MiB whatever the file's size (two parts in flight and one
/// filling).
const FOLDER_PART: usize = 1024 * 1024;

/// The deployment's store of sealed files.
#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    key: MasterKey,
    part: usize,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blobs")
            .field("store", &self.store.to_string())
            .field("key", &self.key)
            .finish()
    }
}

/// Where an S3-compatible store is and how to sign in to it.
#[derive(Clone)]
pub struct S3 {
    /// Its URL, e.g. `https://s3.example.gov.cn` or `http://127.0.0.1:8333`.
    pub endpoint: String,
    /// The bucket the files go in.
    pub bucket: String,
    /// Region (many self-hosted servers take any, e.g. `us-east-1`).
    pub region: String,
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("S3")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .finish_non_exhaustive()
    }
}

/// A file streamed in and staged, scanned but not yet kept.
#[derive(Debug)]
pub struct Staged {
    path: Path,
    /// What the scan found.
    pub scanned: Scanned,
}

/// Why a file streamed in was not staged.
#[derive(Debug)]
pub enum Refused {
    /// A rule of the file refused it.
    File(Refusal),
    /// Reading the upload or writing the store failed.
    Failed(ServiceError),
}

impl From<ServiceError> for Refused {
    fn from(e: ServiceError) -> Self {
        Refused::Failed(e)
    }
}

fn store_error(e: object_store::Error) -> ServiceError {
    ServiceError::Internal(format!("document store: {e}"))
}

fn randomness() -> Result<Randomness> {
    let mut r = Randomness {
        data_key: [0; 32],
        wrap_nonce: [0; 12],
        stream_nonce: [0; 7],
    };
    getrandom::fill(&mut r.data_key).map_err(ServiceError::internal)?;
    getrandom::fill(&mut r.wrap_nonce).map_err(ServiceError::internal)?;
    getrandom::fill(&mut r.stream_nonce).map_err(ServiceError::internal)?;
    Ok(r)
}

/// Where a file of content `sha256` is kept.
fn kept(sha256: &str) -> Path {
    Path::from(format!("files/{sha256}"))
}

impl Blobs {
    /// The store `store`, sealing with `key`, written in parts of `part`
    /// bytes (at least S3's 5 MiB for an S3 store).
    fn new(store: Arc<dyn ObjectStore>, key: MasterKey, part: usize) -> Blobs {
        Blobs { store, key, part }
    }

    /// A folder of the local file system, created if missing.
    pub fn folder(dir: &std::path::Path, key: MasterKey) -> Result<Blobs> {
        std::fs::create_dir_all(dir).map_err(ServiceError::internal)?;
        let store =
            object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(store_error)?;
        Ok(Blobs::new(Arc::new(store), key, FOLDER_PART))
    }

    /// An S3-compatible object store (path-style addressing, as self-hosted
    /// servers expect), one bucket.
    pub fn s3(config: &S3, key: MasterKey) -> Result<Blobs> {
        let store = object_store::aws::AmazonS3Builder::new()
            .with_endpoint(&config.endpoint)
            .with_allow_http(config.endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false)
            .with_region(&config.region)
            .with_bucket_name(&config.bucket)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_retry(object_store::RetryConfig {
                max_retries: 3,
                retry_timeout: std::time::Duration::from_secs(30),
                ..Default::default()
            })
            .build()
            .map_err(store_error)?;
        Ok(Blobs::new(Arc::new(store), key, S3_PART))
    }

    /// Every key in the store (files and staging), for an operator's check
    /// and the tests.
    pub async fn keys(&self) -> Result<Vec<String>> {
        let mut listed = self.store.list(None);
        let mut out = Vec::new();
        while let Some(meta) = listed.next().await {
            out.push(meta.map_err(store_error)?.location.to_string());
        }
        out.sort();
        Ok(out)
    }

    /// Streams `body` in: scanned under `max_file_bytes`, sealed, written
    /// to a staging object. A refusal deletes what was staged.
    pub async fn stage<S, E>(&self, body: S, max_file_bytes: u64) -> Result<Staged, Refused>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = Path::from(format!("staging/{}", uuid::Uuid::now_v7()));
        let upload = self.store.put_multipart(&path).await.map_err(store_error)?;
        let mut out = WriteMultipart::new_with_chunk_size(upload, self.part);
        let (mut sealer, header) = Sealer::new(&self.key, randomness()?)
            .map_err(|e| Refused::Failed(ServiceError::internal(e)))?;
        out.write(&header);
        let mut scan = Scan::new(max_file_bytes);
        let mut body = body;
        let result: std::result::Result<(), Refused> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| {
                    Refused::Failed(ServiceError::invalid(
                        "file",
                        "upload",
                        format!("the upload broke off: {e}"),
                    ))
                })?;
                scan.feed(&chunk).map_err(Refused::File)?;
                let sealed = sealer
                    .push(&chunk)
                    .map_err(|e| Refused::Failed(ServiceError::internal(e)))?;
                out.wait_for_capacity(2).await.map_err(store_error)?;
                out.write(&sealed);
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            let _ = out.abort().await;
            return Err(e);
        }
        let scanned = match scan.finish() {
            Ok(s) => s,
            Err(refusal) => {
                let _ = out.abort().await;
                return Err(Refused::File(refusal));
            }
        };
        let last = sealer
            .finish()
            .map_err(|e| Refused::Failed(ServiceError::internal(e)))?;
        out.write(&last);
        out.finish().await.map_err(store_error)?;
        Ok(Staged { path, scanned })
    }

    /// The plaintext of a staged or kept object, whole: for the checks a
    /// stream scan cannot do (an OFD's container, a PDF's object streams),
    /// bounded by the file limit the object passed.
    pub async fn read_whole(&self, staged: &Staged) -> Result<Vec<u8>> {
        let mut opened = self.open_path(&staged.path).await?;
        let mut out = Vec::with_capacity(usize::try_from(staged.scanned.size).unwrap_or(0));
        while let Some(chunk) = opened.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Keeps a staged file under its hash: moved there (a folder renames
    /// it in place; S3 copies and deletes), or, when the same content is
    /// kept already, that copy stays and the staged one is deleted. Two
    /// uploads of one content at once both hold a whole sealed copy, so
    /// whichever lands last is as good.
    pub async fn keep(&self, staged: &Staged) -> Result<()> {
        let to = kept(&staged.scanned.sha256);
        if self.store.head(&to).await.is_err() {
            return self
                .store
                .rename(&staged.path, &to)
                .await
                .map_err(store_error);
        }
        self.discard(staged).await;
        Ok(())
    }

    /// Deletes a staged file (a refusal, or a failure after staging).
    pub async fn discard(&self, staged: &Staged) {
        if let Err(e) = self.store.delete(&staged.path).await {
            tracing::warn!(path = %staged.path, error = %e, "a staged document was not deleted");
        }
    }

    /// Deletes the kept file of content `sha256` (its retention ended).
    pub async fn delete(&self, sha256: &str) -> Result<()> {
        match self.store.delete(&kept(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error(e)),
        }
    }

    /// The plaintext of the kept file of content `sha256`, streamed out and
    /// opened chunk by chunk; a changed or cut file ends in an error.
    pub async fn open(&self, sha256: &str) -> Result<BoxStream<'static, Result<Bytes>>> {
        self.open_path(&kept(sha256)).await
    }

    async fn open_path(&self, path: &Path) -> Result<BoxStream<'static, Result<Bytes>>> {
        let got = self.store.get(path).await.map_err(store_error)?;
        let key = self.key.clone();
        let ciphertext = got.into_stream();
        Ok(futures_util::stream::unfold(
            OpenState {
                ciphertext,
                header: Vec::with_capacity(HEADER),
                opener: None,
                key,
                done: false,
            },
            |mut st| async move {
                let item = st.next_plain().await;
                item.map(|i| (i, st))
            },
        )
        .boxed())
    }
}

/// The state of a file being opened as it streams out.
struct OpenState {
    ciphertext: BoxStream<'static, object_store::Result<Bytes>>,
    header: Vec<u8>,
    opener: Option<Opener>,
    key: MasterKey,
    done: bool,
}

fn opened(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("a kept document does not open: {e}"))
}

impl OpenState {
    /// The next plaintext, `None` at the end.
    async fn next_plain(&mut self) -> Option<Result<Bytes>> {
        if self.done {
            return None;
        }
        loop {
            match self.ciphertext.next().await {
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(store_error(e)));
                }
                Some(Ok(mut chunk)) => {
                    if self.opener.is_none() {
                        let need = HEADER - self.header.len();
                        let take = need.min(chunk.len());
                        self.header.extend_from_slice(&chunk.split_to(take));
                        if self.header.len() < HEADER {
                            continue;
                        }
                        match Opener::new(&self.key, &self.header) {
                            Ok(o) => self.opener = Some(o),
                            Err(e) => {
                                self.done = true;
                                return Some(Err(opened(e)));
                            }
                        }
                    }
                    let Some(opener) = self.opener.as_mut() else {
                        continue;
                    };
                    match opener.push(&chunk) {
                        Ok(plain) if plain.is_empty() => continue,
                        Ok(plain) => return Some(Ok(Bytes::from(plain))),
                        Err(e) => {
                            self.done = true;
                            return Some(Err(opened(e)));
                        }
                    }
                }
                None => {
                    self.done = true;
                    let Some(opener) = self.opener.take() else {
                        return Some(Err(opened("no header")));
                    };
                    return match opener.finish() {
                        Ok(plain) if plain.is_empty() => None,
                        Ok(plain) => Some(Ok(Bytes::from(plain))),
                        Err(e) => Some(Err(opened(e))),
                    };
                }
            }
        }
    }
}
