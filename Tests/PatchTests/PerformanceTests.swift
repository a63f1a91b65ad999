import Foundation
import Testing
@testable import Patch

/// A synthetic git diff of about `megabytes` MB: many files, 20 hunks each, kernel-like lines.
func syntheticDiff(megabytes: Int) -> [UInt8] {
    var out = "Big change.\n---\n 1 file changed\n\n"
    var file = 0
    while out.utf8.count < megabytes * 1_000_000 {
        out += "diff --git a/drivers/gen/file\(file).c b/drivers/gen/file\(file).c\nindex 1234567..89abcde 100644\n"
        out += "--- a/drivers/gen/file\(file).c\n+++ b/drivers/gen/file\(file).c\n"
        var old = 1, new = 1
        for h in 0..<20 {
            out += "@@ -\(old),10 +\(new),11 @@ static int gen_func_\(h)(struct device *dev, unsigned long flags)\n"
            for k in 0..<4 { out += " \tret = gen_call_\(k)(dev, flags & GEN_MASK_\(k)); /* context */\n" }
            out += "-\tmutex_lock(&gen_dev->lock);\n"
            out += "+\tspin_lock_irqsave(&gen_dev->slock, irqflags);\n+\tgen_dev->count++;\n"
            for k in 0..<5 { out += " \tif (ret)\t\t/* \(k) */\n" }
            old += 40; new += 41
        }
        file += 1
    }
    return Array(out.utf8)
}

@Test func parsesTenMegabytesQuickly() {
    let bytes = syntheticDiff(megabytes: 10)
    let clock = ContinuousClock()
    var patch = Patch()
    let elapsed = clock.measure { patch = PatchParser.parse(bytes) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let hunks = patch.files.reduce(0) { $0 + $1.hunks.count }
    print("parsed \(bytes.count) bytes: \(patch.files.count) files, \(hunks) hunks, \(patch.insertions)+/\(patch.deletions)- in \(String(format: "%.3f", seconds)) s")
    #expect(patch.warnings.isEmpty)
    #expect(hunks == patch.files.count * 20)
    #expect(patch.insertions == hunks * 2 && patch.deletions == hunks)
    #expect(patch.files.last?.hunks.last?.lines.last?.newLine == 19 * 41 + 11)
    #if DEBUG
    #expect(seconds < 20) // debug builds are far slower; the real bound is checked in release
    #else
    #expect(seconds < 1)
    #endif
}

/// Opt-in (LKML_PATCH_BIG_CORPUS=1): every message of the lists' whole archives (`all.mbox`).
@Test(.enabled(if: ProcessInfo.processInfo.environment["LKML_PATCH_BIG_CORPUS"] != nil))
func wholeArchivesParse() throws {
    let lists = corpusRoot.appendingPathComponent("lists")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else {
        print("big corpus test skipped: no corpus at \(lists.path)")
        return
    }
    var withDiff = 0, clean = 0, statChecked = 0, statAgreeing = 0, bytes = 0
    var seconds = 0.0
    for list in names.sorted() {
        let url = lists.appendingPathComponent(list).appendingPathComponent("all.mbox")
        guard let data = try? Data(contentsOf: url) else { continue }
        for message in splitMbox([UInt8](data)) {
            let cte = message.header("Content-Transfer-Encoding")?.lowercased() ?? ""
            guard cte.isEmpty || cte.hasPrefix("7bit") || cte.hasPrefix("8bit") else { continue }
            bytes += message.body.count
            let clock = ContinuousClock()
            var found: [FoundPatch] = []
            let t = clock.measure { found = PatchParser.findPatches(in: message.body) }
            seconds += Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
            guard found.contains(where: { $0.patch.files.contains { $0.isGitDiff } }) else { continue }
            withDiff += 1
            let mismatches = found.flatMap(\.patch.warnings).filter(\.isCountMismatch)
            if mismatches.isEmpty { clean += 1 } else {
                print("count mismatch in \(list): \(message.header("Subject") ?? "?"): \(mismatches.prefix(3).map(\.description))")
            }
            for f in found {
                guard let s = diffstatSummary(f.patch.diffstat) else { continue }
                statChecked += 1
                if s == (f.patch.files.count, f.patch.insertions, f.patch.deletions) { statAgreeing += 1 } else {
                    print("diffstat disagrees in \(list): \(message.header("Subject") ?? "?"): stat \(s), parsed \((f.patch.files.count, f.patch.insertions, f.patch.deletions))")
                }
            }
        }
    }
    print("whole archives: \(clean)/\(withDiff) messages with a diff without count mismatch; diffstat agrees \(statAgreeing)/\(statChecked); parsed \(bytes) body bytes in \(String(format: "%.3f", seconds)) s")
    #expect(clean * 100 >= withDiff * 95)
}
