//! What every handler shares: the application (`yici_service::Service`)
//! and what only the web needs besides, the font of the PDF certificates.

use std::sync::{Arc, OnceLock};

use yici_core::catalog::Catalog;
use yici_service::Service;

/// Shared state of the web crate.
#[derive(Clone)]
pub struct AppState {
    service: Service,
    pdf_font: Arc<OnceLock<Result<yici_print::CjkFont, yici_print::FontError>>>,
}

impl AppState {
    /// The web state around `service`.
    pub fn new(service: Service) -> Self {
        AppState {
            service,
            pdf_font: Arc::new(OnceLock::new()),
        }
    }

    /// The application: every use case.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// The catalog, for rendering names and guides.
    pub fn catalog(&self) -> &Catalog {
        self.service.catalog()
    }

    /// Sets the font of the PDF certificates, or why there is none; only
    /// the first call counts (at start).
    pub fn set_pdf_font(&self, font: Result<yici_print::CjkFont, yici_print::FontError>) -> bool {
        self.pdf_font.set(font).is_ok()
    }

    /// The font of the PDF certificates, loaded once. Without one set at
    /// start, the well-known places are searched on first use (tests);
    /// `serve` sets it at start, so that a missing font is said in its log.
    pub fn pdf_font(&self) -> Result<&yici_print::CjkFont, &yici_print::FontError> {
        self.pdf_font
            .get_or_init(|| yici_print::CjkFont::find(None))
            .as_ref()
    }
}
