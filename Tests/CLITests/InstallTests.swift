// `make install PREFIX=…` puts the binary, the man page and the three completion scripts under
// PREFIX (here a temporary folder; BIN names the tested binary so that nothing is built), and
// `make uninstall` takes them away again.
import Foundation
import Testing

@Suite("make install")
struct InstallTests {
    static let parts = ["bin/lkml-review", "share/man/man1/lkml-review.1", "share/bash-completion/completions/lkml-review",
                        "share/zsh/site-functions/_lkml-review", "share/fish/vendor_completions.d/lkml-review.fish"]

    @Test func installPutsTheBinaryTheManPageAndTheCompletionsUnderPrefix() throws {
        guard let exe = CLI.binaryOrSkip("installPutsTheBinaryTheManPageAndTheCompletionsUnderPrefix") else { return }
        guard let make = ["/usr/bin/make", "/bin/make"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("installPutsTheBinaryTheManPageAndTheCompletionsUnderPrefix: skipped: no make")
            return
        }
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let root = CLI.repoRoot.path
        let r = try ManPageAndCompletionTests.run(make, ["-C", root, "install", "PREFIX=\(prefix.path)", "BIN=\(exe)"],
                                                  environment: ["DESTDIR": "", "MAKEFLAGS": ""])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        for part in Self.parts {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(part).path), "\(part)")
        }
        let installed = prefix.appendingPathComponent("bin/lkml-review").path
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        #expect(try CLI.run(installed, ["--version"]).stdout == "0.1.0\n")
        #expect(try Data(contentsOf: prefix.appendingPathComponent("share/man/man1/lkml-review.1"))
                == Data(contentsOf: CLI.repoRoot.appendingPathComponent("docs/man/lkml-review.1")))
        for (shell, part) in [("bash", Self.parts[2]), ("zsh", Self.parts[3]), ("fish", Self.parts[4])] {
            #expect(try String(contentsOf: prefix.appendingPathComponent(part), encoding: .utf8)
                    == CLI.run(exe, ["--generate-completion-script", shell]).stdout, "\(shell)")
        }
        // nothing else is written under PREFIX
        let files = FileManager.default.enumerator(atPath: prefix.path)?.compactMap { $0 as? String }
            .filter { !((try? FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent($0).path)[.type] as? FileAttributeType) == .typeDirectory) }
        #expect(Set(files ?? []) == Set(Self.parts))

        let u = try ManPageAndCompletionTests.run(make, ["-C", root, "uninstall", "PREFIX=\(prefix.path)"], environment: ["DESTDIR": ""])
        #expect(u.status == 0, "\(u.stderr)")
        for part in Self.parts { #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(part).path), "\(part)") }
    }
}
