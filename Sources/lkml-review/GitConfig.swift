// The `lkml-review.*` keys of git config (`git config --get lkml-review.KEY`), read once per key:
// `lkml-review.tree` (see `TreeSetting`); other keys are added here.
import Foundation
import Report

/// `lkml-review.*` settings from git config (the user's, the system's and, inside a repository, the
/// repository's). Missing git, an unset key or a failing git all read as nil.
final class GitConfig: @unchecked Sendable {
    /// The section every key of this tool lives in.
    static let section = "lkml-review"
    private let environment: [String: String]
    private let lock = NSLock()
    private var cache: [String: String?] = [:]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// `lkml-review.<key>` as written (`git config --get`).
    func string(_ key: String) -> String? { read(key, type: nil) }

    /// `lkml-review.<key>` as a path: `~/` expanded by git (`git config --type=path --get`).
    func path(_ key: String) -> String? { read(key, type: "path") }

    private func read(_ key: String, type: String?) -> String? {
        let name = Self.section + "." + key
        let cacheKey = (type ?? "") + ":" + name
        lock.lock(); defer { lock.unlock() }
        if let hit = cache[cacheKey] { return hit }
        let arguments = ["config"] + (type.map { ["--type=\($0)"] } ?? []) + ["--get", name]
        let value = GitTool.run(arguments, environment: environment)
            .map { $0.trimmingCharacters(in: .newlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
        cache[cacheKey] = value
        return value
    }
}
