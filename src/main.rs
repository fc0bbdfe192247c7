fn main() {
    std::process::exit(modq::cli::main());
}
