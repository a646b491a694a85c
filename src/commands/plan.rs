//! Where the command line ends: the parsed arguments turned into the plain settings the
//! stages take, so that no stage imports [`crate::cli`].

use crate::cli::{RenderArgs, TemplateArgs};
use crate::pipeline::Look;

impl From<&RenderArgs> for Look {
    fn from(render: &RenderArgs) -> Self {
        Self {
            jobs: render.jobs,
            reuse: !render.no_reuse,
            time_limit: (render.document_timeout > 0)
                .then(|| std::time::Duration::from_secs(render.document_timeout)),
            ..Look::from(&render.look)
        }
    }
}

/// Templates and fonts only: one document at a time, always rendered anew
/// (`vereinbarung`).
impl From<&TemplateArgs> for Look {
    fn from(look: &TemplateArgs) -> Self {
        Self {
            templates: look.templates.clone(),
            font_paths: look.font_path.clone(),
            jobs: Some(1),
            reuse: false,
            // The default limit per document (`vereinbarung` has no option for it).
            time_limit: Some(std::time::Duration::from_secs(
                crate::typeset::deadline::DEFAULT_SECONDS,
            )),
        }
    }
}
