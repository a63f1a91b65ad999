// review --brief, --only, --reviewer, --since from the binary (issue 16 part 3), on the seed and on
// the erofs threads of the shared corpus: --brief on the v3 6-patch series (thread 05) fits in 40
// lines; in the cachefiles series (thread 02) Jeff Layton's Acked-by, given on the cover letter
// and directly on patch 4, counts once. The corpus tests skip, printing why, when it is absent.
import Foundation
import Testing
import TestSupport

struct BriefCLITests {
    static var erofs: URL {
        CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/lists/linux-erofs.lists.ozlabs.org.0/threads")
    }
    static let offline = ["LKML_REVIEW_OFFLINE": "1"]

    static func thread(_ prefix: String, _ test: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: erofs.path)) ?? []
        guard let name = names.sorted().first(where: { $0.hasPrefix(prefix) }) else {
            print("\(test): skipped: no corpus thread \(prefix)* under \(erofs.path)")
            return nil
        }
        return erofs.appendingPathComponent(name).path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func briefOnTheErofsSeriesFitsIn40Lines() throws {
        guard let exe = CLI.binaryOrSkip("briefOnTheErofsSeriesFitsIn40Lines"),
              let path = Self.thread("05-", "briefOnTheErofsSeriesFitsIn40Lines") else { return }
        for format in ["text", "markdown"] {
            let r = try CLI.run(exe, ["review", "--brief", "--format", format, path], environment: Self.offline)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            print("briefOnTheErofsSeriesFitsIn40Lines: \(format): \(lines.count) lines")
            #expect(lines.count <= 40, "\(format): \(lines.count) lines")
            // One line per patch, the status, and the open remarks.
            #expect(lines.filter { $0.contains("/6") && $0.contains("erofs: ") }.count == 6)
            #expect(lines.contains { $0.contains("Status: 1 of 6 patches reviewed or acked") })
            #expect(lines.contains { $0.contains("R4") && $0.contains("open") })
            for l in lines { #expect(l.count <= 140, "\(l)") }
            #expect(!r.stdout.contains("&lt;") && !r.stdout.contains("&nbsp;"))
        }
    }

    @Test func jeffLaytonsAckCountsOnce() throws {
        guard let exe = CLI.binaryOrSkip("jeffLaytonsAckCountsOnce"),
              let path = Self.thread("02-", "jeffLaytonsAckCountsOnce") else { return }
        let r = try CLI.run(exe, ["review", "--format", "json", path], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        let series = try #require(try Self.json(r.stdout)["series"] as? [[String: Any]])
        let patches = try #require(series.first?["patches"] as? [[String: Any]])
        #expect(patches.count == 5)
        var direct = 0
        for p in patches {
            let trailers = p["trailers"] as? [[String: Any]] ?? []
            let jeff = trailers.filter {
                ($0["key"] as? String) == "Acked-by" && (($0["person"] as? [String: Any])?["name"] as? String) == "Jeff Layton"
            }
            #expect(jeff.count == 1, "patch \(p["index"] ?? "?"): \(jeff.count) Acked-by from Jeff Layton")
            if jeff.first?["fromCoverLetter"] as? Bool == false { direct += 1 }
        }
        print("jeffLaytonsAckCountsOnce: Jeff Layton's Acked-by once on each of \(patches.count) patches (\(direct) given directly)")
        #expect(direct == 1)
        // The summary counts one Acked-by on patch 4, in Markdown and --brief.
        let md = try CLI.run(exe, ["review", path], environment: Self.offline).stdout
        #expect(md.contains("**Review:** 1 Acked-by, 1 Reviewed-by"))
        let brief = try CLI.run(exe, ["review", "--brief", "--format", "text", path], environment: Self.offline).stdout
        let four = try #require(brief.split(separator: "\n").first { $0.hasPrefix("[4/5] ") })
        #expect(four.components(separatedBy: "Jeff Layton").count == 2, "\(four)")
    }

    @Test func filtersInEveryFormat() throws {
        guard let exe = CLI.binaryOrSkip("filtersInEveryFormat"), let path = Self.thread("05-", "filtersInEveryFormat") else { return }
        // --only: patches 2 and 4 in JSON; the same cut in SARIF's remark results.
        let only = try CLI.run(exe, ["review", "--format", "json", "--only", "2,4", path], environment: Self.offline)
        #expect(only.status == 0, "\(only.stderr)")
        let s = try #require((try Self.json(only.stdout)["series"] as? [[String: Any]])?.first)
        #expect((s["patches"] as? [[String: Any]])?.compactMap { $0["index"] as? Int } == [2, 4])
        #expect(s["coverLetter"] == nil || s["coverLetter"] is NSNull)
        // SARIF: --only 3 keeps fewer results than the whole thread, and no more than the JSON cut
        // holds remarks and findings for patch 3 (a remark on no line is no SARIF result).
        func sarifResults(_ extra: [String]) throws -> Int {
            let r = try CLI.run(exe, ["review", "--format", "sarif"] + extra + [path], environment: Self.offline)
            #expect(r.status == 0, "\(r.stderr)")
            let runs = try #require(try Self.json(r.stdout)["runs"] as? [[String: Any]])
            return runs.reduce(0) { $0 + (($1["results"] as? [Any])?.count ?? 0) }
        }
        let three = try CLI.run(exe, ["review", "--format", "json", "--only", "3", path], environment: Self.offline)
        let patches3 = try #require((try Self.json(three.stdout)["series"] as? [[String: Any]])?.first?["patches"] as? [[String: Any]])
        let items3 = patches3.reduce(0) { $0 + (($1["remarks"] as? [Any])?.count ?? 0) + (($1["findings"] as? [Any])?.count ?? 0) }
        let (cut, whole) = (try sarifResults(["--only", "3"]), try sarifResults([]))
        #expect(cut > 0 && cut <= items3 && cut < whole, "\(cut) of \(whole), JSON \(items3)")
        // --reviewer: only Gao Xiang's remarks, by name or address.
        for who in ["gao xiang", "hsiangkao@"] {
            let r = try CLI.run(exe, ["review", "--format", "json", "--reviewer", who, path], environment: Self.offline)
            let series = try #require(try Self.json(r.stdout)["series"] as? [[String: Any]])
            let remarks = series.flatMap { ($0["patches"] as? [[String: Any]] ?? []).flatMap { $0["remarks"] as? [[String: Any]] ?? [] } }
            #expect(!remarks.isEmpty)
            #expect(remarks.allSatisfy { (($0["reviewer"] as? [String: Any])?["name"] as? String) == "Gao Xiang" }, "\(who)")
        }
        // --since after the thread: no remark left; the text and brief formats agree.
        let late = try CLI.run(exe, ["review", "--format", "text", "--since", "2030-01-01", path], environment: Self.offline)
        #expect(late.status == 0 && !late.stdout.contains("[remark]"))
        let brief = try CLI.run(exe, ["review", "--brief", "--format", "text", "--since", "2030-01-01T00:00Z", "--only", "6", path],
                                environment: Self.offline)
        #expect(brief.stdout.split(separator: "\n").count == 3, "\(brief.stdout)")
        // Nothing matches: a note, not an error.
        let none = try CLI.run(exe, ["review", "--format", "json", "--only", "9", path], environment: Self.offline)
        #expect(none.status == 0 && none.stderr.contains("nothing matches"))
        #expect(((try Self.json(none.stdout))["series"] as? [Any])?.isEmpty == true)
    }

    @Test func badFilterValuesAndBriefFormats() throws {
        guard let exe = CLI.binaryOrSkip("badFilterValuesAndBriefFormats") else { return }
        for args in [["--only", "two"], ["--only", "4-2"], ["--since", "last week"], ["--since", "2024-02-30"], ["--reviewer", " "]] {
            let r = try CLI.run(exe, ["review"] + args + [CLI.sample], environment: Self.offline)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(args): \(r.status)")
            #expect(r.stderr.contains(args[0]), "\(args): \(r.stderr)")
        }
        for format in ["json", "sarif", "reply"] {
            let r = try CLI.run(exe, ["review", "--brief", "--format", format, CLI.sample], environment: Self.offline)
            #expect(r.status == 2 && r.stderr.contains("--brief is for the markdown and text formats"), "\(format): \(r.stderr)")
        }
        // The seed in brief: its status, its findings and its three open remarks.
        let r = try CLI.run(exe, ["review", "--brief", "--format", "text", CLI.sample], environment: Self.offline)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks (v1, ") == true)
        #expect(lines.filter { $0.hasPrefix("  R") && $0.contains(" open, Halil Pasic") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("  F") }.count == 8)
        #expect(lines.count <= 14)
    }
}
