// Message-ID, In-Reply-To and References values with the junk seen in the wild: comments,
// quoted phrases, missing angle brackets, `<id> (message from X)`, `Your message of …`.

enum MessageIDParser {
    static let maxIDLength = 998

    /// All message-ids in a field value, in order.
    static func ids(_ raw: ArraySlice<UInt8>) -> [String] {
        var bracketed: [String] = []
        var bare: [String] = []
        var i = raw.startIndex
        let end = raw.endIndex
        var word: [UInt8] = []
        func endWord() {
            if !word.isEmpty {
                if word.contains(UInt8(ascii: "@")) { bare.append(clean(word[...])) }
                word.removeAll()
            }
        }
        while i < end {
            let b = raw[i]
            if b == UInt8(ascii: "(") {
                endWord()
                var depth = 0
                while i < end {
                    if raw[i] == UInt8(ascii: "\\") { i += 2; continue }
                    if raw[i] == UInt8(ascii: "(") { depth += 1 }
                    if raw[i] == UInt8(ascii: ")") { depth -= 1; if depth == 0 { break } }
                    i += 1
                }
                i += 1
                continue
            }
            if b == UInt8(ascii: "\"") {
                endWord()
                i += 1
                while i < end, raw[i] != UInt8(ascii: "\"") { if raw[i] == UInt8(ascii: "\\") { i += 1 }; i += 1 }
                i += 1
                continue
            }
            if b == UInt8(ascii: "<") {
                endWord()
                let s = i + 1
                var j = s
                while j < end, raw[j] != UInt8(ascii: ">"), raw[j] != UInt8(ascii: "<") { j += 1 }
                if j < end, raw[j] == UInt8(ascii: ">") {
                    let id = clean(raw[s..<j])
                    if !id.isEmpty { bracketed.append(id) }
                    i = j + 1
                } else {
                    i = j
                }
                continue
            }
            if isSpaceByte(b) || b == UInt8(ascii: ",") { endWord() } else { word.append(b) }
            i += 1
        }
        endWord()
        return bracketed.isEmpty ? bare : bracketed
    }

    private static func clean(_ bytes: ArraySlice<UInt8>) -> String {
        // Usually there is nothing to drop or cut: no copy.
        if bytes.count <= maxIDLength, let last = bytes.last, last != UInt8(ascii: "'"), last != UInt8(ascii: ","),
           last != UInt8(ascii: ";"), !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return EncodedWords.decodeRaw(bytes)
        }
        var b = bytes.filter { $0 > 0x20 && $0 != 0x7F }
        if b.count > maxIDLength { b = Array(b.prefix(maxIDLength)) }
        while b.last == UInt8(ascii: "'") || b.last == UInt8(ascii: ",") || b.last == UInt8(ascii: ";") { b.removeLast() }
        return EncodedWords.decodeRaw(b[...])
    }
}
