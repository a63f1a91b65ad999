import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// CPU time of the calling thread: a fair measure on a machine shared with other builds.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

@Suite struct BenchmarkTests {
    /// Every reply of the 7,584-message linux-fpga archive through the splitter and attachment.
    /// Release builds only (debug is 20–50× slower); prints replies per second.
    @Test func splitAndAttachEveryReply() throws {
        #if DEBUG
        print("benchmark skipped: debug build (run swift test -c release)")
        #else
        let path = corpusRoot.appendingPathComponent("lists/linux-fpga.vger.kernel.org.0/all.mbox").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("benchmark skipped: no corpus at \(path)")
            return
        }
        let replies = try MailReader.read(path: path).messages.filter { $0.parentID != nil || $0.subjectInfo.isReply }
        var remarks = 0, attached = 0, bytes = 0
        let cpu0 = threadCPUSeconds()
        let clock = ContinuousClock()
        let t = clock.measure {
            for m in replies {
                let a = ReviewParser.analyze(m)
                remarks += a.remarks.count
                attached += a.remarks.filter { $0.target == .line }.count
                bytes += m.body.utf8.count
            }
        }
        let cpu = threadCPUSeconds() - cpu0
        let secs = Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
        print("benchmark: \(replies.count) replies (\(bytes / 1_000_000) MB of body) in \(String(format: "%.3f", secs)) s wall, "
              + "\(String(format: "%.3f", cpu)) s CPU = \(Int(Double(replies.count) / cpu)) replies/s of CPU time "
              + "(\(Int(Double(replies.count) / secs)) by the wall clock); \(remarks) remarks, \(attached) on diff lines")
        #expect(replies.count > 5000)
        #expect(attached > 1000)
        #endif
    }
}
