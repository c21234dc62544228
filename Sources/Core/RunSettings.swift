/// The library's process-wide settings, said in one place.
///
/// Each has a default that is right for a lesson. A program changes them once, at its
/// start, through `RunSettings.apply` (the lessons' `LessonOptions.apply()`, the
/// benchmark's options), never while kernels run:
///
/// - `ComputePath.current`: which twin of every hot operation runs, the plain-loop
///   reference or the optimized path (`--reference`). The one convention: layers and the
///   augmentation pipeline call a dispatching function, which reads `ComputePath.current`;
///   a dispatcher that a test or the benchmark must drive both ways in one process also
///   takes a `path:` argument whose default is `ComputePath.current`; tests compare the
///   twins (`…Reference`, `…Optimized`) by calling them directly. Algorithms that are not
///   the same computation within a tolerance (exact against Barnes-Hut t-SNE) are chosen by
///   their own settings, never by this switch.
/// - `Parallel.threadCount`: worker threads (`--threads`), all cores by default. No result
///   depends on it: every sum is split the same way whatever the thread count.
/// - `RegisterTile.current`: the kernels' register tiles, wide on AVX-512 builds and
///   narrow elsewhere; the benchmark and the tile tests switch it.
/// - `Allocator.configure()`: keeps the large activation buffers a training loop frees
///   and reallocates every step in the heap (glibc only; elsewhere it changes nothing).
///   Without it every number is the same and only the steps are slower.
public enum RunSettings {
    /// Applies the settings of a run.
    ///
    /// - Parameters:
    ///   - path: the kernels' path.
    ///   - threads: worker threads, or nil for all cores.
    public static func apply(path: ComputePath, threads: Int?) {
        ComputePath.current = path
        Parallel.threadCount = threads ?? Parallel.defaultThreadCount()
        Allocator.configure()
    }
}
