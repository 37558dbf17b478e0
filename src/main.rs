fn main() -> std::process::ExitCode {
    taskgen::cli::run()
}
