// The same input gives the same output, byte for byte (issue 15): the biggest threads of the
// shared corpus reviewed twice, in separate processes, offline, as JSON, Markdown and SARIF.
// Skips, printing why, when ../shared/corpus is absent.
import Foundation
import Testing

@Suite("lkml-review determinism")
struct DeterminismTests {
    static var corpus: URL { CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus") }

    /// The `count` biggest thread mboxes of the corpus (not the whole-list archives).
    static func biggestThreads(_ count: Int) -> [String] {
        let lists = corpus.appendingPathComponent("lists")
        guard let e = FileManager.default.enumerator(at: lists, includingPropertiesForKeys: [.fileSizeKey]) else { return [] }
        var found: [(Int, String)] = []
        for case let url as URL in e where url.pathExtension == "mbox" && url.deletingLastPathComponent().lastPathComponent == "threads" {
            found.append(((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0, url.path))
        }
        return found.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(count).map(\.1)
    }

    /// Where two outputs first differ: line number and both lines.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end>", y = i < lb.count ? String(lb[i]) : "<end>"
            if x != y { return "line \(i + 1):\n  run 1: \(x.prefix(300))\n  run 2: \(y.prefix(300))" }
        }
        return "no difference"
    }

    @Test func corpusReviewIsTheSameEveryRun() throws {
        guard let exe = CLI.binaryOrSkip("corpusReviewIsTheSameEveryRun") else { return }
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else {
            print("corpusReviewIsTheSameEveryRun: skipped: no corpus at \(Self.corpus.path)")
            return
        }
        let threads = Self.biggestThreads(12)
        guard !threads.isEmpty else {
            print("corpusReviewIsTheSameEveryRun: skipped: no thread mboxes under \(Self.corpus.path)/lists")
            return
        }
        setenv("LKML_REVIEW_OFFLINE", "1", 1)
        let start = Date()
        var compared = 0
        for t in threads {
            for format in ["json", "markdown", "sarif"] {
                let one = try CLI.run(exe, ["review", "--offline", "--format", format, t])
                let two = try CLI.run(exe, ["review", "--offline", "--format", format, t])
                #expect(one.status == two.status)
                #expect(one.stdout == two.stdout,
                        "\(format) of \(t) differs between runs: \(Self.firstDifference(one.stdout, two.stdout))")
                compared += 1
            }
        }
        print("corpusReviewIsTheSameEveryRun: \(compared) outputs of \(threads.count) threads compared in \(Int(Date().timeIntervalSince(start))) s")
    }
}
