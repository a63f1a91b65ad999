import Foundation
import Patch

/// Patches for the tests, always read by the real parser (`PatchParser`): diff text written out
/// here, or the quoted diff of a review reply.
enum PatchText {
    /// A new file holding `code`, as the unified diff that adds every line, parsed.
    static func adding(_ code: String, path: String = "x.c") -> FilePatch {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        var text = "diff --git a/\(path) b/\(path)\nnew file mode 100644\n--- /dev/null\n+++ b/\(path)\n"
        text += "@@ -0,0 +1,\(lines.count) @@\n"
        for l in lines { text += "+" + l + "\n" }
        return parse(text).first ?? FilePatch(oldPath: nil, newPath: path, change: .added)
    }

    /// Every file patch of a diff.
    static func parse(_ text: String) -> [FilePatch] {
        PatchParser.parse(text).files
    }

    /// The quoted diff of a review reply: one level of `> ` removed, the reviewer's own lines
    /// dropped.
    static func unquote(_ mail: String) -> String {
        var out: [String] = []
        for l in mail.split(separator: "\n", omittingEmptySubsequences: false) {
            if l.hasPrefix("> ") { out.append(String(l.dropFirst(2))) }
            else if l == ">" { out.append("") }
        }
        return out.joined(separator: "\n")
    }
}
