import Core
import Foundation
import XCTest

/// A container limited to fewer CPUs than the host has gets that many kernel threads by
/// default: the quota files are read as cgroup v2 and v1 write them.
final class CPUQuotaTests: XCTestCase {
    func testQuotaFilesGiveTheCPUsRoundedUp() {
        // cgroup v2 `cpu.max`: Docker's --cpus 2, --cpus 1.5, a quarter of a CPU, no limit.
        XCTAssertEqual(CPUQuota.cores(cpuMax: "200000 100000\n"), 2)
        XCTAssertEqual(CPUQuota.cores(cpuMax: "150000 100000"), 2)
        XCTAssertEqual(CPUQuota.cores(cpuMax: "25000 100000"), 1)
        XCTAssertNil(CPUQuota.cores(cpuMax: "max 100000\n"))
        XCTAssertNil(CPUQuota.cores(cpuMax: ""))
        // cgroup v1: `cpu.cfs_quota_us` is -1 without a limit.
        XCTAssertEqual(CPUQuota.cores(quota: "400000\n", period: "100000\n"), 4)
        XCTAssertNil(CPUQuota.cores(quota: "-1\n", period: "100000\n"))
        XCTAssertNil(CPUQuota.cores(quota: "100000", period: "0"))
        // The default thread count never exceeds the cores, and never goes below one.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        XCTAssertLessThanOrEqual(Parallel.defaultThreadCount(), max(1, cores))
        XCTAssertGreaterThanOrEqual(Parallel.defaultThreadCount(), 1)
        print("OK     cpu.max and cfs_quota_us read as CPUs; this machine: \(cores) cores, quota "
              + "\(CPUQuota.cores().map(String.init) ?? "none"), \(Parallel.defaultThreadCount()) kernel threads by default")
    }
}
