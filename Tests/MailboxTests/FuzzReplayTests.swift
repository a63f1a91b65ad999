// Fuzz harnesses of the Mailbox module, and the tests that replay the inputs fuzzing found.
//
// This one file is compiled twice: here, as part of MailboxTests, and into the libFuzzer targets of
// `Fuzz/` (fuzz-mbox, fuzz-message, fuzz-mime, fuzz-gzip link to it and build with `-D FUZZING`).
// So the code a regression input is replayed through is exactly the code the fuzzer ran.
// Inputs live in `Fuzz/Regressions/<target>/`; `scripts/fuzz` copies every crash, timeout and
// out-of-memory input there.

import Mailbox

/// The fuzz entry points. Each takes arbitrary bytes, must return (no crash, no trap, no hang) and
/// checks the invariants that hold for every input; a broken invariant traps (`precondition`), which
/// libFuzzer reports like a crash.
enum MailboxFuzzHarness {
    /// Mbox splitting, whole-file parsing and threading. The first byte picks the flavour and the
    /// message size limit, so the fuzzer reaches the cut-message paths with small inputs.
    static func mbox(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let bytes = Array(data.dropFirst())
        let formats: [MboxFormat] = [.auto, .mboxrd, .mboxo]
        let format = formats[Int(selector % 3)]
        let maxBytes = selector & 0x80 != 0 ? 64 + Int(selector & 0x3f) * 16 : 64 << 20

        var splitter = MboxSplitter(source: MemorySource(bytes), format: format, maxMessageBytes: maxBytes)
        var previousOffset = -1
        var count = 0
        var originalTotal = 0
        while let raw = try? splitter.next() {
            count += 1
            precondition(count <= bytes.count + 1, "more messages than bytes")
            precondition(raw.offset > previousOffset, "message offsets do not increase: \(raw.offset) after \(previousOffset)")
            precondition(raw.offset <= bytes.count, "offset \(raw.offset) beyond the input (\(bytes.count) bytes)")
            precondition(raw.bytes.count <= maxBytes, "message of \(raw.bytes.count) bytes kept above the limit \(maxBytes)")
            precondition(raw.truncated == (raw.originalSize > maxBytes), "truncated flag disagrees with the size")
            precondition(raw.bytes.count <= raw.originalSize, "kept more bytes than the message had")
            previousOffset = raw.offset
            originalTotal += raw.originalSize
        }
        precondition(originalTotal <= bytes.count, "messages hold \(originalTotal) bytes, the input \(bytes.count)")

        var options = ReadOptions()
        options.format = format
        options.parallel = false
        options.limits.maxMessageBytes = maxBytes
        options.maxGzipBytes = 1 << 20
        let contents = MailReader.parse(bytes, options: options)
        let threads = ThreadSet(messages: contents.messages)
        precondition(threads.messages.count + threads.duplicates.count == contents.messages.count, "thread set lost messages")
        let order = threads.walk()
        precondition(order.count <= threads.nodes.count, "walk visits a node twice")
        for index in threads.messages.indices.prefix(64) {
            _ = threads.ancestors(ofMessage: index)
            _ = threads.root(ofMessage: index)
        }
        _ = threads.revisions
    }

    /// One message: headers (unfolding, RFC 2047, addresses, dates, ids), subject, MIME, trailers.
    static func message(_ data: [UInt8]) {
        let message = MessageParser.parse(data[...])
        check(message, inputSize: data.count, limits: ParseLimits())
        _ = ThreadSet(messages: [message, message])
    }

    /// MIME walking under tight limits, so depth, part-count and decoded-size limits are reached
    /// with inputs of a few kilobytes.
    static func mime(_ data: [UInt8]) {
        var limits = ParseLimits()
        limits.maxMIMEDepth = 6
        limits.maxParts = 24
        limits.maxDecodedBytes = 16 << 10
        limits.maxHeaderCount = 64
        limits.maxHeaderBytes = 2048
        limits.maxLineBytes = 4096
        let message = MessageParser.parse(data[...], limits: limits)
        check(message, inputSize: data.count, limits: limits)
    }

    static func check(_ message: Message, inputSize: Int, limits: ParseLimits) {
        precondition(message.headers.count <= limits.maxHeaderCount, "\(message.headers.count) headers kept, limit \(limits.maxHeaderCount)")
        var parts = 0
        var depth = 0
        var stack: [(MIMEPart, Int)] = [(message.mime, 0)]
        while let (part, level) = stack.popLast() {
            parts += 1
            depth = max(depth, level)
            for child in part.children { stack.append((child, level + 1)) }
        }
        // The tree holds at most maxParts parts below the root, nested at most maxMIMEDepth deep
        // (a part refused for depth or count may still be listed as a skipped leaf).
        precondition(parts <= limits.maxParts + 2 + limits.maxMIMEDepth, "MIME tree of \(parts) parts, limit \(limits.maxParts)")
        precondition(depth <= limits.maxMIMEDepth + 1, "MIME tree \(depth) deep, limit \(limits.maxMIMEDepth)")
    }

    /// Streaming gzip decoding. Mode 0: the input as compressed data, fed in chunks whose sizes the
    /// input's first bytes choose, under a 256 KiB cap. Mode 1: round trip, compress the input and
    /// decode it again in chunks; the result must be the input (or `limitExceeded` past the cap).
    static func gzip(_ data: [UInt8]) {
        guard data.count >= 2 else { return }
        let mode = data[0] & 1
        let chunkSize = 1 + Int(data[1])
        let payload = Array(data.dropFirst(2))
        let limit = 256 << 10
        if mode == 0 {
            _ = try? decodeInChunks(payload, chunkSize: chunkSize, limit: limit)
            _ = try? gunzip(payload, limit: limit)
        } else {
            guard let compressed = try? gzipCompress(payload, level: Int32(data[1] % 10)) else {
                preconditionFailure("gzipCompress failed")
            }
            let cap = data[0] & 2 != 0 ? payload.count / 2 : limit
            do {
                let plain = try decodeInChunks(compressed, chunkSize: chunkSize, limit: cap)
                precondition(plain == payload, "gzip round trip changed the data")
            } catch let error as GzipError {
                precondition(error == .limitExceeded(limit: cap) && payload.count > cap, "round trip failed: \(error)")
            } catch {
                preconditionFailure("round trip failed: \(error)")
            }
        }
    }

    static func decodeInChunks(_ input: [UInt8], chunkSize: Int, limit: Int) throws -> [UInt8] {
        var decoder = try GzipDecoder(limit: limit)
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(input.count, start + chunkSize)
            try input[start..<end].withUnsafeBytes { raw in
                try decoder.decode(raw) { out.append(contentsOf: $0) }
            }
            precondition(out.count <= limit, "decoder produced \(out.count) bytes, limit \(limit)")
            start = end
        } while start < input.count
        try decoder.finish()
        return out
    }
}

#if !FUZZING
import Foundation
import Testing
import TestSupport

@Suite struct MailboxFuzzReplayTests {
    @Test func replayMbox() {
        FuzzReplay.replay("mbox", MailboxFuzzHarness.mbox)
    }

    @Test func replayMessage() {
        FuzzReplay.replay("message", MailboxFuzzHarness.message)
    }

    @Test func replayMIME() {
        FuzzReplay.replay("mime", MailboxFuzzHarness.mime)
    }

    @Test func replayGzip() {
        FuzzReplay.replay("gzip", MailboxFuzzHarness.gzip)
    }
}
#endif
