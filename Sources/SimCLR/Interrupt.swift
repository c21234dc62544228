#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during training.
///
/// The first press asks the loop to stop after the current step (the last checkpoint stays
/// intact, and `--resume` continues from it); a second press quits at once — checkpoints are
/// written atomically, so even then no file is half-written.
public enum Interrupt {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    /// Whether Ctrl-C was pressed since `install()`.
    public static var isRequested: Bool { requested != 0 }

    public static func install() {
        requested = 0
        signal(SIGINT) { _ in
            if Interrupt.requested != 0 { _exit(130) }
            Interrupt.requested = 1
        }
    }

    /// Restores the default behaviour.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
    }
}
