// Fuzz harness of the Patch module, and the test that replays the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of PatchTests, and into the libFuzzer target
// `fuzz-patch` of `Fuzz/` (linked as its Harness.swift, built with `-D FUZZING`), so a regression
// input is replayed through exactly the code the fuzzer ran. Inputs: `Fuzz/Regressions/patch/`.

import Patch

enum PatchFuzzHarness {
    /// Parsing (both hunk-end modes, `findPatches`, `containsDiff`, section names) and applying.
    /// An input with a NUL byte is `patch NUL content`: the patch is applied to that content.
    /// Without one, each file patch is applied to the pre-image its own hunks describe (filler
    /// lines where the hunks say nothing), which must then succeed at offset 0, and the result
    /// reverse-applied.
    static func patch(_ data: [UInt8]) {
        let nul = data.firstIndex(of: 0)
        let patchBytes = nul.map { Array(data[..<$0]) } ?? data
        let content: String? = nul.map { String(decoding: data[($0 + 1)...], as: UTF8.self) }

        _ = PatchParser.containsDiff(patchBytes)
        let found = PatchParser.findPatches(in: patchBytes)
        var previousEnd = 0
        for f in found {
            precondition(f.lines.lowerBound >= previousEnd, "found patches overlap")
            precondition(f.diffStart >= f.lines.lowerBound && f.diffStart <= f.lines.upperBound, "diffStart outside the patch")
            previousEnd = f.lines.upperBound
        }
        let shaped = PatchParser.parse(patchBytes, options: PatchParseOptions(hunkEnd: .lineShape))
        check(shaped)
        let patch = PatchParser.parse(patchBytes)
        check(patch)

        for file in patch.files.prefix(16) {
            for hunk in file.hunks.prefix(64) {
                _ = hunk.sectionFunctionName
                _ = hunk.sectionSymbol
            }
            let base: String
            var exact = false
            if let content {
                base = content
            } else if let image = preImage(file, warned: !patch.warnings.isEmpty) {
                base = image.text
                exact = image.exact
            } else {
                continue
            }
            do {
                let result = try file.applying(to: base)
                if exact { precondition(result.offsets.allSatisfy { $0 == 0 }, "own pre-image applied at an offset: \(result.offsets)") }
                _ = try? file.applying(to: result.text, reverse: true)
            } catch {
                // Only a damaged or self-contradicting patch may fail on its own pre-image.
                precondition(!exact, "a clean patch does not apply to its own pre-image: \(error)")
            }
            _ = try? file.applying(to: base, ignoringWhitespace: true)
        }
    }

    /// Line numbers run in order inside every hunk.
    static func check(_ patch: Patch) {
        for file in patch.files {
            for hunk in file.hunks {
                var old = hunk.oldStart - 1, new = hunk.newStart - 1
                for line in hunk.lines {
                    if let o = line.oldLine { precondition(o > old || (o == old && o == 0), "old line numbers go back: \(o) after \(old)"); old = o }
                    if let n = line.newLine { precondition(n > new || (n == new && n == 0), "new line numbers go back: \(n) after \(new)"); new = n }
                    switch line.kind {
                    case .context: precondition(line.oldLine != nil && line.newLine != nil, "context line without both numbers")
                    case .added: precondition(line.oldLine == nil && line.newLine != nil, "added line numbered wrongly")
                    case .removed: precondition(line.oldLine != nil && line.newLine == nil, "removed line numbered wrongly")
                    }
                }
            }
        }
    }

    /// The pre-image the hunks of `file` describe, when they are in order and not too far apart
    /// (at most 100,000 lines). `exact` when the patch is clean: no warnings, counts as declared,
    /// hunks in order and apart, no text that repeats a filler line.
    static func preImage(_ file: FilePatch, warned: Bool) -> (text: String, exact: Bool)? {
        if file.isBinary { return nil }
        var lines: [String] = []
        var exact = !warned
        var lastNoNewline = false
        for hunk in file.hunks {
            let start = max(hunk.oldStart, 1)
            if start - 1 < lines.count { exact = false }
            if start - 1 > 100_000 { return nil }
            while lines.count < start - 1 { lines.append("filler line \(lines.count + 1) \u{1}") }
            var old = 0, new = 0
            for line in hunk.lines where line.kind != .added {
                lines.append(line.text)
                lastNoNewline = line.noNewlineAtEnd
                if line.text.contains("\u{1}") || line.text.contains("\n") || line.text.contains("\r") { exact = false }
            }
            for line in hunk.lines {
                if line.kind != .added { old += 1 }
                if line.kind != .removed { new += 1 }
            }
            if old != hunk.oldCount || new != hunk.newCount || hunk.lines.isEmpty { exact = false }
            if hunk.oldCount == 0 { exact = false }
        }
        if file.change == .added || file.change == .deleted { exact = false }
        var text = lines.joined(separator: "\n")
        if !lines.isEmpty && !lastNoNewline { text += "\n" }
        if lastNoNewline { exact = false }
        return (text, exact)
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct PatchFuzzReplayTests {
    @Test func replayPatch() {
        FuzzReplay.replay("patch", PatchFuzzHarness.patch)
    }
}
#endif
