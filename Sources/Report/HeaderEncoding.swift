// Header text of the reply mails as RFC 5322 wants it: 7-bit, non-ASCII words as RFC 2047
// encoded-words (`=?UTF-8?Q?…?=`, each at most 75 characters), lines folded before 78 columns.
// (Mailbox's EncodedWords decodes; this is the other direction, for what the tool writes.)

enum HeaderEncoding {
    /// The longest encoded-word RFC 2047 allows.
    static let maxWord = 75
    static let prefix = "=?UTF-8?Q?"
    static let suffix = "?="

    static func isASCII(_ s: some StringProtocol) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    /// A byte Q-encoding may leave as it is in a phrase (RFC 2047 5(3)): letters, digits, `!*+-/`.
    @inline(__always)
    static func isPlain(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "!") || b == UInt8(ascii: "*") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "/")
    }

    /// Text as encoded-words: a character's bytes are never split between two words; a space is `_`.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        let room = maxWord - prefix.count - suffix.count
        for ch in text {
            var piece = ""
            for b in String(ch).utf8 {
                if b == 0x20 { piece += "_" } else if isPlain(b) { piece.unicodeScalars.append(Unicode.Scalar(b)) } else {
                    piece += "=" + hex(b)
                }
            }
            if current.count + piece.count > room, !current.isEmpty {
                words.append(prefix + current + suffix)
                current = ""
            }
            current += piece
        }
        if !current.isEmpty { words.append(prefix + current + suffix) }
        return words
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }

    /// Unstructured text (a Subject): ASCII words as they are, each run of words holding non-ASCII
    /// characters as encoded-words (the space before the next ASCII word stays outside them).
    static func unstructured(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var out: [String] = []
        var run: [String] = []
        func flush() {
            guard !run.isEmpty else { return }
            out += encodedWords(run.joined(separator: " "))
            run.removeAll()
        }
        for w in words {
            // An ASCII word that looks like an encoded-word is encoded too, so that it reads back as written.
            if isASCII(w) && !w.contains("=?") { flush(); out.append(w) } else { run.append(w) }
        }
        flush()
        return out
    }

    /// A display name as a phrase: encoded-words when it holds non-ASCII characters, a quoted
    /// string when it holds characters special in an address, else as it is.
    static func phrase(_ name: String) -> String {
        if !isASCII(name) || name.contains("=?") { return encodedWords(name).joined(separator: " ") }
        let special = name.contains { "()<>[]:;@\\,.\"".contains($0) }
        guard special else { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
