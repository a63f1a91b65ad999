// One message: bytes → `Message` (headers decoded, MIME walked, text chosen, trailers found).

public enum MessageParser {
    /// Parses one message's bytes (without the mbox `From ` line). Never throws: problems become
    /// warnings on the message.
    public static func parse(_ bytes: ArraySlice<UInt8>, index: Int = 0, offset: Int = 0,
                             limits: ParseLimits = ParseLimits()) -> Message {
        var warnings: [ParseWarning] = []
        var input = bytes
        if input.count > limits.maxMessageBytes {
            warnings.append(ParseWarning(.messageTooLarge, "message of \(input.count) bytes cut at \(limits.maxMessageBytes)"))
            input = input.prefix(limits.maxMessageBytes)
        }
        let (raw, bodyStart) = HeaderParser.parse(input, limits: limits, warnings: &warnings)
        var msg = Message(index: index, offset: offset)
        msg.headers.reserveCapacity(raw.count)

        // Each key is classified once; the lookups below compare small integers.
        let fields = raw.map { field($0.key) }
        func first(_ f: Field) -> RawHeader? { fields.firstIndex(of: f).map { raw[$0] } }

        for (k, h) in raw.enumerated() {
            let value: String
            switch fields[k] {
            case .subject, .from, .to, .cc, .decoded:
                var hw: [ParseWarning] = []
                value = EncodedWords.decode(h.value, warnings: &hw)
                // the address fields are parsed again below and report there
                if fields[k] != .from && fields[k] != .to && fields[k] != .cc { warnings += hw }
            default:
                value = EncodedWords.decodeRaw(h.value)
            }
            msg.headers.append(HeaderField(name: h.name, value: value))
        }
        if let s = fields.firstIndex(of: .subject) {
            // decoded above already: `headers` runs parallel to `raw`
            msg.subject = msg.headers[s].value.replacingAll("\t", with: " ")
        }
        msg.subjectInfo = SubjectParser.parse(msg.subject)
        if let f = first(.from) {
            msg.from = AddressParser.parseList(f.value, warnings: &warnings).first
            if msg.from == nil { warnings.append(ParseWarning(.badAddress, "From: has no address")) }
        } else if !raw.isEmpty {
            warnings.append(ParseWarning(.missingFrom, "no From: header"))
        }
        for (k, h) in raw.enumerated() where fields[k] == .to { msg.to += AddressParser.parseList(h.value, warnings: &warnings) }
        for (k, h) in raw.enumerated() where fields[k] == .cc { msg.cc += AddressParser.parseList(h.value, warnings: &warnings) }
        if let d = first(.date) {
            let text = EncodedWords.decodeRaw(d.value)
            msg.date = DateParser.parse(text)
            if msg.date == nil { warnings.append(ParseWarning(.badDate, "unparseable Date: \(text.prefix(80))")) }
        } else {
            warnings.append(ParseWarning(.missingDate, "no Date: header"))
        }
        if let m = first(.messageID) {
            msg.messageID = MessageIDParser.ids(m.value).first
            if msg.messageID == nil { warnings.append(ParseWarning(.badMessageID, "Message-ID without an id: \(EncodedWords.decodeRaw(m.value).prefix(80))")) }
        } else {
            warnings.append(ParseWarning(.missingMessageID, "no Message-ID: header"))
        }
        if let r = first(.inReplyTo) { msg.inReplyTo = MessageIDParser.ids(r.value).first }
        for (k, h) in raw.enumerated() where fields[k] == .references { msg.references += MessageIDParser.ids(h.value) }
        if msg.references.count > 1 {
            // drop duplicates, keep order
            var seen = Set<String>()
            msg.references = msg.references.filter { seen.insert($0).inserted }
        }

        let body = input[bodyStart...]
        let isMIME = fields.contains { $0 == .contentType || $0 == .contentTransferEncoding }
        var mime = MIMEResult(tree: MIMEPart(contentType: "text/plain"))
        if isMIME {
            MIMEWalker.walk(headers: raw, body: body, limits: limits, result: &mime)
        } else {
            // plain RFC 5322 message: 8-bit text in an unknown charset
            let part = MIMEPart(contentType: "text/plain", size: body.count, role: "body")
            mime.tree = part
            mime.bodyParts = [MIMEWalker.decodeText(Array(body), ct: ContentType(type: "text/plain", params: [:]), result: &mime)]
        }
        warnings += mime.warnings
        msg.mime = mime.tree
        if mime.bodyParts.isEmpty, let html = mime.htmlFallback {
            msg.body = html
            warnings.append(ParseWarning(.noTextPart, "no text/plain part; text taken from the HTML part"))
        } else {
            msg.body = mime.bodyParts.joined(separator: "\n")
            if mime.bodyParts.isEmpty && mime.patches.isEmpty && isMIME {
                warnings.append(ParseWarning(.noTextPart, "no text part"))
            }
        }
        msg.patchAttachments = mime.patches
        if let longest = longestLine(body, over: limits.maxLineBytes) {
            warnings.append(ParseWarning(.lineTooLong, "a line of \(longest) bytes"))
        }
        msg.trailers = TrailerParser.parse(body: msg.body, sender: msg.from)
        msg.warnings = warnings
        return msg
    }

    /// The header fields read here. `decoded`: other fields whose RFC 2047 words are decoded.
    enum Field: UInt8 {
        case other, decoded, subject, from, to, cc, date, messageID, inReplyTo, references, contentType, contentTransferEncoding
    }

    /// A lowercased key's field, found by length and first byte before one string comparison
    /// (comparing each of a message's ~36 keys against every name in ten lookups cost more than
    /// the rest of the header work).
    static func field(_ key: String) -> Field {
        let u = key.utf8
        guard let c = u.first else { return .other }
        let name: StaticString
        let f: Field
        switch (u.count, c) {
        case (2, UInt8(ascii: "t")): (name, f) = ("to", .to)
        case (2, UInt8(ascii: "c")): (name, f) = ("cc", .cc)
        case (4, UInt8(ascii: "f")): (name, f) = ("from", .from)
        case (4, UInt8(ascii: "d")): (name, f) = ("date", .date)
        case (6, UInt8(ascii: "s")): (name, f) = ("sender", .decoded)
        case (7, UInt8(ascii: "s")): (name, f) = ("subject", .subject)
        case (8, UInt8(ascii: "r")): (name, f) = ("reply-to", .decoded)
        case (8, UInt8(ascii: "x")): (name, f) = ("x-mailer", .decoded)
        case (8, UInt8(ascii: "c")): (name, f) = ("comments", .decoded)
        case (8, UInt8(ascii: "k")): (name, f) = ("keywords", .decoded)
        case (10, UInt8(ascii: "m")): (name, f) = ("message-id", .messageID)
        case (10, UInt8(ascii: "r")): (name, f) = ("references", .references)
        case (10, UInt8(ascii: "u")): (name, f) = ("user-agent", .decoded)
        case (11, UInt8(ascii: "i")): (name, f) = ("in-reply-to", .inReplyTo)
        case (12, UInt8(ascii: "c")): (name, f) = ("content-type", .contentType)
        case (12, UInt8(ascii: "o")): (name, f) = ("organization", .decoded)
        case (19, UInt8(ascii: "c")): (name, f) = ("content-description", .decoded)
        case (25, UInt8(ascii: "c")): (name, f) = ("content-transfer-encoding", .contentTransferEncoding)
        default: return .other
        }
        // Header keys are native strings: compare their contiguous bytes.
        let same = name.withUTF8Buffer { n in
            u.withContiguousStorageIfAvailable { k in k.elementsEqual(n) } ?? u.elementsEqual(n)
        }
        return same ? f : .other
    }

    /// The length of the longest line when it is longer than `limit` (a body no longer than the
    /// limit cannot hold such a line and is not scanned).
    static func longestLine(_ b: ArraySlice<UInt8>, over limit: Int) -> Int? {
        guard b.count > limit else { return nil }
        var longest = 0
        b.withUnsafeBufferPointer { buf in
            var last = -1
            for i in 0..<buf.count where buf[i] == LF {
                longest = max(longest, i - last - 1)
                last = i
            }
            longest = max(longest, buf.count - last - 1)
        }
        return longest > limit ? longest : nil
    }
}
