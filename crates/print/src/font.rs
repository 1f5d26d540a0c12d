//! The CJK font the PDFs are set in: found once at start, kept in memory
//! (an OpenType collection is ~20 MB), and subset into each document.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

/// Where distributions install Noto Sans CJK (Regular, as an OpenType
/// collection), tried in order when no font file is given.
pub const WELL_KNOWN: [&str; 4] = [
    // Debian and Ubuntu: fonts-noto-cjk.
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    // Fedora: google-noto-sans-cjk-ttc-fonts.
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    // Arch: noto-fonts-cjk.
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    // Alpine: font-noto-cjk.
    "/usr/share/fonts/noto/NotoSansCJK-Regular.ttc",
];

/// How to get a font, said wherever one is missing.
pub const INSTALL_HINT: &str = "install Noto Sans CJK (Debian/Ubuntu: apt-get install fonts-noto-cjk) \
     or start the server with --pdf-font FILE (a .ttc/.otf/.ttf font with Chinese glyphs)";

/// Why there is no font for PDFs.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// None of the well-known files exists.
    #[error("no CJK font for PDFs: none of {} exists; {INSTALL_HINT}", list(.searched))]
    NotFound {
        /// The files looked for.
        searched: Vec<PathBuf>,
    },
    /// The file could not be read.
    #[error("PDF font {}: {error}; {INSTALL_HINT}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The reading error (in the message, so not also a `source`,
        /// which would print it twice in a chain).
        error: std::io::Error,
    },
    /// The file is not a font that can set Chinese text.
    #[error("PDF font {}: {reason}; {INSTALL_HINT}", .path.display())]
    Unusable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A font that sets both Chinese and Latin text, with the face chosen from
/// its collection. Cloning is cheap: the bytes are shared.
#[derive(Clone)]
pub struct CjkFont {
    data: Arc<Vec<u8>>,
    index: u32,
    path: PathBuf,
    family: String,
    pdf: krilla::text::Font,
}

impl std::fmt::Debug for CjkFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CjkFont")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .finish_non_exhaustive()
    }
}

impl CjkFont {
    /// The font in `file`, else the first of [`WELL_KNOWN`] that exists.
    /// A given file that is unusable is an error, not a reason to look
    /// elsewhere: the operator asked for it.
    pub fn find(file: Option<&Path>) -> Result<Self, FontError> {
        if let Some(path) = file {
            return Self::load(path);
        }
        let searched: Vec<PathBuf> = WELL_KNOWN.iter().map(PathBuf::from).collect();
        match searched.iter().find(|p| p.is_file()) {
            Some(path) => Self::load(path),
            None => Err(FontError::NotFound { searched }),
        }
    }

    /// Reads `path` and picks its Simplified Chinese face: in a collection
    /// the face whose family name ends in "SC" (Noto Sans CJK holds JP, KR,
    /// SC, TC and HK in one file), else the first that maps Chinese text.
    pub fn load(path: &Path) -> Result<Self, FontError> {
        let data = std::fs::read(path).map_err(|error| FontError::Read {
            path: path.to_owned(),
            error,
        })?;
        let unusable = |reason: String| FontError::Unusable {
            path: path.to_owned(),
            reason,
        };
        let faces = match FileRef::new(&data).map_err(|e| unusable(e.to_string()))? {
            FileRef::Font(_) => 1,
            FileRef::Collection(c) => c.len(),
        };
        let mut usable: Vec<(u32, String)> = Vec::new();
        for index in 0..faces {
            let Ok(face) = FontRef::from_index(&data, index) else {
                continue;
            };
            let charmap = face.charmap();
            if "证照Aa0".chars().all(|ch| charmap.map(ch).is_some()) {
                usable.push((index, family(&face)));
            }
        }
        let (index, family) = usable
            .iter()
            .find(|(_, name)| name.ends_with(" SC") || name.ends_with(" CN"))
            .or(usable.first())
            .cloned()
            .ok_or_else(|| unusable("no face in the file has Chinese glyphs".into()))?;
        let data = Arc::new(data);
        let pdf = krilla::text::Font::new(data.clone().into(), index)
            .ok_or_else(|| unusable(format!("face {index} cannot be embedded in a PDF")))?;
        Ok(CjkFont {
            data,
            index,
            path: path.to_owned(),
            family,
            pdf,
        })
    }

    /// The file the font came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The face's index in its collection.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The face's family name (e.g. "Noto Sans CJK SC").
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The face, for reading glyph ids and advances.
    pub(crate) fn face(&self) -> Result<FontRef<'_>, skrifa::raw::ReadError> {
        FontRef::from_index(&self.data, self.index)
    }

    /// The font as krilla embeds it.
    pub(crate) fn pdf(&self) -> &krilla::text::Font {
        &self.pdf
    }
}

fn family(face: &FontRef<'_>) -> String {
    // The typographic family (ID 16) when there is one, in English.
    [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
        .into_iter()
        .find_map(|id| {
            let strings: Vec<_> = face.localized_strings(id).collect();
            strings
                .iter()
                .find(|s| s.language().is_some_and(|l| l.starts_with("en")))
                .or(strings.first())
                .map(ToString::to_string)
        })
        .unwrap_or_default()
}
