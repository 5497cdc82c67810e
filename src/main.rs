//! The `noted` binary: parses the command line and hands over to `noted::cli`.

fn main() -> std::process::ExitCode {
    noted::cli::main()
}
