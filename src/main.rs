/// mimalloc: a generated graph is millions of small allocations, and glibc's allocator was a
/// quarter of the instructions of a large `generate` (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    taskgen::cli::run()
}
