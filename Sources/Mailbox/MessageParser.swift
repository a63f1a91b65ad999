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

        func first(_ key: String) -> RawHeader? { raw.first { $0.key == key } }

        for h in raw {
            let value: String
            switch h.key {
            case "subject", "from", "to", "cc", "reply-to", "sender", "x-mailer", "user-agent", "organization",
                 "comments", "keywords", "content-description":
                var hw: [ParseWarning] = []
                value = EncodedWords.decode(h.value, warnings: &hw)
                // the address fields are parsed again below and report there
                if !["from", "to", "cc"].contains(h.key) { warnings += hw }
            default:
                value = EncodedWords.decodeRaw(h.value)
            }
            msg.headers.append(HeaderField(name: h.name, value: value))
        }
        if let s = raw.firstIndex(where: { $0.key == "subject" }) {
            // decoded above already: `headers` runs parallel to `raw`
            msg.subject = msg.headers[s].value.replacingAll("\t", with: " ")
        }
        msg.subjectInfo = SubjectParser.parse(msg.subject)
        if let f = first("from") {
            msg.from = AddressParser.parseList(f.value, warnings: &warnings).first
            if msg.from == nil { warnings.append(ParseWarning(.badAddress, "From: has no address")) }
        } else if !raw.isEmpty {
            warnings.append(ParseWarning(.missingFrom, "no From: header"))
        }
        for h in raw where h.key == "to" { msg.to += AddressParser.parseList(h.value, warnings: &warnings) }
        for h in raw where h.key == "cc" { msg.cc += AddressParser.parseList(h.value, warnings: &warnings) }
        if let d = first("date") {
            let text = EncodedWords.decodeRaw(d.value)
            msg.date = DateParser.parse(text)
            if msg.date == nil { warnings.append(ParseWarning(.badDate, "unparseable Date: \(text.prefix(80))")) }
        } else {
            warnings.append(ParseWarning(.missingDate, "no Date: header"))
        }
        if let m = first("message-id") {
            msg.messageID = MessageIDParser.ids(m.value).first
            if msg.messageID == nil { warnings.append(ParseWarning(.badMessageID, "Message-ID without an id: \(EncodedWords.decodeRaw(m.value).prefix(80))")) }
        } else {
            warnings.append(ParseWarning(.missingMessageID, "no Message-ID: header"))
        }
        if let r = first("in-reply-to") { msg.inReplyTo = MessageIDParser.ids(r.value).first }
        for h in raw where h.key == "references" { msg.references += MessageIDParser.ids(h.value) }
        if msg.references.count > 1 {
            // drop duplicates, keep order
            var seen = Set<String>()
            msg.references = msg.references.filter { seen.insert($0).inserted }
        }

        let body = input[bodyStart...]
        let isMIME = raw.contains { $0.key == "content-type" || $0.key == "content-transfer-encoding" }
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
        if let longest = longestLine(body), longest > limits.maxLineBytes {
            warnings.append(ParseWarning(.lineTooLong, "a line of \(longest) bytes"))
        }
        msg.trailers = TrailerParser.parse(body: msg.body, sender: msg.from)
        msg.warnings = warnings
        return msg
    }

    static func longestLine(_ b: ArraySlice<UInt8>) -> Int? {
        guard b.count > 1 << 20 else { return nil }
        var longest = 0
        b.withUnsafeBufferPointer { buf in
            var last = -1
            for i in 0..<buf.count where buf[i] == LF {
                longest = max(longest, i - last - 1)
                last = i
            }
            longest = max(longest, buf.count - last - 1)
        }
        return longest
    }
}
