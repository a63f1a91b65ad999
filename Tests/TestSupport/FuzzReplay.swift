/// Support shared by the test targets: replaying the inputs the fuzzers saved.
///
/// Each module's `FuzzReplayTests.swift` holds its fuzz harness (also compiled into the fuzz
/// package) and a test that runs every file of `Fuzz/Regressions/<target>/` through it; the
/// folder reading, the CPU-time measurement, the bound and the checks live here once (`replay`).
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

public enum FuzzReplay {
    /// The repository root (this file is Tests/TestSupport/FuzzReplay.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The saved inputs of a fuzz target, by file name.
    static func regressions(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let dir = root.appendingPathComponent("Fuzz/Regressions/\(target)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { return nil }
            return (name, [UInt8](data))
        }
    }

    /// Replays every saved input of `target` through `entry`: each must finish within `bound` of
    /// CPU time (measured as `cpuTimeOverNoise` does), and there must be at least one. Prints the
    /// slowest: the fuzzer's 1 s timeout is under ASan and coverage instrumentation, several times
    /// slower than this build, so that is the figure the bound is about.
    public static func replay(_ target: String, _ entry: ([UInt8]) -> Void,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let inputs = regressions(target)
        #expect(!inputs.isEmpty, "no inputs in Fuzz/Regressions/\(target)", sourceLocation: sourceLocation)
        var slowest: (name: String, time: Duration) = ("", .zero)
        for input in inputs {
            let elapsed = cpuTimeOverNoise { entry(input.bytes) }
            #expect(elapsed < bound, "\(target)/\(input.name) took \(elapsed) of CPU time", sourceLocation: sourceLocation)
            if elapsed > slowest.time { slowest = (input.name, elapsed) }
        }
        print("\(target) fuzz replay: \(inputs.count) inputs, slowest \(slowest.name) in \(slowest.time) of CPU time")
    }

    /// How much CPU time one input may take: the fuzzers' timeout in a release build, more in a
    /// debug build (byte parsers are many times slower there).
    #if DEBUG
    static let bound: Duration = .seconds(20)
    #else
    static let bound: Duration = .seconds(1)
    #endif

    /// CPU time of `body`, measured again when the first run is over `bound` and the lower figure
    /// kept: tests run in parallel on two cores, and contention alone was seen to take a 0.68 s
    /// input to 1.1 s of CPU time. A real hang is over the bound both times.
    static func cpuTimeOverNoise(_ body: () -> Void) -> Duration {
        let first = threadCPUTime(body)
        return first < bound ? first : min(first, threadCPUTime(body))
    }

    /// CPU time of this thread spent in `body`: the bound holds on a loaded machine and while other
    /// tests run in parallel.
    static func threadCPUTime(_ body: () -> Void) -> Duration {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return .seconds(Int64(end.tv_sec - start.tv_sec)) + .nanoseconds(Int64(end.tv_nsec - start.tv_nsec))
    }
}
