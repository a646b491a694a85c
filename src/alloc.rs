//! The memory allocator.
//!
//! On Unix zielbericht runs on jemalloc (`main.rs` installs it): against glibc's malloc
//! a run of 405 reports takes a quarter less CPU time, and jemalloc's arenas can be told
//! to give freed memory back at once. [`release_freed`] does that between the phases of
//! a run, so that what polars used for the figures or Typst for the overview goes back
//! to the system before the next phase grows, rather than after jemalloc's ten-second
//! decay. The library's own tests run on the system allocator; there it does nothing.

/// Returns the freed ("dirty") pages of every jemalloc arena to the operating system.
///
/// Setting an arena's dirty decay time to zero purges it at once; the previous time is
/// then restored. Errors (an arena not in use) are ignored: this only saves memory.
#[cfg(unix)]
pub fn release_freed() {
    use tikv_jemalloc_ctl::{Access, AsName as _, arenas};
    let Ok(n) = arenas::narenas::read() else {
        return;
    };
    for i in 0..n {
        let key = format!("arena.{i}.dirty_decay_ms\0");
        let name = key.as_bytes().name();
        let Ok(before) = Access::<isize>::read(name) else {
            continue;
        };
        if name.write(0_isize).is_ok() {
            let _ = name.write(before);
        }
    }
}

/// Without jemalloc there is nothing to steer.
#[cfg(not(unix))]
pub fn release_freed() {}
