import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

/// One saved reply reviewed alone (no thread, no network) against the same reply within its
/// thread (the original patch aligned): how many remarks get the same line.
struct LoneFigures: CustomStringConvertible {
    /// Remarks the thread places on a line of the original patch.
    var placed = 0
    /// Of those, the reply alone gives the same file, side and line.
    var same = 0
    /// …and says its line is certain (not "uncertain").
    var sameCertain = 0
    /// …and got its numbers from the tree.
    var sameFromTree = 0
    /// Alone: no line at all (no numbers, or not attached to a diff line).
    var noLine = 0
    /// Alone: a line, but another one.
    var otherLine = 0
    /// Alone: a line marked uncertain that differs.
    var otherUncertain = 0
    /// Alone: attached to another file (or none).
    var otherFile = 0

    mutating func add(_ o: LoneFigures) {
        placed += o.placed; same += o.same; sameCertain += o.sameCertain; sameFromTree += o.sameFromTree; noLine += o.noLine
        otherLine += o.otherLine; otherUncertain += o.otherUncertain; otherFile += o.otherFile
    }
    var percent: Double { placed == 0 ? 100 : Double(same) * 100 / Double(placed) }
    var description: String {
        "\(same)/\(placed) = \(String(format: "%.1f", percent))% the same line (\(sameCertain) of them certain, \(sameFromTree) from the tree); "
            + "no line \(noLine), another line \(otherLine) (\(otherUncertain) marked uncertain), another file \(otherFile)"
    }
}

/// The line a user is shown for a remark: file, side and the number on that side.
struct ShownLine: Hashable, CustomStringConvertible {
    var file: String?
    var side: HunkLine.Kind
    var old: Int?
    var new: Int?
    var certain: Bool
    var fromTree: Bool

    init?(_ r: Remark) {
        guard r.target == .line, let a = r.anchor else { return nil }
        file = a.file
        side = a.side
        old = a.side == .added ? nil : a.oldLine
        new = a.side == .removed ? nil : a.newLine
        certain = !r.unmatched && a.numbering != .uncertain && a.numbering != .unknown
        fromTree = a.numbering == .tree
    }
    var hasNumber: Bool { side == .added ? new != nil : side == .removed ? old != nil : (old != nil || new != nil) }
    var description: String { "\(file ?? "?"):\(old.map(String.init) ?? "-")/\(new.map(String.init) ?? "-") \(side)" }

    /// Same place: the same file (a path and its suffix count as the same), side and numbers.
    func samePlace(_ o: ShownLine) -> Bool {
        guard side == o.side, old == o.old, new == o.new, hasNumber else { return false }
        return Self.sameFile(file, o.file)
    }
    static func sameFile(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a == b || a.hasSuffix("/" + b) || b.hasSuffix("/" + a)
    }
}

enum LoneReply {
    /// The corpus thread files (erofs, fpga, sparse `threads/*.mbox`), sorted; empty without the corpus.
    static func threadFiles() -> [(list: String, path: String)] {
        let lists = corpusRoot.appendingPathComponent("lists")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else { return [] }
        var out: [(String, String)] = []
        for list in names.sorted() {
            let dir = lists.appendingPathComponent(list).appendingPathComponent("threads")
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where file.hasSuffix(".mbox") {
                out.append((list, dir.appendingPathComponent(file).path))
            }
        }
        return out
    }

    /// Compares every reply of `messages` whose original patch is among them: within the thread,
    /// and alone through `alone`; `only` picks the files looked at. `mismatch` hears each remark that differs.
    static func compare(_ messages: [Message], alone: (Message) -> ReviewAnalysis, only: (String?) -> Bool = { _ in true },
                        mismatch: (Message, Remark, ShownLine, ShownLine?) -> Void = { _, _, _, _ in }) -> LoneFigures {
        var f = LoneFigures()
        for (m, withThread) in zip(messages, ReviewParser.analyzeAll(messages)) where withThread.alignment != nil {
            let lone = alone(m)
            var byLine: [Int: Remark] = [:]
            for r in lone.remarks { byLine[r.firstLine] = r }
            for r in withThread.remarks where r.target == .line && !r.unmatched {
                guard let expected = ShownLine(r), expected.hasNumber, only(expected.file) else { continue }
                f.placed += 1
                let got = byLine[r.firstLine].flatMap(ShownLine.init)
                if let got, got.samePlace(expected) {
                    f.same += 1
                    if got.certain { f.sameCertain += 1 }
                    if got.fromTree { f.sameFromTree += 1 }
                    continue
                }
                if let got, got.hasNumber {
                    if !ShownLine.sameFile(got.file, expected.file) { f.otherFile += 1 } else {
                        f.otherLine += 1
                        if !got.certain { f.otherUncertain += 1 }
                    }
                } else {
                    f.noLine += 1
                }
                mismatch(m, r, expected, got)
            }
        }
        return f
    }
}

@Suite struct LoneReplyTests {
    /// Issue 17's figure: each reply of the corpus threads reviewed alone, network off, against
    /// the same reply reviewed with its thread.
    @Test func aLoneReplyGetsTheLinesItGetsWithItsThread() throws {
        let files = LoneReply.threadFiles()
        guard !files.isEmpty else {
            print("lone-reply check skipped: no corpus at \(corpusRoot.path)")
            return
        }
        let verbose = ProcessInfo.processInfo.environment["LKML_LONE_VERBOSE"] == "1"
        var total = LoneFigures()
        var perList: [String: LoneFigures] = [:]
        for (list, path) in files {
            let messages = try MailReader.read(path: path).messages
            let f = LoneReply.compare(messages, alone: { ReviewParser.analyze($0) }, mismatch: { m, r, expected, got in
                guard verbose else { return }
                print("  \((path as NSString).lastPathComponent) <\(m.messageID ?? "?")> body line \(r.firstLine + 1): "
                      + "thread \(expected), alone \(got.map(\.description) ?? "none") "
                      + "(\(r.anchor.map { $0.text.prefix(50) } ?? ""))")
            })
            perList[list, default: LoneFigures()].add(f)
            total.add(f)
        }
        for (list, f) in perList.sorted(by: { $0.key < $1.key }) { print("lone reply, network off, \(list): \(f)") }
        print("lone reply, network off, all threads: \(total)")
        #expect(total.placed > 100)
    }

    /// Linux 6.12 files committed as fixtures (see their README): the pre-image (give or take later
    /// changes) of patches of fpga threads 01, 03 and 06, the post-image of erofs thread 02's.
    static let treeFixture = repoRoot.appendingPathComponent("Tests/ReviewTests/.fixtures/linux-6.12").path

    /// A file of a tree folder as lines (the blob is not looked for: no git objects here).
    static func treeLookup(_ root: String) -> QuotedFileLookup {
        { path, _ in
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."),
                  let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) else { return nil }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if text.hasSuffix("\n") { lines.removeLast() }
            return QuotedFile(lines: lines, isPreImageBlob: false)
        }
    }

    /// `git grep -l -F` in a tree.
    static func gitGrep(_ root: String) -> QuotedPathSearch {
        { text in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = ["-C", root, "grep", "-l", "-I", "-F", "-e", text]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return [] }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    static func treePaths(_ root: String) -> Set<String> {
        var out = Set<String>()
        let e = FileManager.default.enumerator(atPath: root)
        while let p = e?.nextObject() as? String { if !p.hasSuffix("README.md") { out.insert(p) } }
        return out
    }

    /// Issue 17, done when 2: with a real tree holding the quoted files, a lone reply's remarks on
    /// those files get the lines they get with the thread.
    @Test func withTheTreeALoneReplyGetsTheThreadsLines() throws {
        let wanted = ["01-patchv1", "03-patchv3", "05-patch-0-2-fpga-dfl", "06-patch-0-3", "02-patch-v2-0-5-cachefiles"]
        let files = LoneReply.threadFiles().filter { file in
            wanted.contains { (file.path as NSString).lastPathComponent.hasPrefix($0) }
        }
        guard !files.isEmpty else {
            print("lone-reply tree check skipped: no corpus at \(corpusRoot.path)")
            return
        }
        let paths = Self.treePaths(Self.treeFixture)
        let lookup = Self.treeLookup(Self.treeFixture)
        var withTree = LoneFigures(), without = LoneFigures()
        for (_, path) in files {
            let messages = try MailReader.read(path: path).messages
            // only the remarks on the files the fixture tree holds
            let f = LoneReply.compare(messages, alone: { ReviewParser.analyze($0, tree: lookup) }, only: { paths.contains($0 ?? "") }) { m, r, expected, got in
                print("  with the tree: \((path as NSString).lastPathComponent) <\(m.messageID ?? "?")> body line \(r.firstLine + 1): "
                      + "thread \(expected), alone \(got.map(\.description) ?? "none") (\(r.anchor.map { $0.text.prefix(50) } ?? ""))")
            }
            withTree.add(f)
            without.add(LoneReply.compare(messages, alone: { ReviewParser.analyze($0) }, only: { paths.contains($0 ?? "") }))
        }
        print("lone reply, remarks on the fixture tree's files: without the tree \(without); with the tree \(withTree)")
        #expect(withTree.placed > 10)
        #expect(withTree.same == withTree.placed)
        // the tree made some of them certain (the quote alone gave them as a guess)
        #expect(withTree.sameFromTree >= 1 && withTree.sameCertain > without.sameCertain)
    }

    /// With LKML_LONE_TREE=<a kernel tree> (say the Linux 6.12 tree `make rules-bench` prepares):
    /// every corpus thread's replies alone with that tree, against the thread. Not part of `make test`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LKML_LONE_TREE"] != nil))
    func withAWholeTree() throws {
        let root = ProcessInfo.processInfo.environment["LKML_LONE_TREE"] ?? ""
        let lookup = Self.treeLookup(root)
        var total = LoneFigures(), before = LoneFigures()
        for (_, path) in LoneReply.threadFiles() {
            let messages = try MailReader.read(path: path).messages
            before.add(LoneReply.compare(messages, alone: { ReviewParser.analyze($0) }))
            total.add(LoneReply.compare(messages, alone: { ReviewParser.analyze($0, tree: lookup, treeSearch: Self.gitGrep(root)) }, mismatch: { m, r, expected, got in
                print("  tree \(root): \((path as NSString).lastPathComponent) <\(m.messageID ?? "?")> body line \(r.firstLine + 1): "
                      + "thread \(expected), alone \(got.map(\.description) ?? "none") (\(got?.certain == true ? "certain" : "uncertain"))")
            }))
        }
        print("lone reply with the tree \(root): \(total) (without it: \(before))")
    }
}

