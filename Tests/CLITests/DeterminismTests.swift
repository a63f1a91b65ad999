// The same input gives the same output, byte for byte (issue 15): the biggest threads and patch
// mails of the shared corpus reviewed twice, in separate processes, offline, as JSON and Markdown
// (and SARIF for the threads).
// Skips, printing why, when ../shared/corpus is absent.
import Foundation
import Testing
import TestSupport

@Suite("lkml-review determinism")
struct DeterminismTests {
    static var corpus: URL { CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus") }

    /// The `count` biggest files of `lists/*/<folder>/` whose name passes `keep`.
    static func biggest(_ count: Int, in folder: String, _ keep: (String) -> Bool) -> [String] {
        let lists = corpus.appendingPathComponent("lists")
        guard let e = FileManager.default.enumerator(at: lists, includingPropertiesForKeys: [.fileSizeKey]) else { return [] }
        var found: [(Int, String)] = []
        for case let url as URL in e where url.deletingLastPathComponent().lastPathComponent == folder && keep(url.lastPathComponent) {
            found.append(((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0, url.path))
        }
        return found.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(count).map(\.1)
    }

    /// The biggest thread mboxes (not the whole-list archives), then the biggest single patch mails.
    static func inputs() -> [(path: String, formats: [String])] {
        biggest(12, in: "threads") { $0.hasSuffix(".mbox") }.map { ($0, ["json", "markdown", "sarif"]) }
            + biggest(12, in: "encodings") { $0.hasSuffix(".eml") && $0.contains("patch") }.map { ($0, ["json", "markdown"]) }
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
        let inputs = Self.inputs()
        guard !inputs.isEmpty else {
            print("corpusReviewIsTheSameEveryRun: skipped: no thread mboxes or patch mails under \(Self.corpus.path)/lists")
            return
        }
        setenv("LKML_REVIEW_OFFLINE", "1", 1)
        let start = Date()
        var compared = 0
        for (t, formats) in inputs {
            for format in formats {
                let one = try CLI.run(exe, ["review", "--offline", "--format", format, t])
                let two = try CLI.run(exe, ["review", "--offline", "--format", format, t])
                #expect(one.status == two.status)
                #expect(one.stdout == two.stdout,
                        "\(format) of \(t) differs between runs: \(Self.firstDifference(one.stdout, two.stdout))")
                if format == "sarif" && one.status == 0 {
                    #expect(SARIFSchema.allProblems(Data(one.stdout.utf8)) == [], "SARIF of \(t)")
                }
                compared += 1
            }
        }
        print("corpusReviewIsTheSameEveryRun: \(compared) outputs of \(inputs.count) threads and mails compared in \(Int(Date().timeIntervalSince(start))) s")
    }
}
