//! `zielbericht`: a thin wrapper turning the result of [`zielbericht::run`] into an exit
//! status.

use std::process::ExitCode;

fn main() -> ExitCode {
    zielbericht::install_panic_hook();
    // Ctrl-C and SIGTERM clean up what this process made (see the library's `interrupt`).
    zielbericht::interrupt::install();
    ExitCode::from(zielbericht::run(std::env::args_os()))
}

/// jemalloc (see `zielbericht`'s `alloc` module for why and how it is steered).
#[cfg(unix)]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
