// The man page and the shell completions stay in step with the binary: docs/man/lkml-review.1
// holds the hand-written sections of docs/man/sections.mdoc (merged by `make man`) and every
// option the binary shows; docs/completions/* are what `--generate-completion-script` writes; and
// bash (zsh and fish when installed) completes file names, folders and --format values, also at
// the top level where review is the default subcommand.
import Foundation
import Testing
import TestSupport

@Suite("man page and completions")
struct ManPageAndCompletionTests {
    static var page: URL { CLI.repoRoot.appendingPathComponent("docs/man/lkml-review.1") }
    static var sections: URL { CLI.repoRoot.appendingPathComponent("docs/man/sections.mdoc") }

    /// `.Sh` sections of an mdoc text: (name, text), comment lines dropped.
    static func split(_ text: String) -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(".\\\"") {
            if line.hasPrefix(".Sh ") {
                out.append((line.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), ""))
            }
            if !out.isEmpty { out[out.count - 1].1 += line + "\n" }
        }
        return out
    }

    @Test func manPageHoldsTheHandWrittenSections() throws {
        let page = try String(contentsOf: Self.page, encoding: .utf8)
        let own = Self.split(try String(contentsOf: Self.sections, encoding: .utf8))
        #expect(own.map(\.name) == ["ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"])
        let sections = Self.split(page)
        #expect(sections.map(\.name) == ["NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"])
        for (name, text) in own {
            #expect(sections.first { $0.name == name }?.text.trimmingCharacters(in: .newlines) == text.trimmingCharacters(in: .newlines),
                    "\(name) of docs/man/lkml-review.1 differs from docs/man/sections.mdoc: run make man")
        }
        #expect(!page.contains(".Ex -std"), "the generic exit status text")
        let environment = sections.first { $0.name == "ENVIRONMENT" }?.text ?? ""
        for variable in ["XDG_CACHE_HOME", "LKML_REVIEW_LORE", "NO_COLOR", "LKML_REVIEW_TREE", "LKML_REVIEW_OFFLINE",
                         "lkml-review.tree", "lkml-review.format", "lkml-review.context", "lkml-review.fail-on", "b4.midmask", "b4.linkmask"] {
            #expect(environment.contains(variable), "\(variable)")
        }
        // every LKML_REVIEW_* variable the sources read is documented
        let sources = CLI.repoRoot.appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(pattern: "\"(LKML_REVIEW_[A-Z_]+)\"")
        var read = Set<String>()
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                read.insert((text as NSString).substring(with: m.range(at: 1)))
            }
        }
        #expect(read.count >= 3)
        for v in read { #expect(environment.contains("Ev \(v)"), "\(v) is read by the sources but not in ENVIRONMENT") }
        let exit = sections.first { $0.name == "EXIT STATUS" }?.text ?? ""
        #expect(exit.contains(".It 0") && exit.contains(".It 1") && exit.contains(".It 2"))
        let seeAlso = sections.first { $0.name == "SEE ALSO" }?.text ?? ""
        for page in ["Xr b4 5", "Xr git-send-email 1", "Xr git-am 1"] { #expect(seeAlso.contains(page), "\(page)") }
    }

    /// Every option the binary shows (from --experimental-dump-help), in every command, is in the
    /// page; the hidden old spellings are not.
    @Test func manPageListsEveryOptionOfTheBinary() throws {
        guard let exe = CLI.binaryOrSkip("manPageListsEveryOptionOfTheBinary") else { return }
        let page = try String(contentsOf: Self.page, encoding: .utf8)
        let dump = try CLI.run(exe, ["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var shown = Set<String>(), hidden = Set<String>()
        func walk(_ command: [String: Any]) {
            for a in command["arguments"] as? [[String: Any]] ?? [] {
                let names = (a["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }.compactMap { $0["name"] as? String }
                for n in names {
                    if a["shouldDisplay"] as? Bool == false { hidden.insert(n) } else { shown.insert(n) }
                }
            }
            // A hidden command (`mine-locks`, for scripts/mine-tables) is not in the page.
            for s in command["subcommands"] as? [[String: Any]] ?? [] where s["shouldDisplay"] as? Bool != false { walk(s) }
        }
        walk(try #require(root["command"] as? [String: Any]))
        #expect(shown.isSuperset(of: ["format", "tables", "tree", "output", "mbox-format", "fail-on", "context"]))
        #expect(hidden.subtracting(["help"]) == ["json", "rules"])
        for n in shown {
            #expect(page.contains("Fl -\(n)") || page.contains(" , -\(n)"), "--\(n) is not in docs/man/lkml-review.1: run make man")
        }
        for n in hidden { #expect(!page.contains("Fl -\(n) "), "--\(n) is hidden but in the page") }
    }

    @Test func manShowsTheNewSections() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/man") else {
            print("manShowsTheNewSections: skipped: no /usr/bin/man")
            return
        }
        let r = try Self.run("/usr/bin/man", ["-l", Self.page.path], environment: ["MANPAGER": "cat", "MANWIDTH": "80", "PAGER": "cat", "HOME": NSTemporaryDirectory()])
        #expect(r.status == 0, "\(r.stderr)")
        let text = r.stdout.replacingOccurrences(of: "\u{8}.", with: "", options: .regularExpression)
        for heading in ["ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(text.contains("\n\(heading)\n"), "\(heading)")
        }
        #expect(text.contains("LKML_REVIEW_OFFLINE"))
        #expect(text.contains("echo 1-jane@example.org | lkml-review"))
        #expect(!text.contains("exits 0 on success, and >0 if an error occurs"))
        #expect(r.stderr.isEmpty, "man -l warns: \(r.stderr)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") {
            let strict = try Self.run("/usr/bin/groff", ["-mdoc", "-Tutf8", "-ww", "-z", Self.page.path])
            #expect(strict.status == 0 && strict.stderr.isEmpty, "groff -ww: \(strict.stderr)")
        }
    }

    @Test func completionFilesAreWhatTheBinaryWrites() throws {
        guard let exe = CLI.binaryOrSkip("completionFilesAreWhatTheBinaryWrites") else { return }
        for shell in ["bash", "zsh", "fish"] {
            let r = try CLI.run(exe, ["--generate-completion-script", shell])
            #expect(r.status == 0)
            let file = try String(contentsOf: CLI.repoRoot.appendingPathComponent("docs/completions/lkml-review.\(shell)"), encoding: .utf8)
            #expect(file == r.stdout, "docs/completions/lkml-review.\(shell) is out of date: run make completions")
            #expect(try CLI.run(exe, ["--generate-completion-script=\(shell)"]).stdout == r.stdout)
        }
    }

    /// Completions in a folder holding a file and a subfolder: what bash offers for the words.
    static func bash(_ script: String, _ words: [String], in dir: URL) throws -> [String] {
        let driver = """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _lkml-review_top_level lkml-review "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
        let r = try run("/bin/bash", ["-c", driver, "driver", script, "lkml-review"] + words, directory: dir)
        #expect(r.status == 0, "\(words): \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func bashCompletesFilesFoldersAndFormatsAlsoAtTheTopLevel() throws {
        guard let exe = CLI.binaryOrSkip("bashCompletesFilesFoldersAndFormatsAlsoAtTheTopLevel") else { return }
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            print("bashCompletesFilesFoldersAndFormatsAlsoAtTheTopLevel: skipped: no /bin/bash")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-completion-\(UUID().uuidString)")
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("linux"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: work.appendingPathComponent("thread.mbox"))
        let script = dir.appendingPathComponent("lkml-review.bash").path
        try Data(try CLI.run(exe, ["--generate-completion-script", "bash"]).stdout.utf8).write(to: URL(fileURLWithPath: script))
        let files = ["linux", "thread.mbox"]
        let cases: [([String], [String])] = [
            (["--format", ""], ["json", "markdown", "reply", "sarif", "text"]),          // the top level: review's formats
            (["--format", "json", ""], files),                                    // INPUT
            (["--tree", ""], ["linux"]),                                          // folders only
            (["-o", ""], files), (["--tables", ""], files), (["--cache-dir", ""], ["linux"]),
            (["--fo"], ["--format"]),
            (["review", "--format", ""], ["json", "markdown", "reply", "sarif", "text"]),
            (["check", "--format", ""], ["json", "sarif", "text"]),
            (["check", "--patch", ""], files), (["check", "--tree", ""], ["linux"]), (["check", ""], files),
            (["remarks", "--format", ""], ["json", "text"]), (["parse", "--format", ""], ["json", "text"]),
            (["rules", "--format", ""], ["json", "text"]), (["rules", "--tables", ""], files),
            (["fetch", "-o", ""], files),
        ]
        for (words, expected) in cases {
            #expect(try Self.bash(script, words, in: work) == expected, "lkml-review \(words.joined(separator: " "))<TAB>")
        }
        // the first word: subcommands, files, and the options
        let first = try Self.bash(script, [""], in: work)
        #expect(Set(first).isSuperset(of: ["review", "check", "fetch", "thread.mbox", "linux"]), "\(first)")
    }

    @Test func zshAndFishScriptsParseAndFishCompletesTheTopLevel() throws {
        guard let exe = CLI.binaryOrSkip("zshAndFishScriptsParseAndFishCompletesTheTopLevel") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-completion-\(UUID().uuidString)")
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("linux"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (shell, check) in [("zsh", ["-n"]), ("fish", ["-n"])] {
            guard let path = ["/usr/bin/\(shell)", "/bin/\(shell)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                print("zshAndFishScriptsParseAndFishCompletesTheTopLevel: \(shell) not installed: its script is not checked")
                continue
            }
            let script = dir.appendingPathComponent("lkml-review.\(shell)").path
            try Data(try CLI.run(exe, ["--generate-completion-script", shell]).stdout.utf8).write(to: URL(fileURLWithPath: script))
            let r = try Self.run(path, check + [script], environment: ["HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "XDG_DATA_HOME": dir.path])
            #expect(r.status == 0, "\(shell) -n: \(r.stderr)")
            if shell == "fish" {
                func complete(_ line: String) throws -> [String] {
                    let c = try Self.run(path, ["--no-config", "-c", "source \(script); complete -C '\(line)'"], directory: work,
                                         environment: ["HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "XDG_DATA_HOME": dir.path])
                    return c.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }.sorted()
                }
                #expect(try complete("lkml-review --format ") == ["json", "markdown", "reply", "sarif", "text"])
                #expect(try complete("lkml-review --tree ") == ["linux/"])
                #expect(try complete("lkml-review check --format ") == ["json", "sarif", "text"])
            }
        }
    }

    static func run(_ executable: String, _ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let r = ChildOutput.drain(p, out: out, err: err)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}
