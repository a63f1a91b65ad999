// `lkml-review` with no INPUT and standard input not a terminal: `echo MSGID | lkml-review`,
// a pasted `Link:` line, or mail piped in. The first non-blank line decides: a message-id or link
// is fetched; anything else is read as mail, as `-` reads it (the bytes looked at are read again).
import Foundation
import Lore
import Mailbox

enum StandardInput {
    enum Start: Equatable {
        /// The first non-blank line names a thread (trimmed).
        case reference(String)
        /// Mail (or nothing): `bytes` were read already and come first.
        case mail(bytes: [UInt8])
    }

    /// The most bytes read to find the first non-blank line; beyond it the input is mail.
    static let peekLimit = 64 << 10

    /// One `read(2)` of at most `buffer.count` bytes appended to `bytes`; false at the end.
    private static func readChunk(_ fd: Int32, into bytes: inout [UInt8], _ buffer: inout [UInt8], count: Int = .max) throws -> Bool {
        let n = try InputFile.readOnce(fd, into: &buffer, count: count, what: "standard input")
        bytes += buffer[0..<n]
        return n > 0
    }

    /// Reads the start of `fd`: up to the end of its first non-blank line (or `peekLimit` bytes).
    static func start(fd: Int32 = STDIN_FILENO) throws -> Start {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < peekLimit {
            guard try readChunk(fd, into: &bytes, &buffer, count: peekLimit - bytes.count) else { break }
            if bytes.starts(with: [0x1F, 0x8B]) { return .mail(bytes: bytes) }
            if let line = firstNonBlankLine(bytes, complete: true) {
                return isReference(line) ? .reference(line) : .mail(bytes: bytes)
            }
        }
        if let line = firstNonBlankLine(bytes, complete: false), isReference(line) { return .reference(line) }
        return .mail(bytes: bytes)
    }

    /// The first line holding more than white space, trimmed; with `complete`, only when its line
    /// feed has arrived.
    static func firstNonBlankLine(_ bytes: [UInt8], complete: Bool) -> String? {
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            if end == nil && complete { return nil }
            let line = String(decoding: bytes[start..<(end ?? bytes.count)], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { return line }
            guard let end else { return nil }
            start = end + 1
        }
        return nil
    }

    /// The prefixes a message-id line may start with; a line `Name:value` with another name is a
    /// mail header.
    static let referencePrefixes = ["id", "mid", "msgid", "rfc822msgid", "http", "https"]

    /// Whether a (trimmed) line names a thread: one word that `ThreadReference` would read (a
    /// message-id, `<id>`, `id:`, `msgid:`, `rfc822msgid:`, `mid:`, a link), or `Link: URL` as a
    /// trailer. A mail's first line (`From …`, `Return-Path: <…>`, `Message-ID: <…>`) has spaces
    /// or a header name, and is not one.
    static func isReference(_ line: String) -> Bool {
        if line.lowercased().hasPrefix("link:") {
            return ThreadReference.looksLikeReference(line)
        }
        if line.contains(where: { $0.isWhitespace }) { return false }
        if !line.hasPrefix("<"), let colon = line.firstIndex(of: ":") {
            let name = line[..<colon]
            let isHeaderName = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            if isHeaderName && !referencePrefixes.contains(name.lowercased()) { return false }
        }
        return ThreadReference.looksLikeReference(line)
    }

    /// Standard input as `review` reads it: without INPUT its first line may name a thread; mail is
    /// read on up to `limit` bytes (`complete`: its end came first), so that a few mails piped in
    /// (mutt's pipe-message) can be looked at whole like a saved file, and longer input is streamed
    /// with these bytes first.
    enum Piped {
        case reference(String)
        case mail(bytes: [UInt8], complete: Bool)
    }

    /// Reads standard input for `review`: `start` first when there is no INPUT (`-` is mail).
    static func piped(withoutInput: Bool, limit: Int, fd: Int32 = STDIN_FILENO) throws -> Piped {
        var bytes: [UInt8] = []
        if withoutInput {
            switch try start(fd: fd) {
            case .reference(let line): return .reference(line)
            case .mail(let b): bytes = b
            }
            if bytes.allSatisfy({ $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) {
                throw ReviewInputError("standard input: empty (give INPUT, or pipe a message-id, a link or mail)")
            }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            guard try readChunk(fd, into: &bytes, &buffer) else { return .mail(bytes: bytes, complete: true) }
        }
        return .mail(bytes: bytes, complete: false)
    }

    /// Streams standard input's messages, `prefix` (the bytes read already) first.
    static func forEachMail(prefix: [UInt8], options: ReadOptions, _ body: (Message) throws -> Void) throws {
        do {
            try MailReader.forEach(fd: STDIN_FILENO, name: "standard input", prefix: prefix, options: options, body)
        } catch let e as MailboxError {
            throw ReviewInputError(e.description)
        }
    }
}
