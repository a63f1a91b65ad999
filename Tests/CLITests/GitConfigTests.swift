// The user's defaults in git config (`lkml-review.format`, `.context`, `.fail-on`, `.tree`,
// `b4.linkmask`), read by one reader from an isolated config file (CLI.run), never the user's.
import Foundation
import Testing
import TestSupport

final class GitConfigTests {
    let folder: TempFolder
    var dir: URL { folder.url }
    static var acme: String { CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path }

    init() throws { folder = try TempFolder("lkml-review-gitconfig") }

    func write(_ name: String, _ text: String) throws -> String { try folder.write(name, text) }

    @Test func reviewDefaultsComeFromGitConfigAndOptionsWin() throws {
        guard let exe = CLI.binaryOrSkip("reviewDefaultsComeFromGitConfigAndOptionsWin") else { return }
        let config = "[lkml-review]\n\tformat = json\n\tcontext = 1\n\tfail-on = warning\n"
        let configured = try CLI.run(exe, [CLI.sample], gitConfig: config)
        #expect(configured.status == 1, "fail-on warning from git config: \(configured.stderr)")
        #expect(configured.stdout == (try CLI.run(exe, ["--format", "json", "--context", "1", CLI.sample]).stdout))
        // options win over the configuration
        let options = try CLI.run(exe, ["--format", "markdown", "--context", "3", "--fail-on", "error", CLI.sample], gitConfig: config)
        #expect(options.status == 0)
        #expect(options.stdout == (try CLI.run(exe, ["--context", "3", CLI.sample]).stdout))
        // without configuration: markdown, context 4, no fail-on
        let plain = try CLI.run(exe, [CLI.sample])
        #expect(plain.status == 0)
        #expect(plain.stdout.hasPrefix("# "))
        #expect(plain.stdout == (try CLI.run(exe, ["--context", "4", CLI.sample]).stdout))
    }

    @Test func treeFromGitConfigIsExpandedLikeGitPaths() throws {
        guard let exe = CLI.binaryOrSkip("treeFromGitConfigIsExpandedLikeGitPaths") else { return }
        let home = dir.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home.appendingPathComponent("linux").path,
                                                   withDestinationPath: CLI.repoRoot.appendingPathComponent("Samples/tree").path)
        let tree = home.appendingPathComponent("linux").path
        let explicit = try CLI.run(exe, ["--format", "json", "--tree", tree, Self.acme])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicit.stdout.contains("\"analysisSource\" : \"tree\""), "\(explicit.stdout.prefix(400))")
        let configured = try CLI.run(exe, ["--format", "json", Self.acme], environment: ["HOME": home.path],
                                     gitConfig: "[lkml-review]\n\ttree = ~/linux\n")
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stdout == explicit.stdout)
    }

    @Test func linkmaskShapesThePrintedLinks() throws {
        guard let exe = CLI.binaryOrSkip("linkmaskShapesThePrintedLinks") else { return }
        let id = "20240312091402.4711-1-jane@example.org"
        let plain = try CLI.run(exe, [Self.acme])
        #expect(plain.stdout.contains("[lore](https://lore.kernel.org/all/\(id)/)"))
        let masked = try CLI.run(exe, [Self.acme], gitConfig: "[b4]\n\tlinkmask = https://patch.msgid.link/%s\n")
        #expect(masked.status == 0, "\(masked.stderr)")
        #expect(masked.stdout.contains("[lore](https://patch.msgid.link/\(id))"))
        #expect(!masked.stdout.contains("lore.kernel.org/all/"))
        let json = try CLI.run(exe, ["--format", "json", Self.acme], gitConfig: "[b4]\n\tlinkmask = https://lore.kernel.org/r/%s\n")
        #expect(json.stdout.contains("\"loreURL\" : \"https://lore.kernel.org/r/\(id)\""))
    }

    @Test func aBadConfigValueIsOneLineNamingTheKey() throws {
        guard let exe = CLI.binaryOrSkip("aBadConfigValueIsOneLineNamingTheKey") else { return }
        let cases = [
            ("[lkml-review]\n\tformat = yaml\n", "git config lkml-review.format: \"yaml\" is not one of markdown, json, sarif, text"),
            ("[lkml-review]\n\tcontext = 99\n", "git config lkml-review.context: \"99\" is not a number from 0 to 50"),
            ("[lkml-review]\n\tfail-on = fatal\n", "git config lkml-review.fail-on: \"fatal\" is not one of note, warning, error"),
            ("[b4]\n\tlinkmask = javascript:alert(1)//%s\n", "git config b4.linkmask: \"javascript:alert(1)//%s\" is not an http:// or https:// URL"),
        ]
        for (config, message) in cases {
            let r = try CLI.run(exe, [CLI.sample], gitConfig: config)
            #expect(r.status == 2)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("lkml-review: " + message), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            // an option given on the command line does not make the bad value acceptable elsewhere,
            // but the value it replaces is not read: --format json with a bad format key works
            if config.contains("format = yaml") {
                #expect(try CLI.run(exe, ["--format", "json", CLI.sample], gitConfig: config).status == 0)
            }
        }
    }
}
