// The shared corpus: every file read without a crash, and message counts equal to the `parsed`
// column of corpus/INVENTORY.md. The full archives (29–172 MB) run in release builds or with
// LKML_CORPUS_FULL=1.
import Foundation
import Testing
@testable import Mailbox
#if canImport(Glibc)
import Glibc
#endif

@Suite("Corpus")
struct CorpusTests {
    /// One `all.mbox` or `threads/*.mbox` row of INVENTORY.md: a path under `lists/` and its count.
    struct Row { var path: String; var parsed: Int }

    /// Reads the per-list tables: `### <folder>/ …` headings, then `| file | size | grep | parsed | …` rows.
    static func inventory(_ corpus: URL) throws -> [Row] {
        let text = try String(contentsOf: corpus.appendingPathComponent("INVENTORY.md"), encoding: .utf8)
        let lists = Set((try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("lists").path)) ?? [])
        var folder: String?
        var rows: [Row] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("### ") {
                let name = line.dropFirst(4).split(separator: "/").first.map(String.init) ?? ""
                folder = lists.contains(name) ? name : nil
                continue
            }
            guard let folder, line.hasPrefix("| ") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let parsed = Int(cells[3]) else { continue }
            let file = cells[0]
            if file == "all.mbox" || (file.hasPrefix("threads/") && file.hasSuffix(".mbox")) {
                rows.append(Row(path: "lists/\(folder)/\(file)", parsed: parsed))
            }
        }
        return rows
    }

    static func count(_ path: String) throws -> (messages: Int, bodyBytes: Int, warned: Int) {
        var n = 0, bytes = 0, warned = 0
        try MailReader.forEach(path: path) { m in
            n += 1
            bytes += m.body.utf8.count + m.patchAttachments.reduce(0) { $0 + $1.text.utf8.count }
            if !m.warnings.isEmpty { warned += 1 }
        }
        return (n, bytes, warned)
    }

    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    @Test func inventoryIsReadable() throws {
        guard let corpus = Paths.corpus(for: "inventoryIsReadable") else { return }
        let rows = try Self.inventory(corpus)
        #expect(rows.filter { $0.path.hasSuffix("/all.mbox") }.count == 3)
        #expect(rows.filter { $0.path.contains("/threads/") }.count == 18)
        #expect(rows.first { $0.path == "lists/linux-fpga.vger.kernel.org.0/all.mbox" }?.parsed == 7_584)
    }

    @Test func threadMboxCountsMatchInventory() throws {
        guard let corpus = Paths.corpus(for: "threadMboxCountsMatchInventory") else { return }
        let rows = try Self.inventory(corpus).filter { $0.path.contains("/threads/") }
        var table = "thread mbox                                                         inventory  parsed\n"
        for r in rows {
            let p = corpus.appendingPathComponent(r.path).path
            guard FileManager.default.fileExists(atPath: p) else { print("skipped (absent): \(r.path)"); continue }
            let got = try Self.count(p).messages
            table += "\(r.path.padding(toLength: 68, withPad: " ", startingAt: 0)) \(String(r.parsed).leftPad(9)) \(String(got).leftPad(7))\n"
            #expect(got == r.parsed, "\(r.path)")
        }
        print(table, terminator: "")
    }

    @Test(.tags(.corpus), .enabled(if: fullCorpusEnabled, "full archives run in release builds (or set LKML_CORPUS_FULL=1)"))
    func fullArchiveCountsMatchInventory() throws {
        guard let corpus = Paths.corpus(for: "fullArchiveCountsMatchInventory") else { return }
        let rows = try Self.inventory(corpus).filter { $0.path.hasSuffix("/all.mbox") }
        var table = "archive                                            inventory  parsed  seconds  decoded MB  with warnings\n"
        for r in rows {
            let p = corpus.appendingPathComponent(r.path).path
            guard FileManager.default.fileExists(atPath: p) else {
                print("fullArchiveCountsMatchInventory: skipped \(r.path): not in this corpus copy")
                continue
            }
            let start = Date()
            let (n, bytes, warned) = try Self.count(p)
            let secs = Date().timeIntervalSince(start)
            table += "\(r.path.padding(toLength: 50, withPad: " ", startingAt: 0)) \(String(r.parsed).leftPad(9)) \(String(n).leftPad(7)) \(String(format: "%8.2f", secs)) \(String(format: "%11.1f", Double(bytes) / 1e6)) \(String(warned).leftPad(14))\n"
            #expect(n == r.parsed, "\(r.path)")
        }
        print(table + "peak RSS of the test process: \(String(format: "%.0f", Self.peakMemoryMB())) MB")
    }

    @Test(.tags(.corpus), .enabled(if: fullCorpusEnabled, "full archives run in release builds (or set LKML_CORPUS_FULL=1)"))
    func threadsOfFullArchives() throws {
        guard let corpus = Paths.corpus(for: "threadsOfFullArchives") else { return }
        for r in try Self.inventory(corpus) where r.path.hasSuffix("/all.mbox") {
            let p = corpus.appendingPathComponent(r.path).path
            guard FileManager.default.fileExists(atPath: p) else { continue }
            let messages = try MailReader.read(path: p).messages
            let start = Date()
            let t = ThreadSet(messages: messages)
            let secs = Date().timeIntervalSince(start)
            let walked = t.walk()
            #expect(t.messages.count + t.duplicates.count == r.parsed, "\(r.path)")
            #expect(walked.count == t.nodes.count, "\(r.path): every node reached once")
            #expect(Set(walked.map(\.node)).count == t.nodes.count)
            let placeholders = t.nodes.filter { $0.message == nil }.count
            let complete = t.series.filter(\.isComplete).count
            let multi = t.revisions.filter { Set($0.map(\.version)).count > 1 }.count
            print("\(r.path): \(t.messages.count) messages, \(t.duplicates.count) duplicates, \(t.roots.count) threads, \(placeholders) placeholders, \(t.series.count) series (\(complete) complete), \(multi) with several revisions; threading \(String(format: "%.2f", secs)) s")
        }
    }

    /// Every file under fixtures/ and lists/ (but the full archives, covered above): read without a
    /// crash; a file that is not mail is a MailboxError, never anything else.
    @Test func everyCorpusFileParses() throws {
        guard let corpus = Paths.corpus(for: "everyCorpusFileParses") else { return }
        var files: [String] = []
        for top in ["fixtures", "lists"] {
            let base = corpus.appendingPathComponent(top)
            guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                if u.lastPathComponent == "all.mbox" { continue }
                files.append(u.path)
            }
        }
        files.sort()
        var perSource: [String: (files: Int, messages: Int, notMail: Int, warned: Int)] = [:]
        var singleEml = 0
        var notMailFiles: [String] = []
        for f in files {
            let rel = String(f.dropFirst(corpus.path.count + 1))
            let parts = rel.split(separator: "/")
            let source = parts.count > 1 ? "\(parts[0])/\(parts[1])" : rel
            var entry = perSource[source] ?? (0, 0, 0, 0)
            entry.files += 1
            do {
                let c = try MailReader.read(path: f)
                entry.messages += c.messages.count
                entry.warned += c.messages.filter { !$0.warnings.isEmpty }.count
                // every .eml of the lists is one message, with a sender and a body
                if rel.hasPrefix("lists/") && f.hasSuffix(".eml") {
                    singleEml += 1
                    #expect(c.messages.count == 1, "\(rel)")
                    #expect(c.messages.first?.from != nil, "\(rel)")
                    #expect(c.messages.first?.body.isEmpty == false, "\(rel)")
                }
            } catch let e as MailboxError {
                entry.notMail += 1
                notMailFiles.append(rel)
                guard case .notMail = e else { Issue.record("\(rel): \(e)"); continue }
            }
            perSource[source] = entry
        }
        var table = "source                                           files  messages  not mail  with warnings\n"
        var total = 0
        for (k, v) in perSource.sorted(by: { $0.key < $1.key }) {
            table += "\(k.padding(toLength: 48, withPad: " ", startingAt: 0)) \(String(v.files).leftPad(5)) \(String(v.messages).leftPad(9)) \(String(v.notMail).leftPad(9)) \(String(v.warned).leftPad(14))\n"
            total += v.messages
        }
        print(table + "total: \(files.count) files, \(total) messages")
        // the corpus snapshot as measured: 736 files, 85 of them single .eml messages under lists/
        #expect(files.count == 736)
        #expect(singleEml == 85)
        #expect(total == 1_324)
        #expect(notMailFiles == ["fixtures/git/t/t5100/nul-b64.expect"])   // git's expected patch output, with NULs
    }

    /// A fixture with a gzip-compressed mbox (patchew) decodes like its plain form would.
    @Test func gzipFixtures() throws {
        guard let corpus = Paths.corpus(for: "gzipFixtures") else { return }
        let dir = corpus.appendingPathComponent("fixtures/patchew")
        let gz = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".gz") }.sorted()
        guard !gz.isEmpty else { print("gzipFixtures: skipped: no .gz fixtures"); return }
        for name in gz {
            let p = dir.appendingPathComponent(name).path
            let packed = Array(try Data(contentsOf: URL(fileURLWithPath: p)))
            let plain = try gunzip(packed, limit: 1 << 30)
            let fromFile = try MailReader.read(path: p)
            let fromPlain = MailReader.parse(plain)
            #expect(fromFile.messages.count == fromPlain.messages.count, "\(name)")
            #expect(fromFile.messages.map(\.messageID) == fromPlain.messages.map(\.messageID), "\(name)")
            #expect(!fromFile.messages.isEmpty, "\(name)")
        }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// Series grouping on patchwork's own series fixtures (real git send-email threads).
@Suite("Corpus series")
struct CorpusSeriesTests {
    static func threads(_ name: String) throws -> ThreadSet? {
        guard let corpus = Paths.corpus(for: "series \(name)") else { return nil }
        let p = corpus.appendingPathComponent("fixtures/getpatchwork-patchwork/patchwork/tests/data/series/\(name).mbox").path
        guard FileManager.default.fileExists(atPath: p) else { print("series \(name): skipped: fixture absent"); return nil }
        return ThreadSet(messages: try MailReader.read(path: p).messages)
    }

    @Test(arguments: ["base-cover-letter", "base-deep-threaded", "base-out-of-order"])
    func coverLetterAndTwoPatches(name: String) throws {
        guard let t = try Self.threads(name) else { return }
        #expect(t.series.count == 1)
        let s = try #require(t.series.first)
        #expect(s.title == "A sample series")
        #expect(s.total == 2)
        #expect(s.coverLetter.map { t.messages[$0].subjectInfo.index } == 0)
        #expect(s.patches.map { $0.map { t.messages[$0].subjectInfo.title } } == ["test: Add some lorem ipsum", "test: Convert to Markdown"])
        #expect(s.isComplete)
    }

    @Test(arguments: ["revision-basic", "revision-threaded-to-cover", "revision-threaded-to-patch", "revision-out-of-order"])
    func twoRevisions(name: String) throws {
        guard let t = try Self.threads(name) else { return }
        #expect(t.series.map(\.version).sorted() == [1, 2])
        #expect(t.series.allSatisfy { $0.isComplete && $0.coverLetter != nil })
        #expect(t.revisions.map { $0.map(\.version) } == [[1, 2]])
    }

    @Test(arguments: ["base-no-references", "base-no-references-no-cover"])
    func unthreadedSeriesIsOneSeries(name: String) throws {
        guard let t = try Self.threads(name) else { return }
        // every patch is its own thread: nothing links them but author, version, size and time
        #expect(t.roots.count == t.messages.count)
        #expect(t.series.count == 1)
        let s = try #require(t.series.first)
        #expect(s.isComplete)
        #expect(s.total == 2)
    }
}
