// git config as lkml-review reads it: b4's keys it honours (`b4.midmask`, `b4.linkmask`) and its
// own defaults under `lkml-review.*` (`tree`, `format`, `context`, `fail-on`). One reader for all
// of them: a single `git config -z --get-regexp` the first time a key is asked.
import Foundation
import Report

/// The `b4.*` and `lkml-review.*` keys of git config (the user's, the system's and, inside a
/// repository, the repository's, as `git config --get` reads them). Missing git, an unset key or
/// a failing git all read as nil.
final class GitConfig: @unchecked Sendable {
    /// The section every key of this tool lives in.
    static let section = "lkml-review"

    /// The keys read: `b4.midmask` (the server to fetch from), `b4.searchmask` (the inbox to
    /// search, as b4's `https://lore.kernel.org/all/?x=m&t=1&q=%s`), `b4.linkmask` (the links the
    /// report prints) and this tool's own defaults.
    enum Key: String, CaseIterable {
        case midmask = "b4.midmask"
        case searchmask = "b4.searchmask"
        case linkmask = "b4.linkmask"
        case tree = "lkml-review.tree"
        case format = "lkml-review.format"
        case context = "lkml-review.context"
        case failOn = "lkml-review.fail-on"
    }

    private let environment: [String: String]
    private let lock = NSLock()
    private var values: [String: String]?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// A key as written (the last value when it is set more than once, as `git config --get`).
    func string(_ key: Key) -> String? {
        let all = lock.withLock { () -> [String: String] in
            if let values { return values }
            let read = Self.read(environment: environment)
            values = read
            return read
        }
        return all[key.rawValue].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A key as a path: `~` and `~/…` expanded to $HOME, `~user/…` to that user's home, as
    /// `git config --type=path` does.
    func path(_ key: Key) -> String? {
        string(key).map { Self.expandTilde($0, home: environment["HOME"]) }
    }

    /// `git config -z --get-regexp '^(b4|lkml-review)\.'`: entries `name LF value NUL` (names in
    /// lower case), a key without `=` as `name NUL`.
    static func read(environment: [String: String]) -> [String: String] {
        guard let output = GitTool.run(["config", "-z", "--get-regexp", "^(b4|lkml-review)\\."], environment: environment) else {
            return [:]
        }
        var values: [String: String] = [:]
        for entry in output.split(separator: "\0", omittingEmptySubsequences: true) {
            if let newline = entry.firstIndex(of: "\n") {
                values[String(entry[..<newline])] = String(entry[entry.index(after: newline)...])
            } else {
                values[String(entry)] = ""
            }
        }
        return values
    }

    static func expandTilde(_ path: String, home: String?) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = path[path.index(after: path.startIndex)..<slash]
        let base: String?
        if user.isEmpty {
            base = home.flatMap { $0.isEmpty ? nil : $0 }
        } else {
            base = getpwnam(String(user)).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } }
        }
        guard var base else { return path }
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base + path[slash...]
    }
}
