//! A time limit for each document (issue 23, class 6).
//!
//! Typst has no cancellation: a template with a loop of 10^10 steps would render for
//! ever, holding the month's lock. So each render thread hands its documents to a helper
//! thread of its own and waits at most the limit for the result. A document over the
//! limit fails alone, with its name and a German message; its helper is abandoned (it
//! computes on in memory, holding nothing but its copy of the document's data and a
//! share of the renderer, and its result goes nowhere: it cannot write a file), and the
//! next document gets a new helper. The process ends when the command is done, with the
//! abandoned helper, and the folder's lock is released as usual.
//!
//! The helper lives as long as its render thread, so a run spawns about one helper per
//! `--jobs` (not one thread per document): each thread keeps reusing its own memory.
//!
//! A cap on memory per document is not possible: the allocator (jemalloc) counts per
//! process, and an allocation that fails aborts a Rust process; a template that exhausts
//! memory still takes the process down.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::Duration;

use super::render::{DocumentDate, Rendered, Renderer, Template};

/// The default limit: generous, the 405-row overview renders in about 3 s.
pub const DEFAULT_SECONDS: u64 = 120;

type Job = Box<dyn FnOnce() + Send + 'static>;

thread_local! {
    /// The helper of this render thread, made on first use and after an abandonment.
    static HELPER: RefCell<Option<SyncSender<Job>>> = const { RefCell::new(None) };
}

/// Renders documents with `renderer`, each within `limit` (`None`: no limit).
pub struct Deadline {
    renderer: Arc<Renderer>,
    limit: Option<Duration>,
}

impl Deadline {
    pub fn new(renderer: Arc<Renderer>, limit: Option<Duration>) -> Self {
        Self { renderer, limit }
    }

    /// [`Renderer::render_with_warnings`] within the limit; the error as the user reads it.
    pub fn render(
        &self,
        template: Template,
        data: &[u8],
        ident: &str,
        date: DocumentDate,
    ) -> Result<Rendered, String> {
        let Some(limit) = self.limit else {
            return self
                .renderer
                .render_with_warnings(template, data, ident, date)
                .map_err(|e| e.to_string());
        };
        let (tx, rx) = mpsc::sync_channel(1);
        let (renderer, data, ident) = (Arc::clone(&self.renderer), data.to_vec(), ident.to_owned());
        let job: Job = Box::new(move || {
            let result = renderer
                .render_with_warnings(template, &data, &ident, date)
                .map_err(|e| e.to_string());
            let _ = tx.send(result);
        });
        let Some(rx) = submit(job, rx) else {
            return Err("interner Fehler: kein Thread zum Setzen verfügbar".into());
        };
        match rx.recv_timeout(limit) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                // Abandoned: the next document gets a new helper.
                HELPER.with(|h| h.borrow_mut().take());
                Err(crate::messages::Msg::DocumentTimeout {
                    seconds: limit.as_secs(),
                }
                .to_string())
            }
            Err(RecvTimeoutError::Disconnected) => {
                HELPER.with(|h| h.borrow_mut().take());
                Err("interner Fehler beim Setzen (ein Absturz in Typst)".into())
            }
        }
    }
}

/// Hands `job` to this thread's helper (making one when needed); the receiver of its
/// result back, or `None` when no helper thread can be made.
fn submit(
    job: Job,
    rx: Receiver<Result<Rendered, String>>,
) -> Option<Receiver<Result<Rendered, String>>> {
    HELPER.with(|helper| {
        let mut helper = helper.borrow_mut();
        let mut job = Some(job);
        for _ in 0..2 {
            if helper.is_none() {
                *helper = Some(spawn()?);
            }
            let sender = helper.as_ref().expect("made above");
            match sender.send(job.take().expect("sent once")) {
                Ok(()) => return Some(()),
                // The helper ended (a panic): a new one.
                Err(mpsc::SendError(back)) => {
                    job = Some(back);
                    *helper = None;
                }
            }
        }
        None
    })?;
    Some(rx)
}

/// A helper thread running the jobs it is sent, one at a time, until its sender is gone.
fn spawn() -> Option<SyncSender<Job>> {
    let (tx, rx) = mpsc::sync_channel::<Job>(0);
    std::thread::Builder::new()
        .name("render".into())
        // Typst's layout recurses deeply (as the render threads, see `report::render`).
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            for job in rx {
                job();
            }
        })
        .ok()?;
    Some(tx)
}
