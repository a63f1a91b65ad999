// The kernel tree a review reads (the rules' pre-images, the remark checks): `--tree DIR`, else
// $LKML_REVIEW_TREE, else git config `lkml-review.tree`, so a reviewer sets it once.
import Foundation

/// The tree setting and where it came from.
public struct TreeSetting: Sendable, Equatable {
    public enum Origin: String, Sendable, Equatable {
        case option = "--tree"
        case environment = "LKML_REVIEW_TREE"
        case gitConfig = "git config lkml-review.tree"
    }
    public var path: String
    public var origin: Origin

    public static let environmentVariable = "LKML_REVIEW_TREE"

    /// An explicit `--tree` that is not a directory.
    public struct NotADirectory: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var description: String { "--tree \(path): not a directory" }
    }

    /// `option` when given (a path that is not a directory throws), else the environment variable,
    /// else `configuredTree()` (git config). A tree from the environment or git config that is not a
    /// directory is left out with one warning line (the rules then run in hunk mode).
    public static func resolve(option: String?, environment: [String: String], configuredTree: () -> String?,
                               warn: (String) -> Void) throws(NotADirectory) -> TreeSetting? {
        if let option {
            guard isDirectory(option) else { throw NotADirectory(path: option) }
            return TreeSetting(path: option, origin: .option)
        }
        let candidate: TreeSetting
        if let env = environment[environmentVariable], !env.isEmpty {
            candidate = TreeSetting(path: env, origin: .environment)
        } else if let configured = configuredTree(), !configured.isEmpty {
            candidate = TreeSetting(path: configured, origin: .gitConfig)
        } else {
            return nil
        }
        guard isDirectory(candidate.path) else {
            warn("\(candidate.origin.rawValue) \(candidate.path) is not a directory: the rules run in hunk mode")
            return nil
        }
        return candidate
    }

    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
