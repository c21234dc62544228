import Foundation

/// The CPUs a Linux container's CPU quota allows (Docker's `--cpus`, a Kubernetes or
/// JupyterHub CPU limit), read from the cgroup files at the root of the container's view.
///
/// The quota is CPU time per period; its ratio, rounded up, is how many threads can run at
/// once without waiting for one another. Only the container's own cgroup, mounted at
/// `/sys/fs/cgroup`, is read (cgroup v2's `cpu.max`, or v1's `cpu.cfs_quota_us` and
/// `cpu.cfs_period_us`); a quota set on a parent cgroup is not seen.
public enum CPUQuota {
    /// The quota's CPUs, rounded up; nil where no quota is set or the files are absent.
    public static func cores() -> Int? {
        if let max = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
            return cores(cpuMax: max)
        }
        for folder in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
            if let quota = try? String(contentsOfFile: folder + "/cpu.cfs_quota_us", encoding: .utf8),
               let period = try? String(contentsOfFile: folder + "/cpu.cfs_period_us", encoding: .utf8) {
                return cores(quota: quota, period: period)
            }
        }
        return nil
    }

    /// cgroup v2's `cpu.max`: "QUOTA PERIOD" in microseconds, or "max PERIOD" for none.
    public static func cores(cpuMax: String) -> Int? {
        let fields = cpuMax.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2 else { return nil }
        return cores(quota: String(fields[0]), period: String(fields[1]))
    }

    /// cgroup v1's `cpu.cfs_quota_us` ("-1" for none) and `cpu.cfs_period_us`.
    public static func cores(quota: String, period: String) -> Int? {
        guard let q = Int(quota.trimmingCharacters(in: .whitespacesAndNewlines)), q > 0,
              let p = Int(period.trimmingCharacters(in: .whitespacesAndNewlines)), p > 0 else { return nil }
        return max(1, (q + p - 1) / p)
    }
}
