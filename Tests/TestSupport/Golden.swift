import Foundation
import Testing

/// Compares `actual` with the golden file `name` in `directory`; with `LKML_REVIEW_RECORD=1` in the
/// environment, writes it instead. Reports the first differing line on mismatch.
public func expectGolden(_ actual: String, _ name: String, in directory: URL,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["LKML_REVIEW_RECORD"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: url)
        print("recorded golden \(name)")
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("golden file \(name) missing: run with LKML_REVIEW_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected == actual { return }
    let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
    var i = 0
    while i < min(e.count, a.count) && e[i] == a[i] { i += 1 }
    Issue.record("golden \(name) differs at line \(i + 1):\n  expected: \(i < e.count ? e[i] : "<end>")\n  actual:   \(i < a.count ? a[i] : "<end>")",
                 sourceLocation: sourceLocation)
}
